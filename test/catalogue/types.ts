/** The shape of a bad-input case (test/catalogue/bad-inputs.ts) and of the files a case creates before it runs. */

/**
 * A file a case creates in its own temp folder before it runs (the key is its path below {tmp}):
 * - a string: that text ({tmp}, {demo}, {fixtures}, {server}, {sha256:repo/path} and {size:repo/path} are replaced);
 * - { copy }: a copy of a shipped file (path from the repository root), optionally only bytes [start, end);
 * - { bytes }: these bytes (hex);
 * - { dir: true }: an empty folder;
 * - { copyDir }: a copy of a shipped folder.
 */
export type SetupFile =
  | string
  | { readonly copy: string; readonly slice?: readonly [number, number?] }
  | { readonly bytes: string }
  | { readonly dir: true }
  | { readonly copyDir: string };

/** The kinds of bad input, in the order docs/bad-input.md lists them. */
export const CASE_CLASSES = {
  'usage': 'Usage: missing or unknown flags, stray arguments, flags that exclude each other',
  'not-found': 'Input file not found',
  'empty': 'Empty input file',
  'wrong-format': 'Wrong file format (a CSV given as a raster, a GeoTIFF as zones, an HTML page saved as .tif, …)',
  'output-is-input': 'Output path is an input (or part of one)',
  'output-path': 'Output path unusable: a folder, a figure that is not .png/.svg, an unknown extension',
  'bad-number': 'Number flags that are not numbers',
  'bad-value': 'Values out of range or not among the choices',
  'panel-content': 'Panel content: duplicated unit × period rows, bad periods, header-only panels, no treated units',
  'unknown-column': 'Column names that are not in the panel',
  'yaml': 'YAML: syntax errors, unknown keys, wrong types (pipelines and manifests; the message names the line)',
  'manifest': 'Manifests: changed files, paths leaving the project, templates used as data',
  'pipeline': 'Pipelines: years not covered, unknown entries, settings that contradict each other',
  'geo': 'Geography: zones and rasters that do not fit, CRS problems, incomplete shapefiles',
  'raster': 'GeoTIFF damage: truncated files, codecs not decoded, corrupt blocks, no georeferencing',
  'secrets-network': 'Tokens and downloads: tokens on the command line, HTML pages, HTTP errors (loopback server)',
} as const;

export type CaseClass = keyof typeof CASE_CLASSES;

export interface BadInputCase {
  /** Unique, stable: `<command>/<what>`. */
  readonly id: string;
  readonly class: CaseClass;
  /** The ntl command (argv[0]). */
  readonly command: string;
  /** The arguments after the command; {tmp} (this case's temp folder), {demo} (data/demo), {fixtures} (test/fixtures), {server} (loopback HTTP). */
  readonly argv: readonly string[];
  readonly setup?: Readonly<Record<string, SetupFile>>;
  /** Environment variables set while the case runs (and restored after). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** 1 for a bad input, 2 for a usage error of `ntl` itself (unknown command, a command given nothing at all). */
  readonly expectCode: 1 | 2;
  /** A fragment of the one `ntl: error:` line: what went wrong, where, and what to do. */
  readonly message: RegExp;
  /**
   * A fragment of what standard error shows before the error line: the deprecation warning of an old flag name or
   * of the flag-style calibrate. Without it nothing may say "deprecated": cases use the current flag names.
   */
  readonly warning?: RegExp;
  /** Files whose bytes must be identical after the run (every setup file is checked anyway). */
  readonly unchanged?: readonly string[];
  /** Paths that must not exist after the run (no output, no half-written file). */
  readonly absent?: readonly string[];
  /** Short description for docs/bad-input.md. */
  readonly doc: string;
  /**
   * 'open': the command does not yet answer this input as it should (expectCode / message say how it should);
   * `current` pins what it does today, so the table stays honest and a fix shows up as a failing case.
   */
  readonly known?: 'open';
  readonly note?: string;
  readonly current?: { readonly code: number; readonly stdout?: RegExp; readonly stderr?: RegExp };
}
