/**
 * One resumable HTTP(S) download into a `.download` file: Range requests continue a partial file (If-Range
 * guards against the file having changed upstream), transient failures (dropped connection, stalled
 * socket, 429/5xx) are retried with exponential backoff, and the HTTP statuses users hit get a message
 * that says what to do. Node's own http/https modules: no dependency, and full control of timeouts.
 */
import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { readFile, rm, stat, unlink } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { NtlError } from '../errors.js';
import { serviceFor, tokenFor, type Tokens } from './token.js';

export interface DownloadOptions {
  readonly url: string;
  /** The partial/complete download; kept between runs so a later run resumes it. */
  readonly partFile: string;
  /** Account tokens; each goes only to its own service's hosts (token.ts). */
  readonly tokens?: Tokens;
  /** Attempts after the first (default 4). */
  readonly retries?: number;
  /** First backoff; doubles per attempt (default 1000 ms; tests use 1). */
  readonly backoffMs?: number;
  /** A socket silent this long counts as a dropped connection (default 60 s). */
  readonly idleTimeoutMs?: number;
  /** Refuse a download larger than this (default 64 GiB). */
  readonly maxBytes?: number;
  /** Names the file in messages, e.g. "dmsp-F101992 (data-manifests/x.yaml line 12)". */
  readonly label: string;
  /** The url is a --mirror address (a 404 then means "not on the mirror"). */
  readonly fromMirror?: boolean;
  readonly onProgress?: (received: number, total: number | undefined) => void;
}

/** A failure worth another attempt. */
class Transient extends Error {}

const REDIRECTS = 5;

interface PartMeta {
  readonly url: string;
  readonly validator?: string;
}

export async function download(o: DownloadOptions): Promise<{ bytes: number }> {
  if (/^file:/i.test(o.url)) return copyLocal(o);
  const retries = o.retries ?? 4;
  const backoff = o.backoffMs ?? 1000;
  let lastReason = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1));
    try {
      return await attemptOnce(o);
    } catch (e) {
      if (!(e instanceof Transient)) throw e;
      lastReason = e.message;
    }
  }
  throw new NtlError(
    `fetch ${o.label}: ${lastReason} (gave up after ${retries + 1} attempt${retries === 0 ? '' : 's'}); ` +
      'the partial download is kept and the next `ntl fetch` resumes it — check your connection and run it again',
  );
}

async function attemptOnce(o: DownloadOptions): Promise<{ bytes: number }> {
  const meta = await readMeta(o.partFile);
  let have = meta?.url === o.url ? ((await sizeOf(o.partFile)) ?? 0) : 0;
  const headers: Record<string, string> = { 'user-agent': 'ntl-pipeline fetch', 'accept-encoding': 'identity' };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    if (meta?.validator) headers['if-range'] = meta.validator;
  }
  const { res, stalled } = await get(new URL(o.url), headers, o);
  const status = res.statusCode ?? 0;
  if (status === 416 && have > 0) {
    res.resume();
    const total = Number(/\*\/(\d+)/.exec(String(res.headers['content-range'] ?? ''))?.[1]);
    if (total === have) return { bytes: have }; // the earlier run got every byte
    await unlink(o.partFile).catch(() => undefined);
    throw new Transient(`the server refused to resume at byte ${have}; starting over`);
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw statusError(status, o);
  }
  // A landing or login page instead of the file: never save HTML as data (with no checksum recorded, nothing
  // else would catch it).
  const type = String(res.headers['content-type'] ?? '').toLowerCase();
  if (/^\s*(text\/html|application\/xhtml\+xml)/.test(type) && !/\.x?html?$/i.test(new URL(o.url).pathname)) {
    res.destroy();
    throw new NtlError(
      `fetch ${o.label}: ${safeUrl(o.url)} answered with a web page (content-type ${type.split(';')[0]}), not the file — a landing or login page; nothing was saved. ` +
        'If the file has to be downloaded by hand from that page, mark the entry `download: manual`; otherwise point url at the file itself',
    );
  }
  let append = false;
  let total: number | undefined;
  const length = Number(res.headers['content-length']);
  if (status === 206) {
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
    if (!m || Number(m[1]) !== have) {
      res.resume();
      await unlink(o.partFile).catch(() => undefined);
      throw new Transient('the server answered a resume request with the wrong byte range; starting over');
    }
    append = true;
    total = m[3] === '*' ? undefined : Number(m[3]);
  } else {
    have = 0;
    total = Number.isFinite(length) ? length : undefined;
    const validator = String(res.headers.etag ?? res.headers['last-modified'] ?? '') || undefined;
    // sync on purpose: no await between receiving the response and attaching its listeners, or a short
    // body could end (and its events fire) before anyone listens
    writeFileSync(`${o.partFile}.json`, JSON.stringify({ url: o.url, validator } satisfies PartMeta));
  }
  const max = o.maxBytes ?? 64 * 2 ** 30;
  if (total !== undefined && total > max) {
    res.destroy();
    throw new NtlError(`fetch ${o.label}: the server offers ${total} bytes, more than the limit of ${max}; raise --max-size if this file is really that large`);
  }
  let received = have;
  o.onProgress?.(received, total);
  try {
    await saveBody(res, o.partFile, append, (n) => {
      received += n;
      if (received > max)
        return new NtlError(`fetch ${o.label}: the download passed the limit of ${max} bytes; raise --max-size if this file is really that large`);
      o.onProgress?.(received, total);
      return undefined;
    });
  } catch (e) {
    if (e instanceof NtlError) throw e;
    if (stalled()) throw new Transient(`no data for ${(o.idleTimeoutMs ?? 60_000) / 1000} s after ${received}${total ? ` of ${total}` : ''} bytes`);
    throw new Transient(`the connection dropped after ${received}${total ? ` of ${total}` : ''} bytes (${reason(e)})`);
  }
  if (total !== undefined && received !== total) {
    throw new Transient(`the connection closed after ${received} of ${total} bytes`);
  }
  return { bytes: received };
}

/**
 * Append the body to the file. Unlike stream.pipeline, a failing response does not destroy the file
 * stream: every byte that arrived is flushed to disk first, so the next attempt resumes after it.
 */
function saveBody(res: IncomingMessage, file: string, append: boolean, onBytes: (n: number) => Error | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = createWriteStream(file, { flags: append ? 'a' : 'w' });
    let failure: Error | undefined;
    const stop = (e: Error): void => {
      failure ??= e;
      res.destroy();
      ws.end();
    };
    res.on('data', (chunk: Buffer) => {
      const over = onBytes(chunk.length);
      if (over) return stop(over);
      if (!ws.write(chunk)) {
        res.pause();
        ws.once('drain', () => res.resume());
      }
    });
    res.on('error', (e) => stop(e));
    res.on('close', () => {
      if (!res.complete) stop(failure ?? new Error('connection closed'));
      else ws.end();
    });
    ws.on('error', (e) => {
      failure ??= e;
      res.destroy();
      reject(failure);
    });
    ws.on('finish', () => (failure ? reject(failure) : resolve()));
  });
}

function statusError(status: number, o: DownloadOptions): Error {
  const head = `fetch ${o.label}: HTTP ${status} from ${safeUrl(o.url)}`;
  if (status === 401 || status === 403) {
    const svc = serviceFor(o.url);
    const t = o.tokens?.find((x) => x.service === svc);
    const have = t ? `the token from ${t.from} was sent` : `no token was found (${svc.env} / ${svc.fileEnv} not set)`;
    return new NtlError(`${head}: token missing or expired (${have}); log in at ${svc.login}, get a fresh token and set ${svc.env} or ${svc.fileEnv}`);
  }
  if ((status === 404 || status === 410) && o.fromMirror)
    return new NtlError(`${head}: the mirror has no file at this path; check --mirror (it must hold the files laid out as in the data dir)`);
  if (status === 404 || status === 410) return new NtlError(`${head}: the product moved: check the manifest URL against the provider's current listing`);
  if (status === 408 || status === 429 || status >= 500) return new Transient(`HTTP ${status} from the server`);
  return new NtlError(`${head}: unexpected answer; check the manifest URL`);
}

/** GET with redirects; the token goes only to hosts it is meant for (never to a redirect target elsewhere). */
interface Response {
  readonly res: IncomingMessage;
  /** Did the idle timeout end this exchange (vs. the peer dropping it)? */
  readonly stalled: () => boolean;
}

function get(url: URL, headers: Record<string, string>, o: DownloadOptions, hops = 0): Promise<Response> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new NtlError(`fetch ${o.label}: ${safeUrl(url.href)} is not an http(s) URL; fix the manifest url`));
  }
  const h = { ...headers };
  const token = tokenFor(o.tokens, url);
  if (token) h.authorization = `Bearer ${token.value}`;
  let stalled = false;
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'GET', headers: h }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location) {
        res.resume();
        if (hops >= REDIRECTS) return reject(new NtlError(`fetch ${o.label}: more than ${REDIRECTS} redirects from ${safeUrl(o.url)}; check the manifest URL`));
        return resolve(get(new URL(location, url), headers, o, hops + 1));
      }
      resolve({ res, stalled: () => stalled });
    });
    const idle = o.idleTimeoutMs ?? 60_000;
    req.setTimeout(idle, () => {
      stalled = true;
      req.destroy(new Transient(`no data for ${idle / 1000} s`));
    });
    req.on('error', (e) => reject(e instanceof Transient ? e : new Transient(`cannot reach ${url.host} (${reason(e)})`)));
    req.end();
  });
}

/** --mirror file:///…: copy the file (no resume needed) with the same size limit and progress. */
async function copyLocal(o: DownloadOptions): Promise<{ bytes: number }> {
  let path: string;
  try {
    path = fileURLToPath(o.url);
  } catch (e) {
    throw new NtlError(`fetch ${o.label}: ${o.url} is not a usable file URL (${(e as Error).message}); use file:///absolute/path/`);
  }
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new NtlError(
      `fetch ${o.label}: ${path} not found${o.fromMirror ? ' on the mirror; check --mirror (it must hold the files laid out as in the data dir)' : ''}`,
    );
  }
  const max = o.maxBytes ?? 64 * 2 ** 30;
  if (size > max)
    throw new NtlError(`fetch ${o.label}: ${path} has ${size} bytes, more than the limit of ${max}; raise --max-size if this file is really that large`);
  await rm(`${o.partFile}.json`, { force: true });
  let received = 0;
  o.onProgress?.(0, size);
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      o.onProgress?.(received, size);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(path), count, createWriteStream(o.partFile));
  return { bytes: received };
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message ?? String(e);
}

/** The URL without user:password or query (a query may carry credentials). */
export function safeUrl(href: string): string {
  try {
    const u = new URL(href);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

async function readMeta(partFile: string): Promise<PartMeta | undefined> {
  try {
    const m = JSON.parse(await readFile(`${partFile}.json`, 'utf8')) as Partial<PartMeta>;
    return typeof m.url === 'string' ? { url: m.url, validator: typeof m.validator === 'string' ? m.validator : undefined } : undefined;
  } catch {
    return undefined;
  }
}

async function sizeOf(p: string): Promise<number | undefined> {
  try {
    return (await stat(p)).size;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
