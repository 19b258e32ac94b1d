/**
 * `ntl fetch`: bring every entry of a manifest (or template) that is missing or wrong onto disk.
 * Per entry: download to <data dir>/.ntl-fetch/<id>.download (resumable), unpack to a temporary file while
 * hashing, verify size and sha256 against the manifest, and only then rename into place — a failure at
 * any step leaves the final path as it was.
 *
 * Where files go: a manifest with `data_dir:` keeps its (non-shipped) files there, or in the folder given with
 * --data-dir; a manifest without it keeps them next to itself, or at --data-dir/<path> (the old --dest).
 * `shipped: true` entries are part of the project: verified, never downloaded. `download: manual` entries name
 * a landing page: fetch says where to get the file by hand and where to put it, instead of saving the page.
 * --mirror URL fetches every entry from URL/<path> (its path below the data dir) instead of its `url`.
 */
import { mkdir, open, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { NtlError } from '../errors.js';
import { fileSize } from '../manifest/hash.js';
import { entryBase, manifestFromSource } from '../manifest/load.js';
import { templateManifestSchema } from '../manifest/schema.js';
import type { DownloadMode, UnpackMode } from '../manifest/schema.js';
import { displayPath, readYamlSource, schemaError } from '../pipeline/yaml-errors.js';
import type { YamlSource } from '../pipeline/yaml-errors.js';
import { assertContained } from '../safety/contain.js';
import { projectRoot } from '../safety/paths.js';
import { download } from './http.js';
import type { FetchProgress } from './progress.js';
import { redact, readTokens, type Tokens } from './token.js';
import { hashFile, inferUnpack, unpackTo } from './unpack.js';
import { checkContent, expectedContent, expectedDownload } from './content.js';
import { assertOutputsAreNotInputs, type GuardInput } from '../safety/outputs.js';

export interface FetchOptions {
  /** Only these entry ids. */
  readonly only?: readonly string[];
  /** Only the entries this pipeline reads (`--for`; ids resolved by the caller). */
  readonly forPipeline?: { readonly display: string; readonly ids: readonly string[] };
  /**
   * --data-dir: for a manifest with `data_dir:`, the folder that replaces it; for one without, files go to
   * DIR/<path> (the old --dest). Default: the manifest's data_dir, else the manifest's folder.
   */
  readonly dataDir?: string;
  /** Base URL (http, https or file) holding the files laid out as in the data dir: fetch URL/<path> instead of `url`. */
  readonly mirror?: string;
  /** Files downloaded at once (default 2). */
  readonly jobs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly idleTimeoutMs?: number;
  /** Largest download / unpacked file accepted when the manifest records no size (default 64 GiB). */
  readonly maxBytes?: number;
  /** Allow paths outside the project (or data dir) folder. */
  readonly allowOutside?: boolean;
  /** Other files the command reads (e.g. the --for pipeline): no entry may be downloaded over them. */
  readonly readsAlso?: readonly GuardInput[];
  /** --record-to: the manifest that will be written; it must not be the manifest or any entry's file. */
  readonly recordTo?: string;
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
  readonly shipped?: boolean;
  readonly download?: DownloadMode;
  /** raster | boundaries | table: what the file must look like (fetch checks its first bytes). */
  readonly kind?: string;
  /** A declared text encoding (tables, boundaries), e.g. gbk. */
  readonly encoding?: string;
  /** remote: a raster read in place by pipelines; without a path there is nothing to download. */
  readonly access?: 'local' | 'remote';
}

/**
 * ok: on disk and verified; downloaded: fetched and verified; present: on disk, no checksum recorded yet (hashed,
 * --record writes it); manual: not on disk and must be downloaded by hand (message says how); failed: see message.
 */
export type FetchStatus = 'ok' | 'downloaded' | 'present' | 'manual' | 'failed';

export interface FetchResult {
  readonly id: string;
  readonly index: number;
  readonly status: FetchStatus;
  /** Absolute final path. */
  readonly file?: string;
  readonly size?: number;
  readonly sha256?: string;
  readonly message?: string;
  /** data-dir: the entry's path is relative to the data dir and is never rewritten by --record. */
  readonly relTo?: 'manifest' | 'data-dir';
}

export interface LoadedForFetch {
  readonly source: YamlSource & { readonly dataDir?: string };
  readonly template: boolean;
  /** The manifest's own data_dir (relative to it), if it declares one. */
  readonly data_dir?: string;
  readonly entries: readonly FetchEntry[];
}

export async function loadForFetch(path: string): Promise<LoadedForFetch> {
  const source = await readYamlSource(path, 'manifest');
  const data = source.data as Record<string, unknown> | null;
  const template = data !== null && typeof data === 'object' && data.template === true;
  let entries: readonly Omit<FetchEntry, 'index'>[];
  let dataDir: string | undefined;
  if (template) {
    const parsed = templateManifestSchema.safeParse(data);
    if (!parsed.success) throw schemaError(source, parsed.error.issues);
    entries = parsed.data.entries;
    dataDir = parsed.data.data_dir;
  } else {
    const m = manifestFromSource(source);
    entries = m.entries;
    dataDir = m.data_dir;
  }
  return {
    source,
    template,
    data_dir: dataDir,
    entries: entries.map((e, index) => ({
      index,
      id: e.id,
      path: e.path,
      url: e.url,
      archive_member: e.archive_member,
      unpack: e.unpack,
      size: e.size,
      sha256: e.sha256,
      shipped: e.shipped,
      download: e.download,
      kind: e.kind,
      ...(e.access !== undefined ? { access: e.access } : {}),
      encoding: 'encoding' in e && typeof e.encoding === 'string' ? e.encoding : undefined,
    })),
  };
}

export const STAGING = '.ntl-fetch';

/** Where one entry's file lives and which folder it must stay in. */
interface Target {
  readonly file: string;
  /** Folder the path is relative to (staging goes in base/.ntl-fetch). */
  readonly base: string;
  readonly relTo: 'manifest' | 'data-dir';
}

function targetOf(loaded: LoadedForFetch, e: FetchEntry, o: FetchOptions): Target {
  const path = e.path!;
  const here = dirname(loaded.source.file);
  let base: string;
  let root: string | undefined;
  let inside: string | undefined;
  let relTo: Target['relTo'] = 'manifest';
  if (e.shipped === true) {
    base = here;
  } else if (loaded.data_dir !== undefined) {
    ({ base, root, inside } = entryBase(
      { data_dir: loaded.data_dir, source: { ...loaded.source, dataDir: o.dataDir !== undefined ? resolve(o.dataDir) : undefined } },
      e,
      o.allowOutside,
    ));
    relTo = 'data-dir';
  } else if (o.dataDir !== undefined) {
    base = root = resolve(o.dataDir);
    inside = `--data-dir ${base}`;
  } else {
    base = here;
    root = projectRoot(loaded.source.file);
  }
  assertContained(loaded.source.file, base, path, where(loaded, e, 'path'), { root, allowOutside: o.allowOutside, inside });
  return { file: resolve(base, path), base, relTo };
}

/** The entries to fetch: all, or those of --for, narrowed by --only. */
function pick(loaded: LoadedForFetch, o: FetchOptions): readonly FetchEntry[] {
  let picked = loaded.entries;
  if (o.forPipeline) {
    const ids = new Set(o.forPipeline.ids);
    picked = picked.filter((e) => ids.has(e.id));
  }
  if (o.only && o.only.length > 0) {
    const unknown = o.only.filter((id) => !loaded.entries.some((e) => e.id === id));
    if (unknown.length > 0) {
      throw new NtlError(
        `${loaded.source.display}: --only names unknown entr${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}; ids in this manifest: ${loaded.entries
          .slice(0, 8)
          .map((e) => e.id)
          .join(', ')}${loaded.entries.length > 8 ? ', …' : ''}`,
      );
    }
    if (o.forPipeline) {
      const notRead = o.only.filter((id) => !picked.some((e) => e.id === id));
      if (notRead.length > 0)
        throw new NtlError(
          `${loaded.source.display}: --only names ${notRead.join(', ')}, which ${o.forPipeline.display} does not read; drop --for or those ids`,
        );
    }
    picked = picked.filter((e) => o.only!.includes(e.id));
  }
  return picked;
}

export async function fetchEntries(loaded: LoadedForFetch, o: FetchOptions = {}): Promise<FetchResult[]> {
  const tokens = readTokens(o.env ?? process.env);
  const picked = pick(loaded, o);
  // Check every path (and mirror address) before any download starts: a bad entry must not cost a 10 GB transfer first.
  const targets = new Map<FetchEntry, Target>();
  for (const e of picked) {
    if (e.path === undefined) continue;
    const t = targetOf(loaded, e, o);
    targets.set(e, t);
    // A download must never land on the manifest itself (or another file this command reads).
    if (e.shipped !== true) {
      assertOutputsAreNotInputs(
        'fetch',
        [{ flag: where(loaded, e, 'path'), path: t.file, shown: e.path }],
        [{ flag: 'manifest', path: loaded.source.file, shown: loaded.source.display }, ...(o.readsAlso ?? [])],
      );
    }
    if (o.mirror !== undefined && e.shipped !== true) mirrorUrl(o.mirror, e.path, where(loaded, e, 'path'));
  }
  if (o.recordTo !== undefined) {
    assertOutputsAreNotInputs(
      'fetch',
      [{ flag: '--record-to', path: o.recordTo, example: 'my-data.yaml' }],
      [
        { flag: 'manifest', path: loaded.source.file, shown: loaded.source.display },
        ...[...targets].map(([e, t]) => ({ flag: where(loaded, e, 'path'), path: t.file, shown: e.path })),
      ],
    );
  }
  const results: FetchResult[] = new Array(picked.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < picked.length) {
      const i = next++;
      const e = picked[i];
      try {
        results[i] = await fetchOne(loaded, e, targets.get(e), tokens, o);
      } catch (err) {
        // fs failures (permissions, full disk) are reported per file like network ones
        const text = err instanceof NtlError ? err.message : `fetch ${e.id}: ${(err as Error).message}`;
        const message = redact(text, tokens);
        o.progress?.end(e.id, `FAILED  ${e.id}`);
        results[i] = { id: e.id, index: e.index, status: 'failed', message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs ?? 2, picked.length)) }, worker));
  // only when empty: partial downloads stay for a resume
  for (const base of new Set([...targets.values()].map((t) => t.base))) await rmdir(join(base, STAGING)).catch(() => undefined);
  return results;
}

function where(loaded: LoadedForFetch, e: FetchEntry, key: string): string {
  const line = loaded.source.lines[`entries[${e.index}].${key}`] ?? loaded.source.lines[`entries[${e.index}]`] ?? 1;
  return `${loaded.source.display} line ${line}: entries[${e.index}].${key}`;
}

/** URL of an entry on the mirror: the mirror base joined with the entry's path (which must not climb out with '..'). */
export function mirrorUrl(mirror: string, path: string, at: string): string {
  const parts = path.split(/[/\\]/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw new NtlError(
      `${at} '${path}' leaves the data dir, so it has no place on a mirror (--mirror serves the files laid out as in the data dir); give the manifest a data_dir, or fetch without --mirror`,
    );
  }
  const base = mirror.endsWith('/') ? mirror : `${mirror}/`;
  return new URL(parts.map(encodeURIComponent).join('/'), base).href;
}

async function fetchOne(loaded: LoadedForFetch, e: FetchEntry, target: Target | undefined, tokens: Tokens, o: FetchOptions): Promise<FetchResult> {
  const label = `${e.id} (${loaded.source.display} line ${loaded.source.lines[`entries[${e.index}]`] ?? 1})`;
  if (e.access === 'remote' && e.path === undefined) {
    o.progress?.end(e.id, `remote  ${e.id}  (access: remote: read in place, nothing to download)`);
    return { id: e.id, index: e.index, status: 'ok', message: 'read in place (access: remote)' };
  }
  if (e.path === undefined || target === undefined)
    throw new NtlError(`fetch ${label}: the entry has no path, so there is nowhere to put the file; add path: <file name>`);
  const { file } = target;
  const base = { id: e.id, index: e.index, relTo: target.relTo } as const;
  const have = await fileSize(file);
  if (have !== undefined) {
    if (e.sha256 === undefined) {
      // about to be hashed (and with --record, recorded): a saved login page must not become data
      await checkContent(file, {
        label,
        what: `the file on disk ${displayPath(file)}`,
        expect: contentOf(e),
        encoding: e.encoding,
        outcome: 'it is not recorded: replace it with the real file',
      });
      o.progress?.end(e.id, `present ${e.id}  (no checksum recorded yet)`);
      return { ...base, status: 'present', file, ...(await hashFile(file)) };
    }
    if (e.size === undefined || have === e.size) {
      const h = await hashFile(file);
      if (h.sha256 === e.sha256) {
        o.progress?.end(e.id, `ok      ${e.id}`);
        return { ...base, status: 'ok', file, ...h };
      }
    }
  }
  if (e.shipped === true) {
    throw new NtlError(
      `fetch ${label}: the file ships with the project (shipped: true) but ${displayPath(file)} is ${have === undefined ? 'missing' : 'not the recorded one'}; ` +
        'fetch never downloads shipped files: restore it from the repository (`git checkout -- <file>`), or record a changed file deliberately with `ntl manifest add --replace`',
    );
  }
  if (e.download === 'manual' && o.mirror === undefined) {
    o.progress?.end(e.id, `manual  ${e.id}  (download by hand: ${e.url})`);
    return {
      ...base,
      status: 'manual',
      file,
      message: `${e.id}: ${e.url}\n      → save as ${displayPath(file)}${have !== undefined ? ' (the file there now is not the recorded one)' : ''}`,
    };
  }
  const url = o.mirror !== undefined ? mirrorUrl(o.mirror, e.path, label) : e.url;
  if (url === undefined)
    throw new NtlError(
      `fetch ${label}: the file is ${have === undefined ? 'missing' : 'not the recorded one'} and the entry has no url; add url: or fetch it by hand`,
    );
  // A mirror holds the files as they lie in the data dir: already unpacked.
  const mode = o.mirror !== undefined ? 'none' : (e.unpack ?? inferUnpack(e.url, e.archive_member));
  if ((mode === 'tar' || mode === 'tar+gz') && e.archive_member === undefined) {
    throw new NtlError(`fetch ${label}: unpack is ${mode} but the entry names no archive_member (the file inside the .tar)`);
  }

  const staging = join(target.base, STAGING);
  await mkdir(staging, { recursive: true });
  const part = join(staging, `${e.id}.download`);
  o.progress?.start(e.id, url);
  const max = o.maxBytes ?? 64 * 2 ** 30;
  await download({
    url,
    partFile: part,
    tokens,
    retries: o.retries,
    backoffMs: o.backoffMs,
    idleTimeoutMs: o.idleTimeoutMs,
    maxBytes: mode === 'none' && e.size !== undefined ? e.size : max,
    label,
    fromMirror: o.mirror !== undefined,
    onProgress: (r, t) => o.progress?.update(e.id, r, t),
  });

  const tmp = join(staging, `${e.id}.unpacked.tmp`);
  let got;
  // Before anything is unpacked, compared or moved into place: is it the kind of file the entry says?
  const discard = async () => {
    await unlink(part).catch(() => undefined); // never resumed next time
    await rm(`${part}.json`, { force: true });
  };
  const from = redactedUrl(url);
  const outcome = 'nothing was saved or recorded (the download is deleted)';
  try {
    await checkContent(part, {
      label,
      from,
      what: 'the download',
      expect: mode === 'none' ? contentOf(e) : expectedDownload(mode),
      encoding: e.encoding,
      outcome,
    });
  } catch (err) {
    await discard();
    throw err;
  }
  try {
    if (mode === 'none') {
      got = await hashFile(part);
    } else {
      const limit = e.size ?? max;
      got = await unpackTo(part, tmp, {
        mode,
        member: e.archive_member,
        maxBytes: limit,
        label,
        limitReason: e.size !== undefined ? 'the size the manifest records' : 'the --max-size limit',
      });
      try {
        await checkContent(tmp, {
          label,
          from,
          what: `the unpacked file${e.archive_member ? ` ${e.archive_member}` : ''}`,
          expect: contentOf(e),
          encoding: e.encoding,
          outcome,
        });
      } catch (err) {
        await discard();
        throw err;
      }
    }
    if ((e.size !== undefined && got.size !== e.size) || (e.sha256 !== undefined && got.sha256 !== e.sha256)) {
      await unlink(part).catch(() => undefined); // a wrong download must not be resumed next time
      await rm(`${part}.json`, { force: true });
      const what =
        e.size !== undefined && got.size !== e.size
          ? `${got.size} bytes, the manifest records ${e.size}`
          : `sha256 ${got.sha256}, the manifest records ${e.sha256}`;
      throw new NtlError(
        `fetch ${label}: checksum mismatch: the downloaded file has ${what}; nothing was replaced. ` +
          (o.mirror !== undefined
            ? `The mirror's copy (${url}) is not the recorded file: fix the mirror, or fetch from the entry's url without --mirror`
            : 'The file changed upstream or the download is corrupt: check the url, and if the new file is right, remove size and sha256 from the entry and run `ntl fetch --record`'),
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
  return { ...base, status: 'downloaded', file, ...got };
}

/** The types the entry's file may have (by its path's extension, else its kind). */
function contentOf(e: FetchEntry): ReturnType<typeof expectedDownload> {
  const t = e.path === undefined ? null : expectedContent(e.path, e.kind);
  return t === null ? null : [t];
}

/** The url for messages: no user:password, no query (it may carry a token). */
function redactedUrl(href: string): string {
  try {
    const u = new URL(href);
    return u.protocol === 'file:' ? u.pathname : `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

async function syncFile(p: string): Promise<void> {
  const fh = await open(p, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
