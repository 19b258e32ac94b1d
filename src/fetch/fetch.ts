/**
 * `ntl fetch`: bring every entry of a manifest (or template) that is missing or wrong onto disk.
 * Per entry: download to DEST/.ntl-fetch/<id>.download (resumable), unpack to a temporary file while
 * hashing, verify size and sha256 against the manifest, and only then rename into place — a failure at
 * any step leaves the final path as it was.
 */
import { mkdir, open, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { NtlError } from '../errors.js';
import { fileSize } from '../manifest/hash.js';
import { manifestFromSource } from '../manifest/load.js';
import { templateManifestSchema } from '../manifest/schema.js';
import type { UnpackMode } from '../manifest/schema.js';
import { readYamlSource, schemaError } from '../pipeline/yaml-errors.js';
import type { YamlSource } from '../pipeline/yaml-errors.js';
import { assertContained } from '../safety/contain.js';
import { projectRoot } from '../safety/paths.js';
import { download } from './http.js';
import type { FetchProgress } from './progress.js';
import { redact, readToken, type Token } from './token.js';
import { hashFile, inferUnpack, unpackTo } from './unpack.js';

export interface FetchOptions {
  /** Only these entry ids. */
  readonly only?: readonly string[];
  /** Files go to DEST/<path>; default: the manifest's folder. */
  readonly dest?: string;
  /** Files downloaded at once (default 2). */
  readonly jobs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly idleTimeoutMs?: number;
  /** Largest download / unpacked file accepted when the manifest records no size (default 64 GiB). */
  readonly maxBytes?: number;
  /** Allow paths outside the project (or --dest) folder. */
  readonly allowOutside?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly progress?: FetchProgress;
}

/** An entry as fetch sees it (manifest or template). */
export interface FetchEntry {
  readonly index: number;
  readonly id: string;
  readonly path?: string;
  readonly url?: string;
  readonly archive_member?: string;
  readonly unpack?: UnpackMode;
  readonly size?: number;
  readonly sha256?: string;
}

export type FetchStatus = 'ok' | 'downloaded' | 'present' | 'failed';

export interface FetchResult {
  readonly id: string;
  readonly index: number;
  readonly status: FetchStatus;
  /** Absolute final path. */
  readonly file?: string;
  readonly size?: number;
  readonly sha256?: string;
  readonly message?: string;
}

export interface LoadedForFetch {
  readonly source: YamlSource;
  readonly template: boolean;
  readonly entries: readonly FetchEntry[];
}

export async function loadForFetch(path: string): Promise<LoadedForFetch> {
  const source = await readYamlSource(path, 'manifest');
  const data = source.data as Record<string, unknown> | null;
  const template = data !== null && typeof data === 'object' && data.template === true;
  let entries: readonly Omit<FetchEntry, 'index'>[];
  if (template) {
    const parsed = templateManifestSchema.safeParse(data);
    if (!parsed.success) throw schemaError(source, parsed.error.issues);
    entries = parsed.data.entries;
  } else {
    entries = manifestFromSource(source).entries;
  }
  return {
    source,
    template,
    entries: entries.map((e, index) => ({
      index, id: e.id, path: e.path, url: e.url, archive_member: e.archive_member, unpack: e.unpack, size: e.size, sha256: e.sha256,
    })),
  };
}

export const STAGING = '.ntl-fetch';

export async function fetchEntries(loaded: LoadedForFetch, o: FetchOptions = {}): Promise<FetchResult[]> {
  const token = readToken(o.env ?? process.env);
  const dest = o.dest !== undefined ? resolve(o.dest) : dirname(loaded.source.file);
  const root = o.dest !== undefined ? dest : projectRoot(loaded.source.file);
  let picked = loaded.entries;
  if (o.only && o.only.length > 0) {
    const unknown = o.only.filter((id) => !loaded.entries.some((e) => e.id === id));
    if (unknown.length > 0) {
      throw new NtlError(`${loaded.source.display}: --only names unknown entr${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}; ids in this manifest: ${loaded.entries.slice(0, 8).map((e) => e.id).join(', ')}${loaded.entries.length > 8 ? ', …' : ''}`);
    }
    picked = loaded.entries.filter((e) => o.only!.includes(e.id));
  }
  // Check every path before any download starts: a bad entry must not cost a 10 GB transfer first.
  for (const e of picked) {
    if (e.path !== undefined) assertContained(loaded.source.file, dest, e.path, where(loaded, e, 'path'), { root, allowOutside: o.allowOutside });
  }
  const results: FetchResult[] = new Array(picked.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < picked.length) {
      const i = next++;
      const e = picked[i];
      try {
        results[i] = await fetchOne(loaded, e, dest, token, o);
      } catch (err) {
        // fs failures (permissions, full disk) are reported per file like network ones
        const text = err instanceof NtlError ? err.message : `fetch ${e.id}: ${(err as Error).message}`;
        const message = redact(text, token);
        o.progress?.end(e.id, `FAILED  ${e.id}`);
        results[i] = { id: e.id, index: e.index, status: 'failed', message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs ?? 2, picked.length)) }, worker));
  await rmdir(join(dest, STAGING)).catch(() => undefined); // only when empty: partial downloads stay for a resume
  return results;
}

function where(loaded: LoadedForFetch, e: FetchEntry, key: string): string {
  const line = loaded.source.lines[`entries[${e.index}].${key}`] ?? loaded.source.lines[`entries[${e.index}]`] ?? 1;
  return `${loaded.source.display} line ${line}: entries[${e.index}].${key}`;
}

async function fetchOne(loaded: LoadedForFetch, e: FetchEntry, dest: string, token: Token | undefined, o: FetchOptions): Promise<FetchResult> {
  const label = `${e.id} (${loaded.source.display} line ${loaded.source.lines[`entries[${e.index}]`] ?? 1})`;
  if (e.path === undefined) throw new NtlError(`fetch ${label}: the entry has no path, so there is nowhere to put the file; add path: <file name>`);
  const file = resolve(dest, e.path);
  const have = await fileSize(file);
  if (have !== undefined) {
    if (e.sha256 === undefined) {
      o.progress?.end(e.id, `present ${e.id}  (no checksum recorded yet)`);
      return { id: e.id, index: e.index, status: 'present', file, ...(await hashFile(file)) };
    }
    if (e.size === undefined || have === e.size) {
      const h = await hashFile(file);
      if (h.sha256 === e.sha256) {
        o.progress?.end(e.id, `ok      ${e.id}`);
        return { id: e.id, index: e.index, status: 'ok', file, ...h };
      }
    }
  }
  if (e.url === undefined) throw new NtlError(`fetch ${label}: the file is ${have === undefined ? 'missing' : 'not the recorded one'} and the entry has no url; add url: or fetch it by hand`);
  const mode = e.unpack ?? inferUnpack(e.url, e.archive_member);
  if ((mode === 'tar' || mode === 'tar+gz') && e.archive_member === undefined) {
    throw new NtlError(`fetch ${label}: unpack is ${mode} but the entry names no archive_member (the file inside the .tar)`);
  }

  const staging = join(dest, STAGING);
  await mkdir(staging, { recursive: true });
  const part = join(staging, `${e.id}.download`);
  o.progress?.start(e.id, e.url);
  const max = o.maxBytes ?? 64 * 2 ** 30;
  await download({
    url: e.url, partFile: part, token, retries: o.retries, backoffMs: o.backoffMs, idleTimeoutMs: o.idleTimeoutMs,
    maxBytes: mode === 'none' && e.size !== undefined ? e.size : max, label,
    onProgress: (r, t) => o.progress?.update(e.id, r, t),
  });

  const tmp = join(staging, `${e.id}.unpacked.tmp`);
  let got;
  try {
    if (mode === 'none') {
      got = await hashFile(part);
    } else {
      const limit = e.size ?? max;
      got = await unpackTo(part, tmp, {
        mode, member: e.archive_member, maxBytes: limit, label,
        limitReason: e.size !== undefined ? 'the size the manifest records' : 'the --max-size limit',
      });
    }
    if ((e.size !== undefined && got.size !== e.size) || (e.sha256 !== undefined && got.sha256 !== e.sha256)) {
      await unlink(part).catch(() => undefined); // a wrong download must not be resumed next time
      await rm(`${part}.json`, { force: true });
      const what = e.size !== undefined && got.size !== e.size ? `${got.size} bytes, the manifest records ${e.size}` : `sha256 ${got.sha256}, the manifest records ${e.sha256}`;
      throw new NtlError(
        `fetch ${label}: checksum mismatch: the downloaded file has ${what}; nothing was replaced. ` +
          'The file changed upstream or the download is corrupt: check the url, and if the new file is right, remove size and sha256 from the entry and run `ntl fetch --record`',
      );
    }
    const ready = mode === 'none' ? part : tmp;
    await syncFile(ready);
    await mkdir(dirname(file), { recursive: true });
    await rename(ready, file);
  } finally {
    await rm(tmp, { force: true });
  }
  await rm(part, { force: true });
  await rm(`${part}.json`, { force: true });
  o.progress?.end(e.id, `fetched ${e.id}  ${got.size} bytes  sha256 ${got.sha256.slice(0, 12)}…`);
  return { id: e.id, index: e.index, status: 'downloaded', file, ...got };
}

async function syncFile(p: string): Promise<void> {
  const fh = await open(p, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
