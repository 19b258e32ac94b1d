/** Read a manifest file and validate it; every problem names the file and the YAML line. */
import { dirname, resolve } from 'node:path';
import { readYamlSource, schemaError } from '../pipeline/yaml-errors.js';
import type { YamlSource } from '../pipeline/yaml-errors.js';
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

/** Absolute path of an entry's local copy, or undefined for url-only entries. */
export function entryFile(manifest: Manifest, entry: { readonly path?: string }): string | undefined {
  return entry.path === undefined ? undefined : resolve(dirname(manifest.source.file), entry.path);
}

export function findEntry(manifest: Manifest, id: string): ManifestEntry | undefined {
  return manifest.entries.find((e) => e.id === id);
}

/** YAML line where an entry starts (for messages raised after loading). */
export function entryLine(manifest: Manifest, id: string): number | undefined {
  const i = manifest.entries.findIndex((e) => e.id === id);
  return i < 0 ? undefined : manifest.source.lines[`entries[${i}]`];
}
