/**
 * `ntl manifest add`: record files deliberately — measure their size and sha256 and write the entries
 * into the manifest YAML, keeping the other entries, their order and the comments. Several files are
 * added all-or-nothing: every problem is listed in one error and the manifest is left untouched.
 *
 * The path written is relative to the manifest, with forward slashes, and is one that `ntl manifest verify`
 * and `ntl run` accept: they refuse a path that leaves the project folder (src/safety/paths.ts), so `add`
 * applies the same rule up front instead of writing an entry the next run refuses.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { YAMLSeq } from 'yaml';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { displayPath, formatPath, parseYamlText } from '../pipeline/yaml-errors.js';
import { ALLOW_OUTSIDE_ENV, describeEscape, escapeOf, outsideAllowedByEnv, projectRoot, realpathLoose } from '../safety/paths.js';
import { fileSize, sha256File } from './hash.js';
import { isInside } from '../safety/paths.js';
import { entryBase, manifestFromSource } from './load.js';
import { manifestEntrySchema, MANIFEST_VERSION } from './schema.js';
import type { Manifest, ManifestEntry, RasterEntry, BoundariesEntry, TableEntry } from './schema.js';

type Measured = 'path' | 'size' | 'sha256' | 'companions';
/** What the user supplies; path, size, sha256 (and companions) are measured from the files. */
export type NewEntryFields = (Omit<RasterEntry, Measured | 'kind'> & { kind?: 'raster' }) | Omit<BoundariesEntry, Measured> | Omit<TableEntry, Measured>;

export interface AddEntryOptions {
  /** Overwrite an entry with the same id (default: an existing id is an error). */
  readonly replace?: boolean;
  /** Extra files that belong to the entry (e.g. a shapefile's .dbf, .shx, .prj, .cpg). */
  readonly companions?: readonly string[];
}

/** One file to record. */
export interface NewEntry {
  readonly fields: NewEntryFields;
  readonly file: string;
  /** Extra files checked with the entry (a shapefile's .dbf/.shx/.prj/.cpg). */
  readonly companions?: readonly string[];
  /** Problems the caller found already (e.g. no year in the file name): listed with the others. */
  readonly problems?: readonly string[];
}

export interface AddEntriesOptions {
  /** Overwrite entries with the same ids (default: an existing id is an error). */
  readonly replace?: boolean;
  /** Start a new manifest even when the file exists (`ntl init --force`). */
  readonly fresh?: boolean;
  /** Comment lines (without '#') above a newly created manifest. */
  readonly header?: readonly string[];
}

export interface PreparedManifest {
  /** Absolute manifest path. */
  readonly file: string;
  /** The whole new manifest text (already read back and validated). */
  readonly text: string;
  /** The entries as written, in the order given. */
  readonly entries: readonly ManifestEntry[];
  /** Whether the manifest is new (did not exist, or `fresh`). */
  readonly created: boolean;
}

// Key order of a written entry: identity first, then the file, then terms of use.
const KEY_ORDER = [
  'id',
  'kind',
  'sensor',
  'satellite',
  'role',
  'year',
  'month',
  'product',
  'band',
  'id_field',
  'name_field',
  'parent_field',
  'province_field',
  'encoding',
  'crs',
  'format',
  'vintage',
  'path',
  'url',
  'size',
  'sha256',
  'companions',
  'licence',
  'citation',
  'notes',
];

const PLACEHOLDER_SHA = '0'.repeat(64);

/**
 * Add (or with `replace`, overwrite) one entry. Creates the manifest when the file does not exist
 * (named after the file). Returns the entry as written.
 */
export async function addManifestEntry(manifestPath: string, fields: NewEntryFields, filePath: string, options: AddEntryOptions = {}): Promise<ManifestEntry> {
  const { entries } = await addManifestEntries(manifestPath, [{ fields, file: filePath, companions: options.companions }], { replace: options.replace });
  return entries[0]!;
}

/** Add several entries in one write; any problem with any of them → one error, nothing written. */
export async function addManifestEntries(manifestPath: string, items: readonly NewEntry[], options: AddEntriesOptions = {}): Promise<PreparedManifest> {
  const prepared = await prepareManifestEntries(manifestPath, items, options);
  await writeFileAtomic(prepared.file, prepared.text);
  return prepared;
}

interface Problem {
  /** The message when it is the only problem (kept as `add` always worded it). */
  readonly alone: string;
  /** The line in a list of problems. */
  readonly listed: string;
}

/**
 * Measure the files and build the new manifest text without writing it (`ntl init` writes it together
 * with the pipeline). Throws one NtlError listing every problem.
 */
export async function prepareManifestEntries(manifestPath: string, items: readonly NewEntry[], options: AddEntriesOptions = {}): Promise<PreparedManifest> {
  const file = resolve(manifestPath);
  const display = displayPath(file);
  const text = options.fresh ? undefined : await readExisting(file);
  const manifest: Manifest | undefined = text === undefined ? undefined : manifestFromSource(parseYamlText(text, file, 'manifest'));
  if (items.length === 0) throw new NtlError(`cannot add to ${display}: no files given`);

  // In a manifest with data_dir, (non-shipped) paths are relative to the data dir: the file must be in it.
  const dataDir = manifest?.data_dir !== undefined ? { base: entryBase(manifest, {}).base, declared: manifest.data_dir } : undefined;

  // 1. Cheap checks for every item (ids, files, paths, fields); hashing waits until all pass.
  const problems: Problem[] = [];
  const escapes: Escaped[] = [];
  const firstOfId = new Map<string, string>();
  const staged: { raw: Record<string, unknown>; item: NewEntry; existingIndex: number }[] = [];
  for (const item of items) {
    const shown = displayPath(item.file);
    const id = item.fields.id;
    const listed = (what: string): Problem => ({ alone: `cannot add ${shown} to ${display}: ${what}`, listed: `${shown}: ${what}` });
    if ((item.problems ?? []).length > 0) {
      // e.g. no year in the file name: its id and fields are not known, so say only that
      for (const p of item.problems!) problems.push(listed(p));
      continue;
    }
    const existingIndex = manifest?.entries.findIndex((e) => e.id === id) ?? -1;
    if (existingIndex >= 0 && !options.replace) {
      const line = manifest?.source.lines[`entries[${existingIndex}]`] ?? 1;
      problems.push({
        alone: `${display} line ${line}: entry '${id}' already exists; choose another id, or pass --replace to record the new file in its place`,
        listed: `${shown}: entry '${id}' already exists (${display} line ${line}); choose other ids, or pass --replace`,
      });
    }
    const earlier = firstOfId.get(id);
    if (earlier !== undefined) problems.push(listed(`id '${id}' is also the id of ${earlier}; ids must be unique`));
    else firstOfId.set(id, shown);

    const main = await locate(file, item.file, dataDir);
    const companions = [];
    for (const c of item.companions ?? []) companions.push(await locate(file, c, dataDir));
    for (const m of [main, ...companions]) {
      if ('problem' in m) problems.push(m.problem);
      else if ('escape' in m) escapes.push(m);
    }
    const located = [main, ...companions].filter((m): m is Located => 'size' in m);
    if (located.length < companions.length + 1) continue;

    const raw: Record<string, unknown> = { ...item.fields, path: located[0]!.path, size: located[0]!.size, sha256: PLACEHOLDER_SHA };
    if (companions.length > 0) raw.companions = located.slice(1).map((c) => ({ path: c.path, size: c.size, sha256: PLACEHOLDER_SHA }));
    if (raw.kind === 'raster') delete raw.kind; // raster is the default kind; keep entries short
    const parsed = manifestEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const what = parsed.error.issues.map((i) => `${formatPath(i.path) || 'entry'}: ${i.message}`).join('; ');
      problems.push({ alone: `cannot add '${id}' to ${display}: ${what}`, listed: `${shown}: ${what}` });
      continue;
    }
    staged.push({ raw, item, existingIndex });
  }
  // Files outside the project: one problem for all of them (they usually share the reason).
  const byReason = new Map<string, Escaped[]>();
  for (const e of escapes) byReason.set(`${e.escape}|${e.root}`, [...(byReason.get(`${e.escape}|${e.root}`) ?? []), e]);
  for (const group of byReason.values()) problems.push(escapeProblem(group, display));
  if (problems.length === 1 && items.length === 1) throw new NtlError(problems[0]!.alone);
  if (problems.length === 1) throw new NtlError(`cannot add ${items.length} files to ${display}, nothing was written: ${problems[0]!.listed}`);
  if (problems.length > 0) {
    throw new NtlError(
      `cannot add ${items.length} file(s) to ${display}: ${problems.length} problem(s), nothing was written:\n` +
        problems.map((p) => `  - ${p.listed}`).join('\n'),
    );
  }

  // 2. Hash (two files at a time: hashing is I/O bound).
  const limit = pLimit(2);
  await Promise.all(
    staged.map(({ raw, item }) =>
      limit(async () => {
        raw.sha256 = await sha256File(resolve(item.file));
        const comps = raw.companions as { sha256: string }[] | undefined;
        for (const [i, c] of (item.companions ?? []).entries()) comps![i]!.sha256 = await sha256File(resolve(c));
      }),
    ),
  );

  // 3. Write into the YAML document, keeping everything else.
  const header = (options.header ?? []).map((l) => (l === '' ? '#' : `# ${l}`)).join('\n');
  const doc = parseDocument(text ?? `${header === '' ? '' : `${header}\n`}manifest: ${MANIFEST_VERSION}\nname: ${manifestName(file)}\nentries: []\n`);
  const entries = doc.get('entries', true);
  if (!isSeq(entries)) throw new NtlError(`${display}: 'entries' must be a list`);
  const written: ManifestEntry[] = [];
  for (const { raw, existingIndex } of staged) {
    const node = doc.createNode(ordered(raw));
    if (isMap(node)) node.flow = false;
    if (existingIndex >= 0) entries.items[existingIndex] = node;
    else {
      (entries as YAMLSeq).flow = false;
      entries.items.push(node);
    }
    written.push(manifestEntrySchema.parse(raw) as ManifestEntry);
  }
  const out = doc.toString({ lineWidth: 0 });
  // Never write a manifest we could not read back.
  manifestFromSource(parseYamlText(out, file, 'manifest'));
  return { file, text: out, entries: written, created: text === undefined };
}

interface Located {
  readonly path: string;
  readonly size: number;
}

interface Escaped {
  /** The file as the user named it. */
  readonly shown: string;
  /** The path `add` would store. */
  readonly path: string;
  readonly escape: string;
  readonly root: string;
}

/** Size and stored path of a file, or why it cannot be recorded. */
async function locate(manifestFile: string, filePath: string, dataDir?: { base: string; declared: string }): Promise<Located | Escaped | { problem: Problem }> {
  const shown = displayPath(filePath);
  const size = await fileSize(resolve(filePath));
  if (size === undefined) {
    return { problem: { alone: `cannot add ${filePath}: no such file; check the path`, listed: `${shown}: no such file; check the path` } };
  }
  if (dataDir) {
    const abs = realpathLoose(resolve(filePath));
    const base = realpathLoose(dataDir.base);
    if (!isInside(base, abs)) {
      const what = `the manifest keeps its files in its data dir ${displayPath(dataDir.base)} (data_dir: ${dataDir.declared}) and records paths relative to it; move or copy the file there first, or record it in a manifest without data_dir`;
      return { problem: { alone: `cannot add ${filePath} to ${displayPath(manifestFile)}: ${what}`, listed: `${shown}: ${what}` } };
    }
    return { path: relative(base, abs).split(sep).join('/'), size };
  }
  const stored = storedPath(manifestFile, filePath);
  if ('escape' in stored) return { shown, path: stored.path, escape: stored.escape, root: stored.root };
  return { path: stored.path, size };
}

/** The files whose paths `verify` and `run` would refuse, worded as they word it, with what to do. */
function escapeProblem(group: readonly Escaped[], manifest: string): Problem {
  const first = group[0]!;
  const root = displayPath(first.root);
  const todo =
    `so \`ntl manifest verify\` and \`ntl run\` would refuse ${group.length === 1 ? 'it' : 'them'}; move or copy the data into ${root} ` +
    `(or keep the manifest in the project folder that holds the data), or if you trust this location, set ${ALLOW_OUTSIDE_ENV}=1 for add, verify and run`;
  const one = (e: Escaped): string => `its path from the manifest, '${e.path}', ${e.escape}, ${todo}`;
  if (group.length === 1) return { alone: `cannot add ${first.shown} to ${manifest}: ${one(first)}`, listed: `${first.shown}: ${one(first)}` };
  const names =
    group.length > 4
      ? `${group
          .slice(0, 3)
          .map((e) => e.shown)
          .join(', ')}, … (${group.length} files)`
      : group.map((e) => e.shown).join(', ');
  const listed = `${names}: their paths from the manifest (e.g. '${first.path}') ${first.escape.replace(/^leads/, 'lead')}, ${todo}`;
  return { alone: listed, listed };
}

/**
 * The path `add` stores for `file`: relative to the manifest's folder, with forward slashes, and accepted by
 * the containment rule `verify` and `run` apply (entryFile → assertContained: inside the manifest's project
 * folder, also after following symbolic links). The path as given is tried first; when it leaves the project
 * only because the manifest and the file were named through different symlinked folders (a symlinked home or
 * /tmp, `cd` into a link), the path between their real locations is used — provided it reaches the same file
 * from the manifest's folder. Otherwise the escape is returned, worded as `run` words it.
 */
export function storedPath(manifestFile: string, file: string): { path: string } | { path: string; escape: string; root: string } {
  const dir = dirname(resolve(manifestFile));
  const abs = resolve(file);
  const slashes = (p: string): string => p.split(sep).join('/');
  const lexical = slashes(relative(dir, abs));
  if (outsideAllowedByEnv()) return { path: lexical };
  const root = projectRoot(manifestFile);
  const kind = escapeOf(root, dir, lexical);
  if (kind === null) return { path: lexical };
  const real = slashes(relative(realpathLoose(dir), realpathLoose(abs)));
  if (real !== lexical && escapeOf(root, dir, real) === null && realpathLoose(resolve(dir, real)) === realpathLoose(abs)) return { path: real };
  return { path: lexical, escape: describeEscape(kind, root), root };
}

/** The sibling .dbf/.shx/.prj/.cpg of a shapefile (either case), for recording as companions. */
export function shapefileCompanions(file: string): string[] {
  const ext = extname(file);
  if (ext.toLowerCase() !== '.shp') return [];
  const stem = join(dirname(file), basename(file, ext));
  const out: string[] = [];
  for (const sib of ['.dbf', '.shx', '.prj', '.cpg']) {
    for (const candidate of [stem + sib, stem + sib.toUpperCase()]) {
      if (existsSync(candidate)) {
        out.push(candidate);
        break;
      }
    }
  }
  return out;
}

async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new NtlError(`cannot read ${displayPath(file)}: ${(e as Error).message}`);
  }
}

function ordered(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (raw[k] !== undefined) out[k] = raw[k];
  for (const k of Object.keys(raw)) if (!(k in out) && raw[k] !== undefined) out[k] = raw[k];
  return out;
}

function manifestName(file: string): string {
  const name = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]/g, '-');
  return /^[A-Za-z0-9]/.test(name) ? name : `m${name}`;
}
