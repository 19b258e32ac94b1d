/** Read a manifest file and validate it; every problem names the file and the YAML line. */
import { dirname, resolve } from 'node:path';
import { readYamlSource, schemaError } from '../pipeline/yaml-errors.js';
import type { YamlSource } from '../pipeline/yaml-errors.js';
import { assertContained } from '../safety/contain.js';
import { manifestSchema } from './schema.js';
import type { Manifest, ManifestEntry } from './schema.js';

export async function loadManifest(path: string): Promise<Manifest> {
  return manifestFromSource(await readYamlSource(path, 'manifest'));
}

export function manifestFromSource(source: YamlSource): Manifest {
  const parsed = manifestSchema.safeParse(source.data);
  if (!parsed.success) throw schemaError(source, parsed.error.issues);
  return { ...parsed.data, source: { file: source.file, display: source.display, lines: source.lines } };
}

/**
 * Absolute path of an entry's (or companion's) local copy, or undefined for url-only entries. A path
 * that leaves the project folder (`..`, a symlink) is an error unless NTL_ALLOW_OUTSIDE_PATHS=1.
 */
export function entryFile(manifest: Manifest, entry: { readonly path?: string }): string | undefined {
  if (entry.path === undefined) return undefined;
  const base = dirname(manifest.source.file);
  assertContained(manifest.source.file, base, entry.path, pathWhere(manifest, entry));
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
