/**
 * The one guard against an output that destroys an input: every command that writes files calls
 * assertOutputsAreNotInputs before any work, with its outputs and inputs as the user named them.
 *
 * An output is refused when it is the same file as an input — by path, through a symbolic link (`./x` vs `x`,
 * a link in a parent folder) or by inode (a hard link) — or a companion of a shapefile input (.shp, .dbf,
 * .shx, .prj, .cpg, .qpj, .sbn, .sbx: writing one changes how the shapefile reads, even when it does not exist
 * yet); when two outputs of one command are the same file; and when a file output names an existing folder.
 * A folder output (a run's outputs.dir) is refused when a file it writes (folder + a relative name) is an input.
 * The message names both flags and says what to do; nothing is written.
 */
import { statSync, type Stats } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { NtlError } from '../errors.js';
import { realpathLoose } from './paths.js';

export interface GuardInput {
  /** How the input was named: a flag ("--raster"), or a label ("input hunan-counties"). */
  readonly flag: string;
  /** The path as the user gave it (undefined: the input was not given; skipped). */
  readonly path: string | undefined;
  /** How to show the path when not as `path` (e.g. as written in a manifest). */
  readonly shown?: string;
}

export interface GuardOutput {
  /** How the output was named: "--out", "--plot", "the manifest", "the output folder". */
  readonly flag: string;
  /** The path as the user gave it; undefined or "-" (standard output) are skipped. */
  readonly path: string | undefined;
  /** How to show the path when not as `path`. */
  readonly shown?: string;
  /** A folder output: the files it writes, relative to it (e.g. "panel.csv", "maps/x.png"). */
  readonly folderFiles?: readonly string[];
  /** For the "is a folder" message: a file name to suggest inside it (default result + the usual extension). */
  readonly example?: string;
}

export const SHAPEFILE_PARTS = ['shp', 'dbf', 'shx', 'prj', 'cpg', 'qpj', 'sbn', 'sbx'] as const;

/** The files that make up a shapefile input (lower- and upper-case extensions), or [] for anything else. */
export function shapefileParts(path: string): { path: string; ext: string }[] {
  const ext = extname(path);
  if (ext.toLowerCase() !== '.shp') return [];
  const base = path.slice(0, -ext.length);
  return SHAPEFILE_PARTS.flatMap((e) => [
    { path: `${base}.${e}`, ext: e },
    { path: `${base}.${e.toUpperCase()}`, ext: e },
  ]);
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/** How `a` and `b` are the same file, or null when they are not. */
export function sameFile(a: string, b: string): 'path' | 'link' | 'inode' | null {
  const ra = resolve(a),
    rb = resolve(b);
  if (ra === rb) return 'path';
  if (realpathLoose(ra) === realpathLoose(rb)) return 'link';
  const sa = statOrNull(ra),
    sb = statOrNull(rb);
  if (sa && sb && sa.isFile() && sb.isFile() && sa.dev === sb.dev && sa.ino === sb.ino) return 'inode';
  return null;
}

const HOW: Record<'path' | 'link' | 'inode', string> = {
  path: 'same file',
  link: 'same file, through a symbolic link',
  inode: 'same file: a hard link to it',
};

interface Candidate {
  readonly path: string;
  readonly input: GuardInput;
  /** The shapefile part this candidate is (undefined: the input file itself). */
  readonly part?: string;
}

function candidates(inputs: readonly GuardInput[]): Candidate[] {
  const out: Candidate[] = [];
  for (const input of inputs) {
    if (input.path === undefined || input.path === '' || input.path === '-') continue;
    out.push({ path: input.path, input });
    for (const p of shapefileParts(input.path)) if (p.ext !== 'shp') out.push({ path: p.path, input, part: p.ext });
  }
  return out;
}

function clash(file: string, cands: readonly Candidate[]): { cand: Candidate; how: 'path' | 'link' | 'inode' } | null {
  for (const cand of cands) {
    const how = sameFile(file, cand.path);
    if (how) return { cand, how };
  }
  return null;
}

/** "--raster x.tif", or "2012=x.tif" for a positional YEAR=FILE (a flag ending in "="). */
function named(flag: string, path: string): string {
  return flag.endsWith('=') ? `${flag}${path}` : `${flag} ${path}`;
}

function describe(c: { cand: Candidate; how: 'path' | 'link' | 'inode' }): string {
  const { cand, how } = c;
  const shown = cand.input.shown ?? cand.input.path!;
  if (cand.part) return `part of the input shapefile ${named(cand.input.flag, shown)} (its .${cand.part})`;
  return `the input ${named(cand.input.flag, shown)} (${HOW[how]})`;
}

function defaultExample(o: GuardOutput): string {
  if (o.example) return o.example;
  const ext = extname(o.path ?? '');
  return `result${ext !== '' ? ext : '.csv'}`;
}

/**
 * Refuse outputs that would overwrite an input (see the module comment). `command` is the command name as the
 * user typed it ("zonal", "manifest add"). Throws one NtlError naming the first problem; returns when all is well.
 */
export function assertOutputsAreNotInputs(command: string, outputs: readonly GuardOutput[], inputs: readonly GuardInput[]): void {
  const cands = candidates(inputs);
  const seen: { output: GuardOutput }[] = [];
  for (const o of outputs) {
    if (o.path === undefined || o.path === '' || o.path === '-') continue;
    const shown = o.shown ?? o.path;
    const st = statOrNull(o.path);
    if (o.folderFiles === undefined) {
      if (st?.isDirectory()) {
        throw new NtlError(`ntl ${command}: ${o.flag} ${shown} is a folder; give a file name such as ${join(shown, defaultExample(o))}`);
      }
      const c = clash(o.path, cands);
      if (c) throw new NtlError(`ntl ${command}: ${o.flag} ${shown} is ${describe(c)}; choose another output path`);
      const twin = seen.find((x) => sameFile(x.output.path!, o.path!) !== null);
      if (twin)
        throw new NtlError(
          `ntl ${command}: ${o.flag} ${shown} is the same file as ${twin.output.flag} ${twin.output.shown ?? twin.output.path}; give them two different file names`,
        );
      seen.push({ output: o });
    } else {
      if (st && !st.isDirectory()) throw new NtlError(`ntl ${command}: ${o.flag} ${shown} is a file, not a folder; give a folder name`);
      for (const rel of o.folderFiles) {
        const c = clash(join(o.path, rel), cands);
        if (c) {
          throw new NtlError(
            `ntl ${command}: ${o.flag} ${shown} would overwrite ${describe(c)} with its ${rel}; choose another output folder, or keep the input elsewhere`,
          );
        }
      }
    }
  }
}

/** Accepted figure formats: the renderer writes SVG text for .svg and PNG bytes for anything else. */
export function assertFigurePath(command: string, flag: string, path: string | undefined): void {
  if (path === undefined || path === '') return;
  const ext = extname(path).toLowerCase();
  if (ext === '.png' || ext === '.svg') return;
  const stem = ext === '' ? path : path.slice(0, -ext.length);
  throw new NtlError(
    `ntl ${command}: ${flag} ${path}: figures are written as PNG or SVG only${ext ? ` (not ${ext})` : ''}; name it ${stem}.png or ${stem}.svg`,
  );
}
