/**
 * Check that every file a manifest names is present and byte-identical to what was recorded
 * (size first — cheap — then a streamed sha256).
 */
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import { NtlError } from '../errors.js';
import { displayPath } from '../pipeline/yaml-errors.js';
import { fileSize, sha256File } from './hash.js';
import { entryBase, entryFile } from './load.js';
import type { Manifest } from './schema.js';

/**
 * unrecorded: the manifest says `size: null` / `sha256: null` (a file not at hand yet): nothing to verify, not a
 * failure — a pipeline that reads such an entry is refused, and `ntl fetch --record` fills the checksums.
 * remote: an `access: remote` raster without a local copy: read in place, so nothing to verify here (`ntl run`
 * checks its size and etag / last_modified against the server before any work); not a failure.
 */
export type VerifyStatus = 'ok' | 'missing' | 'size-mismatch' | 'checksum-mismatch' | 'no-local-path' | 'unrecorded' | 'remote';

export interface VerifyItem {
  readonly entryId: string;
  /** 'main' for the entry's own file, else the companion's path as written in the manifest. */
  readonly part: 'main' | string;
  /** Path as written in the manifest (relative to it); undefined for url-only entries. */
  readonly path: string | undefined;
  /** Absolute path checked; undefined for url-only entries. */
  readonly file: string | undefined;
  readonly url: string | undefined;
  /** The data dir the path is relative to, when it is not the manifest's folder (manifests with data_dir). */
  readonly dataDir?: string;
  readonly status: VerifyStatus;
  /** Undefined for unrecorded entries. */
  readonly expectedSize?: number;
  readonly expectedSha256?: string;
  readonly actualSize?: number;
  readonly actualSha256?: string;
}

export interface VerifyReport {
  readonly manifest: string;
  readonly items: readonly VerifyItem[];
  readonly ok: boolean;
}

export interface VerifyProgress {
  readonly done: number;
  readonly total: number;
  readonly item: VerifyItem;
}

export interface VerifyOptions {
  readonly onProgress?: (p: VerifyProgress) => void;
  /** Files hashed at once (default 2: hashing is I/O bound). */
  readonly concurrency?: number;
}

interface Check {
  readonly entryId: string;
  readonly part: string;
  readonly path: string | undefined;
  readonly file: string | undefined;
  readonly url: string | undefined;
  readonly dataDir?: string;
  readonly size: number | undefined;
  readonly sha256: string | undefined;
  /** An `access: remote` raster: a missing local copy is not a failure. */
  readonly remote?: boolean;
}

export async function verifyManifest(manifest: Manifest, options: VerifyOptions = {}): Promise<VerifyReport> {
  const checks: Check[] = [];
  for (const e of manifest.entries) {
    const { base } = entryBase(manifest, e);
    const dataDir = base !== dirname(manifest.source.file) ? { dataDir: base } : {};
    const remote = e.kind === 'raster' && e.access === 'remote' ? { remote: true } : {};
    checks.push({ entryId: e.id, part: 'main', path: e.path, file: entryFile(manifest, e), url: e.url, size: e.size, sha256: e.sha256, ...dataDir, ...remote });
    for (const c of e.companions ?? []) {
      checks.push({ entryId: e.id, part: c.path, path: c.path, file: entryFile(manifest, c), url: undefined, size: c.size, sha256: c.sha256, ...dataDir });
    }
  }
  // Several entries may share one file (bands of a datacube): hash each file once.
  const hashes = new Map<string, Promise<string>>();
  const limit = pLimit(Math.max(1, options.concurrency ?? 2));
  let done = 0;
  const items = await Promise.all(
    checks.map((c) =>
      limit(async () => {
        const item = await checkFile(c, hashes);
        done++;
        options.onProgress?.({ done, total: checks.length, item });
        return item;
      }),
    ),
  );
  return { manifest: manifest.source.display, items, ok: items.every((i) => i.status === 'ok' || i.status === 'unrecorded' || i.status === 'remote') };
}

async function checkFile(c: Check, hashes: Map<string, Promise<string>>): Promise<VerifyItem> {
  const base = {
    entryId: c.entryId,
    part: c.part,
    path: c.path,
    file: c.file,
    url: c.url,
    ...(c.dataDir !== undefined ? { dataDir: c.dataDir } : {}),
    expectedSize: c.size,
    expectedSha256: c.sha256,
  };
  if (c.remote && (c.file === undefined || (await fileSize(c.file)) === undefined)) {
    // read in place; a local copy, when there is one, is verified like any file below
    return { ...base, status: c.size === undefined ? 'unrecorded' : 'remote' };
  }
  if (c.size === undefined || c.sha256 === undefined) {
    const actualSize = c.file === undefined ? undefined : await fileSize(c.file);
    return { ...base, status: 'unrecorded', ...(actualSize !== undefined ? { actualSize } : {}) };
  }
  if (c.file === undefined) return { ...base, status: 'no-local-path' };
  const actualSize = await fileSize(c.file);
  if (actualSize === undefined) return { ...base, status: 'missing' };
  if (actualSize !== c.size) return { ...base, status: 'size-mismatch', actualSize };
  let pending = hashes.get(c.file);
  if (!pending) {
    pending = sha256File(c.file);
    hashes.set(c.file, pending);
  }
  const actualSha256 = await pending;
  return { ...base, status: actualSha256 === c.sha256 ? 'ok' : 'checksum-mismatch', actualSize, actualSha256 };
}

/** Throw one NtlError listing every file that failed, with what to do about it. */
export function assertVerified(report: VerifyReport): void {
  const bad = report.items.filter((i) => i.status !== 'ok' && i.status !== 'unrecorded' && i.status !== 'remote');
  if (bad.length === 0) return;
  const lines = bad.map((i) => `  - ${i.entryId}${i.part === 'main' ? '' : ` (companion ${i.part})`}: ${describeFailure(i)}`);
  throw new NtlError(
    `${report.manifest}: ${bad.length} of ${report.items.length} file(s) failed verification:\n${lines.join('\n')}\n` +
      're-download the listed files, or run `ntl manifest add` to record a new file deliberately' +
      (bad.some((i) => i.status === 'missing') ? ` (\`ntl fetch ${report.manifest}\` downloads missing files; add --data-dir DIR if they live elsewhere)` : ''),
  );
}

function describeFailure(i: VerifyItem): string {
  switch (i.status) {
    case 'missing':
      return `missing: ${i.path} not found${i.dataDir !== undefined ? ` in ${displayPath(i.dataDir)}` : ''}${i.url ? ` (download it from ${i.url})` : ''}`;
    case 'no-local-path':
      return `no local copy: the entry has only a url (${i.url}); download it and record its path`;
    case 'size-mismatch':
      return `size mismatch: ${i.path} is ${i.actualSize} bytes, the manifest records ${i.expectedSize} (${sizeDifference(i.actualSize!, i.expectedSize!)})`;
    case 'checksum-mismatch': {
      const d = hashDifference(i.actualSha256 ?? '', i.expectedSha256!);
      return (
        `checksum mismatch: ${i.path} has sha256 ${i.actualSha256}, the manifest records ${i.expectedSha256}: they first differ at character ${d.at} ` +
        `(${d.actual} vs ${d.expected}); the size is as recorded (${i.expectedSize} bytes), so the content changed`
      );
    }
    default:
      return i.status;
  }
}

/**
 * Where two hashes differ, for messages: each cut after the first differing character (at least 12 characters),
 * that character marked [x], and its 1-based position — prefixes of the same length never look identical.
 */
export function hashDifference(actual: string, expected: string): { actual: string; expected: string; at: number } {
  let d = 0;
  while (d < actual.length && d < expected.length && actual[d] === expected[d]) d++;
  const cut = (h: string): string => {
    if (d >= h.length) return `${h}[]`;
    const shown = `${h.slice(0, d)}[${h[d]}]${h.slice(d + 1, Math.max(12, d + 1))}`;
    return Math.max(12, d + 1) < h.length ? `${shown}…` : shown;
  };
  return { actual: cut(actual), expected: cut(expected), at: d + 1 };
}

/** "13 bytes fewer — an interrupted download?" / "7 bytes more". */
export function sizeDifference(actual: number, expected: number): string {
  const diff = actual - expected;
  return diff < 0 ? `${-diff} bytes fewer — an interrupted download or a truncated copy?` : `${diff} bytes more — a different version of the file?`;
}
