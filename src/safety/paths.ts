/**
 * Path containment: a path taken from a manifest, a pipeline or an archive must stay inside the folder
 * it is meant for. A manifest that says `path: ../../../home/me/.ssh/id_rsa`, or a symlink in the data
 * folder that points elsewhere, would otherwise let a shared YAML file read (or a fetch write) anywhere.
 *
 * The escape hatch is deliberate and user-side: NTL_ALLOW_OUTSIDE_PATHS=1 (or a command's
 * --allow-outside flag) — never a key in the file being checked, which would let the file allow itself.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, parse, relative, resolve, sep } from 'node:path';

/** Files whose presence marks a project root (the folder a shared manifest may reach into). */
const ROOT_MARKERS = ['package.json', '.git', 'ntl-project.yaml'];

export const ALLOW_OUTSIDE_ENV = 'NTL_ALLOW_OUTSIDE_PATHS';

export function outsideAllowedByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[ALLOW_OUTSIDE_ENV];
  return v !== undefined && /^(1|true|yes)$/i.test(v.trim());
}

/**
 * The project folder a file belongs to: the nearest ancestor holding package.json, .git or
 * ntl-project.yaml; when none does, the parent of the file's folder — the `manifests/` next to
 * `data/` layout — but never the file-system root.
 */
export function projectRoot(file: string): string {
  const start = dirname(resolve(file));
  for (let dir = start; ; dir = dirname(dir)) {
    if (ROOT_MARKERS.some((m) => existsSync(resolve(dir, m)))) return dir;
    if (dir === parse(dir).root) break;
  }
  const parent = dirname(start);
  return parent === parse(parent).root ? start : parent;
}

/** true when `child` is `root` or below it (purely lexical: both must be absolute and normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** realpath of the path, or of its nearest existing ancestor joined with the rest (for files not yet written). */
export function realpathLoose(p: string): string {
  const abs = resolve(p);
  const rest: string[] = [];
  for (let cur = abs; ; cur = dirname(cur)) {
    try {
      return resolve(realpathSync(cur), ...rest.reverse());
    } catch {
      if (cur === dirname(cur)) return abs;
      rest.push(relative(dirname(cur), cur));
    }
  }
}

export type Escape = 'absolute' | 'parent' | 'symlink';

/**
 * Why `rel` (relative to `base`) escapes `root`, or null when it stays inside. Checks the text (absolute,
 * `..`) and then the file system (a symlink on the way that leads outside).
 */
export function escapeOf(root: string, base: string, rel: string): Escape | null {
  if (isAbsolute(rel) || /^[A-Za-z]:[\\/]/.test(rel) || rel.startsWith('\\')) return 'absolute';
  const target = resolve(base, rel);
  if (!isInside(resolve(root), target)) return 'parent';
  if (!isInside(realpathLoose(root), realpathLoose(target))) return 'symlink';
  return null;
}

export function describeEscape(kind: Escape, root: string): string {
  switch (kind) {
    case 'absolute':
      return `is an absolute path; paths must be relative and stay inside ${root}`;
    case 'parent':
      return `leads outside ${root} (through '..')`;
    case 'symlink':
      return `leads outside ${root} through a symbolic link`;
  }
}
