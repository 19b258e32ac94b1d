/**
 * A small file glob for `ntl manifest add --glob` and `ntl init --rasters`. Node 20 has no usable one
 * (`fs.promises.glob` is Node 22; `path.matchesGlob` is experimental in 20.17+ and prints a warning), and
 * a dependency is not worth ~100 lines.
 *
 * Syntax: `*` (any characters but '/'), `?` (one character but '/'), `[abc]` / `[a-z]` / `[!a]` (one of),
 * `**` as a whole segment (any number of folders, also none). A name starting with '.' is matched only by
 * a segment that starts with '.', and `**` does not descend into such folders. A relative pattern is
 * relative to `cwd`; on Windows '\' separates folders as well.
 *
 * Result: the matching files (regular files, or symbolic links to them), absolute, sorted by path in
 * code-unit order so that the same folder always gives the same list.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, parse, resolve } from 'node:path';

export interface GlobResult {
  /** Matching files, absolute, sorted. */
  readonly files: readonly string[];
  /** Absolute folder the pattern's fixed part names (where the search starts). */
  readonly base: string;
  /** Whether that folder exists. */
  readonly baseExists: boolean;
}

const GLOB_CHARS = /[*?[]/;

export function hasGlobChars(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** One path segment (`*_8bit.tif`) as an anchored regular expression. */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else re += ch.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

export async function expandGlob(pattern: string, cwd: string = process.cwd()): Promise<GlobResult> {
  const p = process.platform === 'win32' ? pattern.replace(/\\/g, '/') : pattern;
  const root = isAbsolute(p) ? parse(p).root : cwd;
  const segments = p
    .slice(isAbsolute(p) ? parse(p).root.length : 0)
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  let fixed = 0;
  while (fixed < segments.length && !hasGlobChars(segments[fixed]!)) fixed++;
  const base = resolve(root, ...segments.slice(0, fixed));
  const rest = segments.slice(fixed);
  const baseExists = (await kindOf(base)) === 'dir';
  const found = new Set<string>();
  if (rest.length === 0) {
    if ((await kindOf(base)) === 'file') found.add(base);
  } else if (baseExists) {
    await walk(base, rest, 0, found);
  }
  return { files: [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), base, baseExists };
}

async function walk(dir: string, segs: readonly string[], i: number, found: Set<string>): Promise<void> {
  const seg = segs[i]!;
  const last = i === segs.length - 1;
  if (seg === '**') {
    if (last) {
      // `dir/**` alone: every file below dir.
      await walkAll(dir, found);
      return;
    }
    await walk(dir, segs, i + 1, found);
    for (const sub of await list(dir)) {
      if (sub.startsWith('.')) continue;
      const path = join(dir, sub);
      if ((await kindOf(path, false)) === 'dir') await walk(path, segs, i, found);
    }
    return;
  }
  if (!hasGlobChars(seg)) {
    await visit(join(dir, seg), segs, i, last, found);
    return;
  }
  const re = segmentRegExp(seg);
  for (const name of await list(dir)) {
    if (name.startsWith('.') && !seg.startsWith('.')) continue;
    if (re.test(name)) await visit(join(dir, name), segs, i, last, found);
  }
}

async function visit(path: string, segs: readonly string[], i: number, last: boolean, found: Set<string>): Promise<void> {
  const kind = await kindOf(path);
  if (last) {
    if (kind === 'file') found.add(path);
  } else if (kind === 'dir') await walk(path, segs, i + 1, found);
}

async function walkAll(dir: string, found: Set<string>): Promise<void> {
  for (const name of await list(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const kind = await kindOf(path, false);
    if (kind === 'file') found.add(path);
    else if (kind === 'dir') await walkAll(path, found);
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return []; // unreadable folders are skipped, like a shell glob does
  }
}

/**
 * 'file' | 'dir' | null. Symbolic links are followed, except that `**` does not descend into a linked
 * folder (followLinkedDirs false), which could loop.
 */
async function kindOf(path: string, followLinkedDirs = true): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(path);
    if (s.isFile()) return 'file';
    if (!s.isDirectory()) return null;
    if (followLinkedDirs) return 'dir';
    return (await lstat(path)).isSymbolicLink() ? null : 'dir';
  } catch {
    return null;
  }
}
