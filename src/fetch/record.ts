/**
 * `ntl fetch --record` / `--record-to`: write the measured size and sha256 of fetched files into the
 * manifest YAML, keeping comments, order and every other field (the same document-preserving edit as
 * `ntl manifest add`).
 *
 * --record       edits the manifest in place; a template (`template: true`) becomes a regular manifest
 *                only once every entry has a path, size and sha256 — until then it stays a template.
 * --record-to F  leaves the source untouched and writes F: a regular manifest holding only the entries
 *                that have checksums (so fetching 3 of 34 DMSP years gives a usable 3-entry manifest).
 * Paths are rewritten relative to the written manifest when files went to another --data-dir — except in a
 * manifest with `data_dir:`, whose (non-shipped) paths are relative to the data dir and stay as they are
 * (--record-to rewrites `data_dir` instead, so the new manifest points at the same folder).
 * A regular manifest may keep unrecorded entries (`sha256: null`); it stays regular.
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import { NtlError } from '../errors.js';
import { manifestFromSource } from '../manifest/load.js';
import { templateManifestSchema } from '../manifest/schema.js';
import { writeFileAtomic } from '../output/atomic.js';
import { displayPath, parseYamlText, schemaError } from '../pipeline/yaml-errors.js';
import type { FetchResult } from './fetch.js';

export interface RecordSummary {
  readonly file: string;
  readonly recorded: number;
  /** Entries still without a checksum. */
  readonly missing: readonly string[];
  /** True when the written file is a regular (non-template) manifest. */
  readonly regular: boolean;
}

export interface RecordOptions {
  /** --record-to: write this new manifest instead of editing the source. */
  readonly recordTo?: string;
  /** The data dir the files went to (--data-dir, else the manifest's data_dir), for a manifest with data_dir. */
  readonly dataDir?: string;
}

export async function recordResults(manifestFile: string, results: readonly FetchResult[], options: RecordOptions = {}): Promise<RecordSummary> {
  const { recordTo } = options;
  const target = resolve(recordTo ?? manifestFile);
  const doc = parseDocument(await readFile(manifestFile, 'utf8'));
  const entries = doc.get('entries', true);
  if (!isSeq(entries)) throw new NtlError(`${displayPath(manifestFile)}: 'entries' must be a list`);
  const wasTemplate = doc.get('template') === true;
  const ownDataDir = doc.get('data_dir');
  if (recordTo !== undefined && typeof ownDataDir === 'string') {
    const dir = options.dataDir ?? resolve(dirname(manifestFile), ownDataDir);
    doc.set('data_dir', relative(dirname(target), dir).split(sep).join('/') || '.');
  }
  let recorded = 0;
  for (const r of results) {
    if (r.status === 'failed' || r.status === 'manual' || r.file === undefined || r.sha256 === undefined) continue;
    const node = entries.items[r.index];
    if (!isMap(node)) continue;
    const path = r.relTo === 'data-dir' ? String(node.get('path')) : relative(dirname(target), r.file).split(sep).join('/');
    if (node.get('sha256') !== r.sha256 || node.get('size') !== r.size || node.get('path') !== path) recorded++;
    setAfter(doc, node, 'path', path, ['id']);
    setAfter(doc, node, 'size', r.size, ['unpack', 'archive_member', 'url', 'path']);
    setAfter(doc, node, 'sha256', r.sha256, ['size']);
  }
  const has = (n: unknown): boolean => isMap(n) && typeof n.get('sha256') === 'string' && typeof n.get('size') === 'number' && n.get('path') != null;
  const ids = (items: unknown[]): string[] => items.filter((n) => !has(n)).map((n) => String(isMap(n) ? n.get('id') : '?'));
  if (recordTo !== undefined) {
    entries.items = entries.items.filter(has);
    if (entries.items.length === 0)
      throw new NtlError(`--record-to ${displayPath(target)}: no entry has a checksum yet (nothing was fetched or present); nothing written`);
  }
  const missing = ids(entries.items);
  // A template turns regular once every entry is recorded; a regular manifest stays regular.
  const regular = !wasTemplate || recordTo !== undefined || missing.length === 0;
  if (regular) doc.delete('template');
  const out = doc.toString({ lineWidth: 0 });
  // Never write a manifest we could not read back.
  const source = parseYamlText(out, target, 'manifest');
  if (regular) manifestFromSource(source);
  else {
    const parsed = templateManifestSchema.safeParse(source.data);
    if (!parsed.success) throw schemaError(source, parsed.error.issues);
  }
  await writeFileAtomic(target, out);
  return { file: target, recorded, missing, regular };
}

/** Set key in place when present (keeps its position and comments), else insert it after the first existing anchor key. */
function setAfter(doc: Document, node: YAMLMap, key: string, value: unknown, anchors: readonly string[]): void {
  if (node.has(key)) {
    node.set(key, value);
    return;
  }
  const pair = doc.createPair(key, value);
  for (const a of anchors) {
    const i = node.items.findIndex((p) => isScalar(p.key) && p.key.value === a);
    if (i >= 0) {
      node.items.splice(i + 1, 0, pair);
      return;
    }
  }
  node.items.push(pair);
}
