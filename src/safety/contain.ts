/** The one error for a path that leaves its folder, with the fix spelled out. */
import { NtlError } from '../errors.js';
import { ALLOW_OUTSIDE_ENV, describeEscape, escapeOf, outsideAllowedByEnv, projectRoot } from './paths.js';

export interface ContainOptions {
  /** Folder the path must stay in (default: the project root of `from`). */
  readonly root?: string;
  /** Explicit user permission (a CLI flag); the environment variable is checked as well. */
  readonly allowOutside?: boolean;
  /** How the message names the folder (default "the project folder"), e.g. "the data dir". */
  readonly inside?: string;
}

/**
 * Check that `rel`, written in file `from` (relative to `base`), stays inside the project. `where` names
 * the spot for the message, e.g. "data-manifests/x.yaml line 12: entries[3].path".
 */
export function assertContained(from: string, base: string, rel: string, where: string, opts: ContainOptions = {}): void {
  if (opts.allowOutside || outsideAllowedByEnv()) return;
  const root = opts.root ?? projectRoot(from);
  const kind = escapeOf(root, base, rel);
  if (kind === null) return;
  throw new NtlError(
    `${where} '${rel}' ${describeEscape(kind, root)}; keep data inside ${opts.inside ?? 'the project folder'}, ` +
      `or if you trust this file, allow it explicitly with ${ALLOW_OUTSIDE_ENV}=1`,
  );
}
