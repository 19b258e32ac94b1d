/**
 * `ntl manifest add`: record a file deliberately — measure its size and sha256 and write the entry
 * into the manifest YAML, keeping the other entries, their order and the comments.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { YAMLSeq } from 'yaml';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { displayPath, formatPath, parseYamlText } from '../pipeline/yaml-errors.js';
import { fileSize, sha256File } from './hash.js';
import { isInside } from '../safety/paths.js';
import { entryBase, manifestFromSource } from './load.js';
import { manifestEntrySchema, MANIFEST_VERSION } from './schema.js';
import type { Manifest, ManifestEntry, RasterEntry, BoundariesEntry, TableEntry } from './schema.js';

type Measured = 'path' | 'size' | 'sha256' | 'companions';
/** What the user supplies; path, size, sha256 (and companions) are measured from the files. */
export type NewEntryFields =
  | (Omit<RasterEntry, Measured | 'kind'> & { kind?: 'raster' })
  | Omit<BoundariesEntry, Measured>
  | Omit<TableEntry, Measured>;

export interface AddEntryOptions {
  /** Overwrite an entry with the same id (default: an existing id is an error). */
  readonly replace?: boolean;
  /** Extra files that belong to the entry (e.g. a shapefile's .dbf, .shx, .prj, .cpg). */
  readonly companions?: readonly string[];
}

// Key order of a written entry: identity first, then the file, then terms of use.
const KEY_ORDER = [
  'id', 'kind', 'sensor', 'satellite', 'role', 'year', 'month', 'product', 'band',
  'id_field', 'name_field', 'parent_field', 'province_field', 'encoding', 'crs', 'format', 'vintage',
  'path', 'url', 'size', 'sha256', 'companions', 'licence', 'citation', 'notes',
];

/**
 * Add (or with `replace`, overwrite) one entry. Creates the manifest when the file does not exist
 * (named after the file). Returns the entry as written.
 */
export async function addManifestEntry(
  manifestPath: string,
  fields: NewEntryFields,
  filePath: string,
  options: AddEntryOptions = {},
): Promise<ManifestEntry> {
  const file = resolve(manifestPath);
  const display = displayPath(file);
  const text = await readExisting(file);
  const manifest: Manifest | undefined = text === undefined ? undefined : manifestFromSource(parseYamlText(text, file, 'manifest'));

  const existingIndex = manifest?.entries.findIndex((e) => e.id === fields.id) ?? -1;
  if (existingIndex >= 0 && !options.replace) {
    const line = manifest?.source.lines[`entries[${existingIndex}]`] ?? 1;
    throw new NtlError(`${display} line ${line}: entry '${fields.id}' already exists; choose another id, or pass --replace to record the new file in its place`);
  }

  // In a manifest with data_dir, (non-shipped) paths are relative to the data dir: the file must be in it.
  const base = manifest?.data_dir !== undefined ? entryBase(manifest, {}).base : dirname(file);
  if (manifest?.data_dir !== undefined && !isInside(base, resolve(filePath))) {
    throw new NtlError(
      `cannot add ${filePath} to ${display}: the manifest keeps its files in its data dir ${displayPath(base)} (data_dir: ${manifest.data_dir}), ` +
        'and paths are recorded relative to it; move or copy the file there first, or record it in a manifest without data_dir',
    );
  }
  const measured = await measure(base, filePath);
  const companions = [];
  for (const c of options.companions ?? []) companions.push(await measure(base, c));
  const raw: Record<string, unknown> = { ...fields, ...measured };
  if (companions.length > 0) raw.companions = companions;
  if (raw.kind === 'raster') delete raw.kind; // raster is the default kind; keep entries short
  const parsed = manifestEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path) || 'entry'}: ${i.message}`);
    throw new NtlError(`cannot add '${fields.id}' to ${display}: ${problems.join('; ')}`);
  }

  const doc = parseDocument(text ?? `manifest: ${MANIFEST_VERSION}\nname: ${manifestName(file)}\nentries: []\n`);
  const entries = doc.get('entries', true);
  if (!isSeq(entries)) throw new NtlError(`${display}: 'entries' must be a list`);
  const node = doc.createNode(ordered(raw));
  if (isMap(node)) node.flow = false;
  if (existingIndex >= 0) entries.items[existingIndex] = node;
  else {
    (entries as YAMLSeq).flow = false;
    entries.items.push(node);
  }
  const out = doc.toString({ lineWidth: 0 });
  // Never write a manifest we could not read back.
  manifestFromSource(parseYamlText(out, file, 'manifest'));
  await writeFileAtomic(file, out);
  return parsed.data;
}

async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new NtlError(`cannot read ${displayPath(file)}: ${(e as Error).message}`);
  }
}

/** Size, sha256 and the path relative to `base` (the manifest's folder, or its data dir). */
async function measure(base: string, filePath: string): Promise<{ path: string; size: number; sha256: string }> {
  const abs = resolve(filePath);
  const size = await fileSize(abs);
  if (size === undefined) throw new NtlError(`cannot add ${filePath}: no such file; check the path`);
  const path = relative(base, abs).split(sep).join('/');
  return { path, size, sha256: await sha256File(abs) };
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
