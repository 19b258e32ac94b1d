/**
 * A raster read in place over HTTP(S) with range requests (a Cloud-Optimised or any tiled GeoTIFF).
 *
 * - The first request asks for the first `headerBytes` (16 KiB); its Content-Range gives the file size and its
 *   ETag / Last-Modified identify the version, so no HEAD request is needed. Later header reads (a large tag array,
 *   an image directory at the end of the file) read ahead by the same amount.
 * - Block reads come from the reader already merged (ByteSource.coalesce: ranges less than 64 KiB apart become
 *   one request, at most 16 MiB each). A range the server answers in parts is completed by further requests.
 * - Every range read goes through a process-wide LRU cache bounded in bytes (RangeCache, 64 MiB unless
 *   NTL_REMOTE_CACHE_MB says otherwise), keyed by URL and version, so reopening a file (header, then blocks;
 *   a pipeline's stages) does not fetch the same bytes twice.
 * - Transient failures (connection reset or refused, a silent socket, HTTP 408/429/5xx) are retried with
 *   exponential backoff, honouring Retry-After (capped), a bounded number of times; every other answer is one
 *   NtlError saying what to do. At most `concurrency` requests run at once.
 * - The token is the one `ntl fetch` uses (src/fetch/token.ts): sent only to a host it is for (tokenAllowedFor:
 *   https, or a host:port listed in NTL_EOG_TOKEN_HOSTS), never to another host, and never again in a request
 *   that was redirected to another host. No message carries it: URLs are shown without query or credentials,
 *   and every message passes through `redact`.
 * - A server that ignores Range (200 with the whole body) is refused with an error that offers `ntl fetch`;
 *   with `downloadIfNoRange` the body is saved to a temporary file instead (with a warning) and read from there.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import { NtlError } from '../errors.js';
import { safeUrl } from '../fetch/http.js';
import { readToken, redact, tokenAllowedFor, TOKEN_ENV, TOKEN_FILE_ENV, TOKEN_HOSTS_ENV, type Token } from '../fetch/token.js';
import { FileByteSource, type ByteSource } from './byte-source.js';

export interface RemoteOptions {
  /** Token for hosts it is meant for; undefined: read from the environment like `ntl fetch` (NTL_EOG_TOKEN…); null: none. */
  readonly token?: Token | null;
  /** Environment the token is read from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Attempts after the first for one range (default 4). */
  readonly retries?: number;
  /** First backoff, doubling per attempt (default 500 ms). */
  readonly backoffMs?: number;
  /** Longest Retry-After honoured (default 30 s); a longer one waits this long. */
  readonly maxRetryAfterMs?: number;
  /** A connection silent this long is dropped and retried (default 30 s). */
  readonly timeoutMs?: number;
  /** Bytes asked for by the first request, and read ahead by later header reads (default 16 KiB). */
  readonly headerBytes?: number;
  /** Block ranges at most this far apart are fetched in one request (default 64 KiB). */
  readonly gap?: number;
  /** Largest merged request (default 16 MiB). */
  readonly maxRequest?: number;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Range cache (default the process-wide one). */
  readonly cache?: RangeCache;
  /** What the file must be: size (bytes), ETag and/or Last-Modified as recorded (manifest `access: remote` entries). */
  readonly pin?: RemotePin;
  /** Names the file in messages beside its URL, e.g. "entry viirs-2020 (data-manifests/x.yaml line 12)". */
  readonly label?: string;
  /** A server that ignores Range: download the whole file to a temporary file (deleted on close) instead of failing. */
  readonly downloadIfNoRange?: boolean;
  /** Largest such download (default 64 GiB). */
  readonly maxDownloadBytes?: number;
  /** Receives warnings (the temporary download). */
  readonly onWarning?: (message: string) => void;
  /** What the error for a server that ignores Range tells the user to do (default: download it, or --download-if-no-range). */
  readonly noRangeAdvice?: string;
}

export interface RemotePin {
  /** Recorded (manifest) size, ETag and Last-Modified. */
  readonly size?: number;
  readonly etag?: string;
  readonly lastModified?: string;
  /** What an earlier open in this run saw: a different answer now means the file changed during the run. */
  readonly seen?: { readonly etag?: string; readonly lastModified?: string; readonly headerSha256?: string };
}

/** What a remote source saw and fetched (run.json, tests). */
export interface RemoteReport {
  readonly url: string;
  readonly size: number;
  readonly etag?: string;
  readonly lastModified?: string;
  /** HTTP exchanges that returned data (redirect hops not counted). */
  readonly requests: number;
  /** Body bytes received. */
  readonly bytes: number;
  /** true when the server ignored ranges and the whole file was downloaded to a temporary file. */
  readonly downloaded?: boolean;
  /** sha256 of the first bytes (the header read): a version fingerprint for servers that send no ETag / Last-Modified. */
  readonly headerSha256: string;
}

/** Requests and body bytes per URL (as messages show it) since the process started: every source of that URL. */
const traffic = new Map<string, { requests: number; bytes: number }>();

export function remoteTraffic(): ReadonlyMap<string, { readonly requests: number; readonly bytes: number }> {
  return new Map([...traffic].map(([k, v]) => [k, { ...v }]));
}

function count(name: string, requests: number, bytes: number): void {
  const t = traffic.get(name) ?? { requests: 0, bytes: 0 };
  t.requests += requests;
  t.bytes += bytes;
  traffic.set(name, t);
}

const DEFAULTS = {
  retries: 4,
  backoffMs: 500,
  maxRetryAfterMs: 30_000,
  timeoutMs: 30_000,
  headerBytes: 16 * 1024,
  gap: 64 * 1024,
  maxRequest: 16 * 1024 * 1024,
  concurrency: 4,
  maxDownloadBytes: 64 * 2 ** 30,
};
const REDIRECTS = 5;

// --- the range cache ---------------------------------------------------------------------------------

interface CacheEntry {
  readonly file: string;
  readonly offset: number;
  readonly data: Uint8Array;
}

/** Byte ranges of remote files, least recently used dropped first once `maxBytes` is reached. */
export class RangeCache {
  /** Insertion order = recency (a hit is moved to the end). */
  private readonly lru = new Map<string, CacheEntry>();
  private readonly byFile = new Map<string, Set<CacheEntry>>();
  private held = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.held;
  }

  /** A copy of [offset, offset+length) of `file` if one cached range holds all of it. */
  get(file: string, offset: number, length: number): Uint8Array | undefined {
    const set = this.byFile.get(file);
    if (!set) return undefined;
    for (const e of set) {
      if (e.offset <= offset && offset + length <= e.offset + e.data.length) {
        const k = key(e);
        this.lru.delete(k);
        this.lru.set(k, e);
        return e.data.slice(offset - e.offset, offset - e.offset + length);
      }
    }
    return undefined;
  }

  /** A copy of the longest cached start of [offset, offset+length) of `file` (shorter than length), if any. */
  prefix(file: string, offset: number, length: number): Uint8Array | undefined {
    const set = this.byFile.get(file);
    if (!set) return undefined;
    let best: CacheEntry | undefined;
    for (const e of set) {
      const end = e.offset + e.data.length;
      if (e.offset <= offset && end > offset && (!best || end > best.offset + best.data.length)) best = e;
    }
    if (!best) return undefined;
    const k = key(best);
    this.lru.delete(k);
    this.lru.set(k, best);
    return best.data.slice(offset - best.offset, Math.min(best.data.length, offset - best.offset + length));
  }

  put(file: string, offset: number, data: Uint8Array): void {
    if (data.length === 0 || data.length > this.maxBytes) return;
    const e: CacheEntry = { file, offset, data };
    const k = key(e);
    const old = this.lru.get(k);
    if (old) this.drop(k, old);
    this.lru.set(k, e);
    let set = this.byFile.get(file);
    if (!set) this.byFile.set(file, (set = new Set()));
    set.add(e);
    this.held += data.length;
    for (const [k2, e2] of this.lru) {
      if (this.held <= this.maxBytes) break;
      this.drop(k2, e2);
    }
  }

  private drop(k: string, e: CacheEntry): void {
    this.lru.delete(k);
    const set = this.byFile.get(e.file);
    set?.delete(e);
    if (set?.size === 0) this.byFile.delete(e.file);
    this.held -= e.data.length;
  }
}

const key = (e: CacheEntry) => `${e.file}\0${e.offset}\0${e.data.length}`;

let shared: RangeCache | null = null;

/** The process-wide cache: NTL_REMOTE_CACHE_MB megabytes (default 64; 0 turns caching off). */
export function sharedRangeCache(): RangeCache {
  if (!shared) {
    const mb = Number(process.env.NTL_REMOTE_CACHE_MB ?? 64);
    shared = new RangeCache(Number.isFinite(mb) && mb >= 0 ? mb * 2 ** 20 : 64 * 2 ** 20);
  }
  return shared;
}

// --- errors --------------------------------------------------------------------------------------------

/** A failure worth another attempt; `waitMs` from Retry-After. */
class Transient extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

/** The server answered 200 with the whole file to a range request. */
class IgnoresRange extends Error {
  constructor(
    readonly res: IncomingMessage,
    readonly total: number | undefined,
  ) {
    super('ignores range requests');
  }
}

// --- the source ---------------------------------------------------------------------------------------

type Settings = typeof DEFAULTS & RemoteOptions;

export interface RemoteByteSource extends ByteSource {
  readonly report: () => RemoteReport;
  /** Set when the server ignored ranges and the file was downloaded: the temporary copy (deleted on close). */
  readonly localCopy?: string;
}

/**
 * Open `url` for range reads (one request for the header bytes, size and version). Resolves to a ByteSource whose
 * `remote` is true — or, when the server ignores ranges and `downloadIfNoRange` is set, to a local temporary copy
 * (deleted on close).
 */
export async function openRemote(url: string, options: RemoteOptions = {}): Promise<RemoteByteSource> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NtlError(`${safeUrl(url)} is not a valid URL; give an http(s) address, or a local file path`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new NtlError(`${safeUrl(url)}: only http and https URLs are read in place; give a local file path for anything else`);
  }
  const o: Settings = { ...DEFAULTS, ...stripUndefined(options) };
  const token = options.token === undefined ? readToken(options.env ?? process.env) : (options.token ?? undefined);
  const src = new HttpByteSource(parsed, o, token);
  try {
    await src.start();
    return src;
  } catch (e) {
    try {
      if (e instanceof IgnoresRange) return await ignoresRange(src, e, o);
      throw e;
    } finally {
      await src.close(); // after the download: closing ends the connection it streams from
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class HttpByteSource implements ByteSource {
  readonly remote = true;
  readonly name: string;
  readonly coalesce: { readonly gap: number; readonly maxRun: number };
  size = 0;
  private etag: string | undefined;
  private lastModified: string | undefined;
  private fileKey = '';
  private headerSha256 = '';
  private requests = 0;
  private received = 0;
  private closed = false;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly cache: RangeCache;

  constructor(
    private readonly url: URL,
    private readonly o: Settings,
    private readonly token: Token | undefined,
  ) {
    this.name = safeUrl(url.href);
    this.coalesce = { gap: o.gap, maxRun: o.maxRequest };
    this.limit = pLimit(Math.max(1, o.concurrency));
    const agentOptions = { keepAlive: true, maxSockets: Math.max(1, o.concurrency) };
    this.agent = url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.cache = o.cache ?? sharedRangeCache();
  }

  /** The first request: the header bytes, the size and the version (checked against the pin). */
  async start(): Promise<void> {
    const first = await this.fetchRange(0, this.o.headerBytes, 'the TIFF header', true);
    this.headerSha256 = createHash('sha256').update(first).digest('hex');
    const seen = this.o.pin?.seen?.headerSha256;
    if (seen !== undefined && seen !== this.headerSha256) throw this.changedDuringRun('its first bytes differ from those read when the run started');
    this.fileKey = `${this.url.href}\0${this.size}\0${this.etag ?? ''}\0${this.lastModified ?? ''}\0${this.headerSha256}`;
    this.cache.put(this.fileKey, 0, first);
  }

  report(): RemoteReport {
    return {
      url: this.name,
      size: this.size,
      requests: this.requests,
      bytes: this.received,
      headerSha256: this.headerSha256,
      ...(this.etag !== undefined ? { etag: this.etag } : {}),
      ...(this.lastModified !== undefined ? { lastModified: this.lastModified } : {}),
    };
  }

  async read(offset: number, length: number, what: string, meta = false): Promise<Uint8Array> {
    if (this.closed) throw new NtlError(`${this.name} was closed while it was still being read.`);
    if (length === 0) return new Uint8Array(0);
    if (offset + length > this.size) {
      throw new NtlError(
        `${this.name}: the remote file is truncated: ${what} needs bytes ${offset}..${offset + length} but the file ends at byte ${this.size}. ` +
          'It is incomplete or not the file its header describes; check the URL, or download it with `ntl fetch` and check it.',
      );
    }
    const hit = this.cache.get(this.fileKey, offset, length);
    if (hit) return hit;
    // the start may be cached already (blocks right after the header bytes): fetch only the rest
    const head = this.cache.prefix(this.fileKey, offset, length);
    if (head) {
      const out = new Uint8Array(length);
      out.set(head);
      out.set(await this.read(offset + head.length, length - head.length, what, meta), head.length);
      return out;
    }
    // header data: read ahead (the next tag array is usually close)
    const want = meta ? Math.min(this.size - offset, Math.max(length, this.o.headerBytes)) : length;
    const data = await this.fetchRange(offset, want, what, false);
    this.cache.put(this.fileKey, offset, data);
    return want === length ? data : data.slice(0, length);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }

  /**
   * Bytes [offset, offset+length) (fewer at the end of the file on the first request): requests for what is
   * still missing until all of it arrived, retrying transient failures.
   */
  private fetchRange(offset: number, length: number, what: string, first: boolean): Promise<Uint8Array> {
    return this.limit(async () => {
      const buf = new Uint8Array(length);
      let got = 0;
      let failures = 0;
      let last = '';
      // the first request learns the size: a file shorter than the header read ends there
      const fit = () => {
        if (first && this.size > 0 && offset + length > this.size) length = Math.max(got, this.size - offset);
      };
      for (;;) {
        if (this.closed) throw new NtlError(`${this.name} was closed while it was still being read.`);
        try {
          const n = await this.exchange(offset + got, length - got, first && got === 0, buf, got);
          got += n;
          fit();
          if (got >= length) return got === buf.length ? buf : buf.slice(0, got);
          if (n === 0) throw new Transient(`the server sent none of bytes ${offset + got}..${offset + length}`);
        } catch (e) {
          if (!(e instanceof Transient)) throw e instanceof IgnoresRange ? e : this.clean(e);
          got += (e as Transient & { partial?: number }).partial ?? 0; // what arrived before the failure is kept
          fit();
          failures++;
          last = e.message;
          if (got >= length) return got === buf.length ? buf : buf.slice(0, got);
          if (failures > this.o.retries) break;
          const wait = e.waitMs !== undefined ? Math.min(e.waitMs, this.o.maxRetryAfterMs) : this.o.backoffMs * 2 ** (failures - 1);
          await sleep(wait);
        }
      }
      throw this.clean(
        new NtlError(
          `${this.name}: reading ${what} (bytes ${offset}..${offset + length}) failed: ${last} (gave up after ${failures} failed attempt${failures === 1 ? '' : 's'}). ` +
            'The server or the connection is failing; try again later, or download the file with `ntl fetch` (or curl) and give the local copy.',
        ),
      );
    });
  }

  /** Messages never carry the token. */
  private clean(e: unknown): Error {
    if (e instanceof NtlError) return new NtlError(redact(e.message, this.token), e.exitCode);
    return new Error(redact(e instanceof Error ? e.message : String(e), this.token));
  }

  /**
   * One request for bytes [start, start+len), written into buf at `at`. Returns how many bytes arrived (a server
   * may send less than asked) and, on the first request, sets size and version. A body that breaks off throws a
   * Transient whose `partial` says how many bytes were written before it.
   */
  private async exchange(start: number, len: number, first: boolean, buf: Uint8Array, at: number): Promise<number> {
    const res = await this.get(`bytes=${start}-${start + len - 1}`);
    const status = res.statusCode ?? 0;
    if (status === 200) {
      const cl = Number(res.headers['content-length']);
      const total = Number.isFinite(cl) ? cl : undefined;
      // a file smaller than the first request may come whole; anything else means ranges are ignored
      if (!(first && start === 0 && total !== undefined && total <= len)) {
        if (first) throw new IgnoresRange(res, total);
        res.destroy();
        throw new NtlError(
          `${this.name}: the server stopped honouring range requests (it sent the whole file for bytes ${start}..${start + len}); try again, or download the file with \`ntl fetch\` and give the local copy.`,
        );
      }
      this.checkBody(res);
      this.setVersion(res, total, first);
      return this.body(res, buf, at, total, start);
    }
    if (status === 206) {
      this.checkBody(res);
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? '').trim());
      if (!m) {
        res.destroy();
        throw new NtlError(
          `${this.name}: the server answered a range request without a usable Content-Range (${JSON.stringify(String(res.headers['content-range'] ?? ''))}); it cannot be read in place — download it with \`ntl fetch\`.`,
        );
      }
      const a = Number(m[1]),
        b = Number(m[2]);
      if (m[3] === '*') {
        res.destroy();
        throw new NtlError(
          `${this.name}: the server does not say how large the file is (Content-Range …/*); it cannot be read in place — download it with \`ntl fetch\`.`,
        );
      }
      const total = Number(m[3]);
      this.setVersion(res, total, first);
      if (a !== start || b < a || b >= start + len || b >= total) {
        res.destroy();
        throw new Transient(`the server answered a request for bytes ${start}..${start + len} with bytes ${a}..${b + 1}`);
      }
      return this.body(res, buf, at, b - a + 1, start);
    }
    res.resume();
    throw this.statusError(status, res, start, len);
  }

  /** Neither a compressed transfer nor a web page can be read as the raster's bytes. */
  private checkBody(res: IncomingMessage): void {
    const enc = String(res.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (enc !== 'identity' && enc !== '') {
      res.destroy();
      throw new NtlError(
        `${this.name}: the server compressed its answer (Content-Encoding ${enc}) although none was asked for, so byte ranges cannot be read; download the file with \`ntl fetch\` and give the local copy.`,
      );
    }
    const type = String(res.headers['content-type'] ?? '').toLowerCase();
    if (/^\s*(text\/html|application\/xhtml\+xml)/.test(type)) {
      res.destroy();
      throw new NtlError(
        `${this.name} answered with a web page (content-type ${type.split(';')[0]}), not the raster — a landing or login page. ` +
          'Point the URL at the .tif itself; if the server needs a login, set the token as for `ntl fetch` (' +
          `${TOKEN_ENV} or ${TOKEN_FILE_ENV}, and ${TOKEN_HOSTS_ENV} for a host other than eogdata.mines.edu).`,
      );
    }
  }

  /** Size and version from the first answer; every later answer must describe the same file. */
  private setVersion(res: IncomingMessage, total: number | undefined, first: boolean): void {
    const etag = headerText(res.headers.etag);
    const lastModified = headerText(res.headers['last-modified']);
    if (first) {
      if (total === undefined) {
        res.destroy();
        throw new NtlError(`${this.name}: the server does not say how large the file is; it cannot be read in place — download it with \`ntl fetch\`.`);
      }
      this.size = total;
      this.etag = etag;
      this.lastModified = lastModified;
      this.checkPin(res);
      return;
    }
    const changed =
      (total !== undefined && total !== this.size) ||
      (this.etag !== undefined && etag !== undefined && etag !== this.etag) ||
      (this.lastModified !== undefined && lastModified !== undefined && lastModified !== this.lastModified);
    if (changed) {
      res.destroy();
      throw new NtlError(
        `${this.name}: the remote file changed while it was being read (${total !== this.size ? `size ${this.size} → ${total}` : `version ${this.etag ?? this.lastModified} → ${etag ?? lastModified}`}); ` +
          'run again once the server is done updating it, or download a copy with `ntl fetch` and read that.',
      );
    }
  }

  private checkPin(res: IncomingMessage): void {
    const pin = this.o.pin;
    if (!pin) return;
    const of = this.o.label ? ` (${this.o.label})` : '';
    const problems: string[] = [];
    if (pin.size !== undefined && pin.size !== this.size) problems.push(`it has ${this.size} bytes, the manifest records size ${pin.size}`);
    if (pin.etag !== undefined && pin.etag !== this.etag)
      problems.push(`its ETag is ${this.etag ?? 'not sent by the server'}, the manifest records etag ${pin.etag}`);
    if (pin.lastModified !== undefined && pin.lastModified !== this.lastModified) {
      problems.push(`its Last-Modified is ${this.lastModified ?? 'not sent by the server'}, the manifest records last_modified ${pin.lastModified}`);
    }
    if (problems.length > 0) {
      res.destroy();
      throw new NtlError(
        `${this.name}${of} is not the file the manifest describes: ${problems.join('; ')}. ` +
          'The remote file was replaced (or the entry is wrong): check the new file, then record it again (size, sha256, etag / last_modified), or pin a copy with `ntl fetch`.',
      );
    }
    const seen = pin.seen;
    if (seen && ((seen.etag !== undefined && seen.etag !== this.etag) || (seen.lastModified !== undefined && seen.lastModified !== this.lastModified))) {
      res.destroy();
      throw this.changedDuringRun(`version ${seen.etag ?? seen.lastModified} → ${this.etag ?? this.lastModified ?? 'none'}`);
    }
  }

  private changedDuringRun(what: string): NtlError {
    const of = this.o.label ? ` (${this.o.label})` : '';
    return new NtlError(
      `${this.name}${of} changed during the run (${what}); run again once the server is done updating it, or download a copy with \`ntl fetch\` and read that.`,
    );
  }

  /** Copy the body into buf at `at` (at most `expect` bytes); a short body keeps what arrived, then is a Transient. */
  private body(res: IncomingMessage, buf: Uint8Array, at: number, expect: number | undefined, start: number): Promise<number> {
    const cap = buf.length - at;
    return new Promise((resolve, reject) => {
      let n = 0;
      let done = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        if (err) {
          res.destroy();
          // bytes already copied are kept: the next attempt asks only for the rest
          reject(Object.assign(err, { partial: n }));
        } else resolve(n);
      };
      res.on('data', (chunk: Buffer) => {
        if (done) return;
        const take = Math.min(chunk.length, cap - n);
        buf.set(take === chunk.length ? chunk : chunk.subarray(0, take), at + n);
        n += take;
        this.received += take;
        count(this.name, 0, take);
        if (take < chunk.length) finish(new Transient(`the server sent more than the ${cap} bytes asked for`));
      });
      res.on('end', () => {
        if (expect !== undefined && n < Math.min(expect, cap))
          finish(new Transient(`the server sent ${n} of the ${Math.min(expect, cap)} bytes from byte ${start} and ended the answer`));
        else finish();
      });
      res.on('error', (e) => finish(new Transient(`the connection dropped after ${n} of ${expect ?? cap} bytes from byte ${start} (${reason(e)})`)));
      res.on('close', () => {
        if (!res.complete) finish(new Transient(`the connection closed after ${n} of ${expect ?? cap} bytes from byte ${start}`));
      });
    }).then(
      (n) => {
        this.requests++;
        count(this.name, 1, 0);
        return n as number;
      },
      (e: Error & { partial?: number }) => {
        this.requests++;
        count(this.name, 1, 0);
        throw e;
      },
    );
  }

  private statusError(status: number, res: IncomingMessage, start: number, len: number): Error {
    const head = `${this.name}: HTTP ${status} for bytes ${start}..${start + len}`;
    if (status === 408 || status === 429 || status >= 500) return new Transient(`HTTP ${status} from the server`, retryAfterMs(res.headers['retry-after']));
    if (status === 401 || status === 403) {
      const sent = this.token
        ? `the token from ${this.token.from} was ${tokenAllowedFor(this.token, this.url) ? 'sent' : `not sent: ${this.url.host} is not a host it is for (list it in ${TOKEN_HOSTS_ENV}; the token only goes over https)`}`
        : `no token was sent (${TOKEN_ENV} / ${TOKEN_FILE_ENV} not set)`;
      return new NtlError(`${head}: the server refuses access (${sent}); check the URL and the token, or download the file with \`ntl fetch\``);
    }
    if (status === 404 || status === 410) return new NtlError(`${head}: not found — check the URL (the file may have moved)`);
    if (status === 416) {
      return new NtlError(
        `${head}: the server says the range is past the end of the file; the remote file is shorter than its header describes (truncated or replaced) — check the URL, or download it with \`ntl fetch\``,
      );
    }
    return new NtlError(`${head}: unexpected answer; check the URL, or download the file with \`ntl fetch\``);
  }

  /** GET with a Range header, following redirects; the token goes only where tokenAllowedFor says, and never after a redirect to another host. */
  private get(range: string): Promise<IncomingMessage> {
    const origin = this.url.host.toLowerCase();
    const go = (url: URL, hops: number, crossed: boolean): Promise<IncomingMessage> => {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return Promise.reject(new NtlError(`${this.name} redirects to a ${url.protocol} address, which cannot be read; download the file with \`ntl fetch\``));
      }
      const headers: Record<string, string> = { 'user-agent': 'ntl-pipeline remote raster', 'accept-encoding': 'identity', range };
      if (this.token && !crossed && tokenAllowedFor(this.token, url)) headers.authorization = `Bearer ${this.token.value}`;
      return new Promise((resolve, reject) => {
        const sameProtocol = url.protocol === this.url.protocol;
        const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
          url,
          { method: 'GET', headers, ...(sameProtocol ? { agent: this.agent } : {}) },
          (res) => {
            const status = res.statusCode ?? 0;
            const location = res.headers.location;
            if ([301, 302, 303, 307, 308].includes(status) && location) {
              res.resume();
              if (hops >= REDIRECTS) return reject(new NtlError(`${this.name}: more than ${REDIRECTS} redirects; check the URL`));
              let next: URL;
              try {
                next = new URL(location, url);
              } catch {
                return reject(new NtlError(`${this.name}: the server redirects to an invalid address; check the URL`));
              }
              return resolve(go(next, hops + 1, crossed || next.host.toLowerCase() !== origin));
            }
            resolve(res);
          },
        );
        req.setTimeout(this.o.timeoutMs, () => req.destroy(new Transient(`no answer for ${this.o.timeoutMs / 1000} s`)));
        req.on('error', (e) => {
          if (e instanceof Transient) return reject(e);
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'ENOTFOUND') return reject(new NtlError(`${this.name}: host ${url.hostname} not found; check the URL (and the network)`));
          reject(new Transient(`cannot reach ${url.host} (${reason(e)})`));
        });
        req.end();
      });
    };
    return go(this.url, 0, false);
  }
}

// --- a server that ignores Range ----------------------------------------------------------------------

async function ignoresRange(src: HttpByteSource, e: IgnoresRange, o: Settings): Promise<RemoteByteSource> {
  const { res, total } = e;
  const size = total !== undefined ? ` (${total} bytes)` : '';
  if (!o.downloadIfNoRange) {
    res.destroy();
    throw new NtlError(
      `${src.name} cannot be read in place: the server ignores HTTP range requests (it answered with the whole file${size}). ` +
        (o.noRangeAdvice ??
          'Download it first (curl -o, or `ntl fetch` for a manifest entry) and give the local file, ' +
            'or pass --download-if-no-range to download it to a temporary file for this run.'),
    );
  }
  if (total !== undefined && total > o.maxDownloadBytes) {
    res.destroy();
    throw new NtlError(
      `${src.name}: the server ignores range requests and the whole file has ${total} bytes, more than the ${o.maxDownloadBytes}-byte limit for a temporary download; download it with \`ntl fetch\``,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'ntl-remote-'));
  const file = join(dir, basename(new URL(src.name).pathname) || 'raster.tif');
  let bytes = 0;
  const hash = createHash('sha256');
  let hashed = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const ws = createWriteStream(file);
      let failed: Error | undefined;
      const fail = (err: Error) => {
        failed ??= err;
        res.destroy();
        ws.destroy();
        reject(failed);
      };
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        count(src.name, 0, chunk.length);
        if (hashed < o.headerBytes) {
          const part = chunk.subarray(0, o.headerBytes - hashed);
          hash.update(part);
          hashed += part.length;
        }
        if (bytes > o.maxDownloadBytes)
          return fail(new NtlError(`${src.name}: the temporary download passed the ${o.maxDownloadBytes}-byte limit; download it with \`ntl fetch\``));
        if (!ws.write(chunk)) {
          res.pause();
          ws.once('drain', () => res.resume());
        }
      });
      res.on('error', (err) => fail(err));
      res.on('close', () => {
        if (!res.complete)
          fail(
            new NtlError(
              `${src.name}: the connection closed after ${bytes}${size ? ` of ${total}` : ''} bytes of the temporary download; try again, or download it with \`ntl fetch\``,
            ),
          );
        else ws.end();
      });
      ws.on('error', (err) =>
        fail(new NtlError(`${src.name}: cannot write the temporary download in ${tmpdir()} (${err.message}); free space there or set TMPDIR`)),
      );
      ws.on('finish', () => (failed ? reject(failed) : resolve()));
    });
    if (total !== undefined && bytes !== total)
      throw new NtlError(`${src.name}: the temporary download got ${bytes} of ${total} bytes; try again, or download it with \`ntl fetch\``);
    if (o.pin?.size !== undefined && bytes !== o.pin.size)
      throw new NtlError(`${src.name}: it has ${bytes} bytes, the manifest records size ${o.pin.size}; the remote file was replaced (or the entry is wrong)`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  o.onWarning?.(
    `${src.name}: the server ignores range requests, so the whole file (${bytes} bytes) was downloaded to a temporary file for this run and is deleted afterwards; ` +
      'to read it more than once, download it with `ntl fetch` (or curl -o) and give the local copy',
  );
  count(src.name, 1, 0);
  const headerSha256 = hash.digest('hex');
  const etag = headerText(res.headers.etag),
    lastModified = headerText(res.headers['last-modified']);
  const local = await FileByteSource.open(file, src.name);
  return {
    name: src.name,
    size: local.size,
    remote: false,
    localCopy: file,
    coalesce: local.coalesce,
    read: (offset, length, what) => local.read(offset, length, what),
    close: async () => {
      await local.close();
      await rm(dir, { recursive: true, force: true });
    },
    report: () => ({
      url: src.name,
      size: local.size,
      requests: 1,
      bytes,
      downloaded: true,
      headerSha256,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    }),
  };
}

// --- helpers ----------------------------------------------------------------------------------------------

function headerText(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** Retry-After in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(v: string | string[] | undefined): number | undefined {
  const s = headerText(v)?.trim();
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message ?? String(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
