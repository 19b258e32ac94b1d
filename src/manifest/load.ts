/** Read a manifest file and validate it; every problem names the file and the YAML line. */
import { dirname, resolve } from 'node:path';
import { readYamlSource, schemaError } from '../pipeline/yaml-errors.js';
import type { YamlSource } from '../pipeline/yaml-errors.js';
import { assertContained } from '../safety/contain.js';
import { manifestSchema } from './schema.js';
import type { Manifest, ManifestEntry, ManifestSource } from './schema.js';

export interface LoadManifestOptions {
  /** --data-dir: the folder that replaces the manifest's `data_dir` (ignored when it declares none). */
  readonly dataDir?: string;
}

export async function loadManifest(path: string, options: LoadManifestOptions = {}): Promise<Manifest> {
  return manifestFromSource(await readYamlSource(path, 'manifest'), options);
}

export function manifestFromSource(source: YamlSource, options: LoadManifestOptions = {}): Manifest {
  const parsed = manifestSchema.safeParse(source.data);
  if (!parsed.success) throw schemaError(source, parsed.error.issues);
  const dataDir = options.dataDir !== undefined ? resolve(options.dataDir) : undefined;
  return { ...parsed.data, source: { file: source.file, display: source.display, lines: source.lines, ...(dataDir ? { dataDir } : {}) } };
}

/** What entryBase needs of a manifest (or of a template read by `ntl fetch`). */
export interface DataDirHolder {
  readonly data_dir?: string;
  readonly source: Pick<ManifestSource, 'file' | 'display' | 'lines' | 'dataDir'>;
}

/**
 * The folder an entry's path is relative to (`base`) and the folder it must stay in (`root`; undefined = the
 * project folder of the manifest). Shipped entries and manifests without `data_dir`: the manifest's folder,
 * inside the project. Otherwise the data dir: --data-dir when given (trusted: the user named it), else
 * `data_dir` relative to the manifest (which must itself stay inside the project).
 */
export function entryBase(
  manifest: DataDirHolder,
  entry: { readonly shipped?: boolean },
  allowOutside = false,
): { base: string; root?: string; inside?: string } {
  const here = dirname(manifest.source.file);
  if (manifest.data_dir === undefined || entry.shipped === true) return { base: here };
  if (manifest.source.dataDir !== undefined)
    return { base: manifest.source.dataDir, root: manifest.source.dataDir, inside: `the data dir (--data-dir ${manifest.source.dataDir})` };
  assertContained(manifest.source.file, here, manifest.data_dir, `${manifest.source.display} line ${manifest.source.lines.data_dir ?? 1}: data_dir`, {
    inside: 'the project folder (or name the folder with --data-dir)',
    allowOutside,
  });
  const dir = resolve(here, manifest.data_dir);
  return { base: dir, root: dir, inside: `the data dir (data_dir ${manifest.data_dir})` };
}

/**
 * Absolute path of an entry's (or companion's) local copy, or undefined for url-only entries. Paths are
 * relative to the data dir (see entryBase) and may not leave it (`..`, a symlink), nor may a shipped path leave
 * the project folder — unless NTL_ALLOW_OUTSIDE_PATHS=1.
 */
export function entryFile(manifest: Manifest, entry: { readonly path?: string }): string | undefined {
  if (entry.path === undefined) return undefined;
  const owner = manifest.entries.find((e) => e === entry || (e.companions ?? []).includes(entry as never)) ?? (entry as ManifestEntry);
  const { base, root, inside } = entryBase(manifest, owner);
  assertContained(manifest.source.file, base, entry.path, pathWhere(manifest, entry), { root, inside });
  return resolve(base, entry.path);
}

/** "x.yaml line 7: entries[2].path" for an entry or one of its companions. */
function pathWhere(manifest: Manifest, item: { readonly path?: string }): string {
  const i = manifest.entries.findIndex((e) => e === item || (e.companions ?? []).includes(item as never));
  const key = i < 0 ? 'path' : manifest.entries[i] === item ? `entries[${i}].path` : `entries[${i}].companions`;
  const line = manifest.source.lines[key] ?? manifest.source.lines[`entries[${i}]`] ?? 1;
  return `${manifest.source.display} line ${line}: ${key}`;
}

export function findEntry(manifest: Manifest, id: string): ManifestEntry | undefined {
  return manifest.entries.find((e) => e.id === id);
}

/** YAML line where an entry starts (for messages raised after loading). */
export function entryLine(manifest: Manifest, id: string): number | undefined {
  const i = manifest.entries.findIndex((e) => e.id === id);
  return i < 0 ? undefined : manifest.source.lines[`entries[${i}]`];
}
