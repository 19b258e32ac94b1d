/**
 * `ntl fetch` against a real HTTP server this test starts on 127.0.0.1 (Node's http module): Range
 * resume, dropped connections, a stalled server, 401 / 404, checksum mismatch, .gz and .tar unpacking,
 * the token never leaking, and --record / --record-to.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchCommand } from '../../src/cli/fetch-command.js';
import { isNtlError } from '../../src/errors.js';
import { loadManifest } from '../../src/manifest/load.js';
import { tempDir } from '../helpers/tmp.js';
import { EOG, LAADS, readToken, redact, tokenFor } from '../../src/fetch/token.js';

const TOKEN = 'tok-8f3a1c55e0d94b7aa1b2c3d4e5f60789';
const LAADS_TOKEN = 'edl-5b1e0c7d9a2f4e6b8c0d1e2f3a4b5c6d';

// --- fixtures: a "GeoTIFF" payload, its .gz, and a DMSP-style .tar holding the .tif.gz ----------------

function payload(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = i % 7 === 0 ? x >>> 24 : 0; // compressible, like night lights
  }
  b.write('II*\0', 0, 'latin1'); // a little-endian TIFF header: fetch checks the first bytes against the entry's type
  return b;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A ustar archive: entries of [name, data, type]. */
function tar(members: [string, Buffer, string?][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, data, type = '0'] of members) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(type, 156);
    if (type === '2') h.write('../../etc/passwd', 157);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const x of h) sum += x;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const TIF = payload(300_000, 1);
const TIF_GZ = gzipSync(TIF);
const MEMBER = 'F101992.v4b_web.stable_lights.avg_vis.tif.gz';
const TAR = tar([
  ['F101992.v4b_web.avg_vis.tfw', Buffer.from('0.0083\n')],
  [MEMBER, TIF_GZ],
  ['README_V4.txt', Buffer.from('readme')],
]);
const BOMB_GZ = gzipSync(Buffer.alloc(50_000_000)); // ~50 KB that unpacks to 50 MB

const FILES: Record<string, Buffer> = {
  'plain.tif': TIF,
  // an HDF5 signature then bytes: what `ntl fetch` checks of a .h5 download (its content check reads the first bytes)
  'tile.h5': Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), payload(4_000, 2)]),
  'VNL_v2_npp_2015.average_masked.tif.gz': TIF_GZ,
  'F101992.v4.tar': TAR,
  'bomb.tif.gz': BOMB_GZ,
  'evil.tar': tar([['../../outside.tif', TIF]]),
  'link.tar': tar([['x.tif', Buffer.alloc(0), '2']]),
};

// --- the server -------------------------------------------------------------------------------------

interface Seen {
  path: string;
  range?: string;
  auth?: string;
}
let server: Server;
let base = '';
const seen: Seen[] = [];
const dropped = new Set<string>();

function serveFile(req: IncomingMessage, res: ServerResponse, name: string, opts: { dropAt?: number; stallAt?: number } = {}): void {
  const data = FILES[name];
  if (!data) {
    res.writeHead(404).end('not found');
    return;
  }
  const etag = `"${sha(data).slice(0, 16)}"`;
  let start = 0;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m && (req.headers['if-range'] === undefined || req.headers['if-range'] === etag)) {
    start = Number(m[1]);
    if (start >= data.length) {
      res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
      return;
    }
    res.writeHead(206, { 'content-length': data.length - start, 'content-range': `bytes ${start}-${data.length - 1}/${data.length}`, etag });
  } else {
    res.writeHead(200, { 'content-length': data.length, etag, 'accept-ranges': 'bytes' });
  }
  if (opts.stallAt !== undefined) {
    res.write(data.subarray(start, start + opts.stallAt)); // then never another byte
    return;
  }
  if (opts.dropAt !== undefined) {
    res.write(data.subarray(start, opts.dropAt), () => res.socket?.end()); // FIN mid-body: the client sees a short body
    return;
  }
  res.end(data.subarray(start));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: url.pathname, range: req.headers.range, auth: req.headers.authorization });
    const [, kind, name] = url.pathname.split('/');
    if (kind === 'files') return serveFile(req, res, name);
    if (kind === 'auth') {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('login required');
      return serveFile(req, res, name);
    }
    if (kind === 'laads') {
      if (req.headers.authorization !== `Bearer ${LAADS_TOKEN}`) return void res.writeHead(401).end('login required');
      return serveFile(req, res, name);
    }
    if (kind === 'drop') {
      // the first request for a name dies mid-file; later ones (a resume) are served
      if (!dropped.has(name)) {
        dropped.add(name);
        return serveFile(req, res, name, { dropAt: Math.floor(FILES[name].length / 2) });
      }
      return serveFile(req, res, name);
    }
    if (kind === 'slow') return serveFile(req, res, name, { stallAt: 1000 });
    if (kind === 'error') return void res.writeHead(503).end();
    if (kind === 'redirect') return void res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/auth/${name}` }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.NTL_FETCH_BACKOFF_MS = '1';
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen.length = 0;
  delete process.env.NTL_EOG_TOKEN;
  delete process.env.NTL_EOG_TOKEN_FILE;
  delete process.env.NTL_EOG_TOKEN_HOSTS;
  delete process.env.NTL_LAADS_TOKEN;
  delete process.env.NTL_LAADS_TOKEN_FILE;
  delete process.env.NTL_LAADS_TOKEN_HOSTS;
});

// --- helpers ----------------------------------------------------------------------------------------

const terms = 'licence: test\n    citation: test';
let n = 0;
/** A fresh project folder (with package.json, so it is its own project root) and a manifest in it. */
function project(entries: string, template = false): { dir: string; manifest: string } {
  const dir = tempDir(`fetch-${n++}`);
  writeFileSync(join(dir, 'package.json'), '{}');
  const manifest = join(dir, 'm.yaml');
  writeFileSync(manifest, `manifest: 1\nname: t\n${template ? 'template: true\n' : ''}entries:\n${entries}`);
  return { dir, manifest };
}
function entry(id: string, fields: Record<string, string | number | null>): string {
  const lines = Object.entries(fields).map(([k, v]) => `    ${k}: ${v === null ? 'null' : v}`);
  return `  - id: ${id}\n    sensor: other\n    year: 2015\n${lines.join('\n')}\n    ${terms}\n`;
}

async function fetch(args: string[]): Promise<{ code: number; out: string; err: string; error?: string }> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
  try {
    return { code: await fetchCommand(args, io), out, err };
  } catch (e) {
    if (!isNtlError(e)) throw e;
    return { code: 1, out, err, error: e.message };
  }
}

/** Every file under dir, recursively (relative names). */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tree(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));
}

// --- tests ------------------------------------------------------------------------------------------

describe('ntl fetch: downloads', () => {
  it('downloads a plain file, verifies it and leaves no staging files', async () => {
    const p = project(entry('a', { path: 'raw/plain.tif', url: `${base}/files/plain.tif`, size: TIF.length, sha256: sha(TIF) }));
    const r = await fetch([p.manifest, '--threads', '1']);
    expect(r.error).toBeUndefined();
    expect(readFileSync(join(p.dir, 'raw/plain.tif')).equals(TIF)).toBe(true);
    expect(tree(p.dir).sort()).toEqual(['m.yaml', 'package.json', 'raw/plain.tif']);
    expect(r.err).toMatch(/fetched a/);
    // a second run finds the file ok and downloads nothing
    seen.length = 0;
    const again = await fetch([p.manifest]);
    expect(again.out).toMatch(/0 fetched, 1 already ok/);
    expect(seen).toHaveLength(0);
  });

  it('gunzips a .gz download (VNL style)', async () => {
    const p = project(entry('v', { path: 'vnl.tif', url: `${base}/files/VNL_v2_npp_2015.average_masked.tif.gz`, size: TIF.length, sha256: sha(TIF) }));
    const r = await fetch([p.manifest]);
    expect(r.error).toBeUndefined();
    expect(readFileSync(join(p.dir, 'vnl.tif')).equals(TIF)).toBe(true);
  });

  it('takes the named .tif.gz out of a .tar and gunzips it (DMSP v4 style)', async () => {
    const p = project(
      entry('d', { path: 'dmsp/F101992.tif', url: `${base}/files/F101992.v4.tar`, archive_member: MEMBER, size: TIF.length, sha256: sha(TIF) }),
    );
    const r = await fetch([p.manifest]);
    expect(r.error).toBeUndefined();
    expect(readFileSync(join(p.dir, 'dmsp/F101992.tif')).equals(TIF)).toBe(true);
  });

  it('names the members when archive_member is wrong', async () => {
    const p = project(entry('d', { path: 'x.tif', url: `${base}/files/F101992.v4.tar`, archive_member: 'F101992.v4c_web.stable_lights.avg_vis.tif.gz' }), true);
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(/has no member 'F101992\.v4c_web[^']*'.*holds .*F101992\.v4b_web\.stable_lights\.avg_vis\.tif\.gz.*check archive_member/);
    expect(existsSync(join(p.dir, 'x.tif'))).toBe(false);
  });

  it('checksum mismatch: one clear error, the existing file untouched, nothing half-written', async () => {
    const p = project(entry('a', { path: 'plain.tif', url: `${base}/files/plain.tif`, size: TIF.length, sha256: 'a'.repeat(64) }));
    writeFileSync(join(p.dir, 'plain.tif'), 'old copy');
    const r = await fetch([p.manifest]);
    expect(r.code).toBe(1);
    expect(r.error).toMatch(
      /fetch a \(.*m\.yaml line \d+\): checksum mismatch: the downloaded file has sha256 [0-9a-f]{64}, the manifest records a{64}; nothing was replaced/,
    );
    expect(readFileSync(join(p.dir, 'plain.tif'), 'utf8')).toBe('old copy');
    expect(tree(p.dir).sort()).toEqual(['m.yaml', 'package.json', 'plain.tif']);
  });

  it('resumes with a Range request after the connection drops mid-file (same run)', async () => {
    const p = project(entry('r', { path: 'plain.tif', url: `${base}/drop/plain.tif`, size: TIF.length, sha256: sha(TIF) }));
    const r = await fetch([p.manifest]);
    expect(r.error).toBeUndefined();
    // resumes at what reached the disk (at most what the server sent before dropping)
    expect(seen).toHaveLength(2);
    expect(seen[0].range).toBeUndefined();
    const at = Number(/^bytes=(\d+)-$/.exec(seen[1].range ?? '')?.[1]);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThanOrEqual(TIF.length / 2);
    expect(readFileSync(join(p.dir, 'plain.tif')).equals(TIF)).toBe(true);
  });

  it('keeps the partial download when retries run out, and the next run resumes it', async () => {
    const p = project(entry('r', { path: 'out.tif', url: `${base}/drop/VNL_v2_npp_2015.average_masked.tif.gz`, size: TIF.length, sha256: sha(TIF) }));
    const first = await fetch([p.manifest, '--retries', '0']);
    expect(first.error).toMatch(/fetch r \(.*\): the connection (dropped|closed) after \d+ of \d+ bytes.*gave up after 1 attempt.*resumes it/);
    expect(existsSync(join(p.dir, 'out.tif'))).toBe(false);
    const part = join(p.dir, '.ntl-fetch', 'r.download');
    expect(statSync(part).size).toBeGreaterThan(0);
    expect(statSync(part).size).toBeLessThan(TIF_GZ.length);
    seen.length = 0;
    const second = await fetch([p.manifest]);
    expect(second.error).toBeUndefined();
    expect(seen[0].range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(readFileSync(join(p.dir, 'out.tif')).equals(TIF)).toBe(true);
    expect(existsSync(join(p.dir, '.ntl-fetch'))).toBe(false);
  });

  it('a stalled server times out, is retried, and fails with the file named and nothing in place', async () => {
    const p = project(entry('s', { path: 'plain.tif', url: `${base}/slow/plain.tif`, size: TIF.length, sha256: sha(TIF) }));
    const r = await fetch([p.manifest, '--timeout', '0.2', '--retries', '1']);
    expect(r.error).toMatch(/fetch s \(.*\): .*no data for 0\.2 s.*gave up after 2 attempts/);
    expect(existsSync(join(p.dir, 'plain.tif'))).toBe(false);
  });

  it('404: "the product moved"; 503: retried, then one error', async () => {
    const p = project(
      entry('g', { path: 'g.tif', url: `${base}/files/gone.tif`, size: 1, sha256: 'b'.repeat(64) }) +
        entry('e', { path: 'e.tif', url: `${base}/error/x.tif`, size: 1, sha256: 'b'.repeat(64) }),
    );
    const r = await fetch([p.manifest, '--retries', '2']);
    expect(r.error).toMatch(/2 of 2 file\(s\) could not be fetched/);
    expect(r.error).toMatch(/fetch g \(.*line \d+\): HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/files\/gone\.tif: the product moved: check the manifest URL/);
    expect(r.error).toMatch(/fetch e .*HTTP 503 from the server \(gave up after 3 attempts\)/);
    expect(seen.filter((s) => s.path === '/error/x.tif')).toHaveLength(3);
  });
});

describe('ntl fetch: the EOG token', () => {
  const scan = (texts: string[], dir: string) => {
    for (const t of texts) expect(t).not.toContain(TOKEN);
    for (const f of tree(dir)) expect(readFileSync(join(dir, f)).includes(TOKEN)).toBe(false);
  };

  it('401 without a token says "token missing or expired"', async () => {
    const p = project(entry('t', { path: 'a.tif', url: `${base}/auth/plain.tif`, size: TIF.length, sha256: sha(TIF) }));
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(/HTTP 401 from .*: token missing or expired \(no token was found \(NTL_EOG_TOKEN \/ NTL_EOG_TOKEN_FILE not set\)\)/);
    expect(seen[0].auth).toBeUndefined();
  });

  it('sends the token from NTL_EOG_TOKEN only to allowed hosts, and never prints or writes it', async () => {
    const p = project(entry('t', { path: 'a.tif', url: `${base}/auth/plain.tif` }), true);
    process.env.NTL_EOG_TOKEN = TOKEN;
    // not an allowed host yet: the token is withheld (a manifest must not be able to collect tokens)
    const withheld = await fetch([p.manifest]);
    expect(seen[0].auth).toBeUndefined();
    expect(withheld.error).toMatch(/token missing or expired \(the token from NTL_EOG_TOKEN was sent\)|token missing or expired/);
    process.env.NTL_EOG_TOKEN_HOSTS = new URL(base).host;
    const r = await fetch([p.manifest, '--record']);
    expect(r.error).toBeUndefined();
    expect(seen.at(-1)?.auth).toBe(`Bearer ${TOKEN}`);
    scan([withheld.out, withheld.err, withheld.error ?? '', r.out, r.err], p.dir);
  });

  it('reads the token from the file NTL_EOG_TOKEN_FILE names; a redirect to another host does not get it', async () => {
    const p = project(entry('t', { path: 'a.tif', url: `${base}/redirect/plain.tif`, size: TIF.length, sha256: sha(TIF) }));
    const tokenFile = join(tempDir('token'), 'eog-token'); // outside the project folder
    writeFileSync(tokenFile, `${TOKEN}\n`);
    process.env.NTL_EOG_TOKEN_FILE = tokenFile;
    process.env.NTL_EOG_TOKEN_HOSTS = new URL(base).host; // 127.0.0.1:port, not localhost:port
    const r = await fetch([p.manifest]);
    expect(seen.map((s) => s.auth)).toEqual([`Bearer ${TOKEN}`, undefined]);
    expect(r.error).toMatch(/token missing or expired/);
    scan([r.out, r.err, r.error ?? ''], p.dir);
  });

  it('refuses a token on the command line without echoing it', async () => {
    const p = project(entry('t', { path: 'a.tif', url: `${base}/auth/plain.tif` }), true);
    const r = await fetch([p.manifest, `--token=${TOKEN}`]);
    expect(r.error).toMatch(/never taken from the command line; set NTL_EOG_TOKEN or NTL_EOG_TOKEN_FILE/);
    expect(r.error).not.toContain(TOKEN);
  });

  it('a missing token file is one clear error', async () => {
    const p = project(entry('t', { path: 'a.tif', url: `${base}/auth/plain.tif` }), true);
    process.env.NTL_EOG_TOKEN_FILE = join(p.dir, 'no-such-token');
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(/NTL_EOG_TOKEN_FILE names .*no-such-token: file not found; point it at the file holding your EOG token/);
  });
});

describe('ntl fetch: the NASA LAADS DAAC token (Black Marble)', () => {
  it('sends NTL_LAADS_TOKEN to LAADS hosts only, and the EOG token never goes there', async () => {
    const p = project(entry('bm', { path: 'a.h5', url: `${base}/laads/tile.h5` }), true);
    process.env.NTL_EOG_TOKEN = TOKEN;
    process.env.NTL_LAADS_TOKEN = LAADS_TOKEN;
    process.env.NTL_LAADS_TOKEN_HOSTS = new URL(base).host;
    const r = await fetch([p.manifest, '--record']);
    expect(r.error).toBeUndefined();
    expect(seen.map((s) => s.auth)).toEqual([`Bearer ${LAADS_TOKEN}`]);
    for (const t of [r.out, r.err]) {
      expect(t).not.toContain(TOKEN);
      expect(t).not.toContain(LAADS_TOKEN);
    }
    for (const f of tree(p.dir)) expect(readFileSync(join(p.dir, f)).includes(LAADS_TOKEN)).toBe(false);
  });

  it('a 401 from a LAADS host names the LAADS variables and Earthdata Login', async () => {
    const p = project(entry('bm', { path: 'a.h5', url: `${base}/laads/plain.tif` }), true);
    process.env.NTL_LAADS_TOKEN_HOSTS = new URL(base).host;
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(
      /HTTP 401 from .*: token missing or expired \(no token was found \(NTL_LAADS_TOKEN \/ NTL_LAADS_TOKEN_FILE not set\)\); log in at urs\.earthdata\.nasa\.gov/,
    );
    expect(seen[0].auth).toBeUndefined();
  });

  it('the real hosts: each token only to its own service over https', () => {
    const eog = readToken({ NTL_EOG_TOKEN: TOKEN }, EOG)!;
    const laads = readToken({ NTL_LAADS_TOKEN_FILE: '', NTL_LAADS_TOKEN: LAADS_TOKEN }, LAADS)!;
    const bm = new URL('https://ladsweb.modaps.eosdis.nasa.gov/archive/allData/5000/VNP46A4/2022/001/VNP46A4.A2022001.h29v06.001.2023011214401.h5');
    expect(tokenFor([eog, laads], bm)).toBe(laads);
    expect(tokenFor([eog], bm)).toBeUndefined();
    expect(tokenFor([laads], new URL('https://eogdata.mines.edu/nighttime_light/x.tif.gz'))).toBeUndefined();
    expect(tokenFor([laads], new URL(bm.href.replace('https:', 'http:')))).toBeUndefined();
    expect(redact(`a ${TOKEN} b ${LAADS_TOKEN}`, [eog, laads])).toBe('a *** b ***');
  });
});

describe('ntl fetch: archives and paths are checked', () => {
  it('refuses a .gz that unpacks beyond the recorded size (decompression bomb)', async () => {
    const p = project(entry('b', { path: 'b.tif', url: `${base}/files/bomb.tif.gz`, size: 1000, sha256: 'c'.repeat(64) }));
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(/unpacking gives more than 1000 bytes \(the size the manifest records\); refusing it .*decompression bomb/);
    expect(existsSync(join(p.dir, 'b.tif'))).toBe(false);
  });

  it('refuses a .gz beyond --max-size when no size is recorded', async () => {
    const p = project(entry('b', { path: 'b.tif', url: `${base}/files/bomb.tif.gz` }), true);
    const r = await fetch([p.manifest, '--max-size', '1000000']);
    expect(r.error).toMatch(/more than 1000000 bytes \(the --max-size limit\)/);
  });

  it('refuses archives with path-traversal members and link members', async () => {
    const p = project(
      entry('e', { path: 'e.tif', url: `${base}/files/evil.tar`, archive_member: 'x.tif' }) +
        entry('l', { path: 'l.tif', url: `${base}/files/link.tar`, archive_member: 'x.tif' }),
      true,
    );
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(/contains an unsafe member '\.\.\/\.\.\/outside\.tif' \(absolute path or '\.\.': path traversal\); refusing/);
    expect(r.error).toMatch(/member 'x\.tif' is a symbolic link, not a file; refusing/);
    expect(existsSync(join(p.dir, '..', '..', 'outside.tif'))).toBe(false);
  });

  it('refuses an entry path that leaves --dest before downloading anything', async () => {
    const p = project(entry('a', { path: '../escape.tif', url: `${base}/files/plain.tif` }), true);
    const r = await fetch([p.manifest, '--dest', join(p.dir, 'data')]);
    expect(r.error).toMatch(/m\.yaml line \d+: entries\[0\]\.path '\.\.\/escape\.tif' leads outside .*data \(through '\.\.'\).*NTL_ALLOW_OUTSIDE_PATHS=1/);
    expect(seen).toHaveLength(0);
  });

  it('--only with an unknown id lists the ids', async () => {
    const p = project(entry('a', { path: 'a.tif', url: `${base}/files/plain.tif` }), true);
    const r = await fetch([p.manifest, '--only', 'zz']);
    expect(r.error).toMatch(/--only names unknown entry zz; ids in this manifest: a/);
  });
});

describe('ntl fetch --record', () => {
  it('fills sha256: null in a template copy and turns it into a regular manifest once every entry is recorded', async () => {
    const p = project(
      '  # keep this comment\n' +
        entry('a', { path: 'a.tif', url: `${base}/files/plain.tif`, size: null, sha256: null }) +
        entry('b', { path: 'b.tif', url: `${base}/files/F101992.v4.tar`, archive_member: MEMBER, sha256: null }),
      true,
    );
    const partial = await fetch([p.manifest, '--only', 'a', '--record']);
    expect(partial.out).toMatch(/still a template: 1 entry has no checksum yet/);
    expect(readFileSync(p.manifest, 'utf8')).toMatch(/template: true/);
    const full = await fetch([p.manifest, '--record']);
    expect(full.out).toMatch(/a regular manifest: ready for pipelines/);
    const text = readFileSync(p.manifest, 'utf8');
    expect(text).toContain('# keep this comment');
    expect(text).not.toMatch(/template/);
    const m = await loadManifest(p.manifest);
    expect(m.entries.map((e) => [e.id, e.size, e.sha256])).toEqual([
      ['a', TIF.length, sha(TIF)],
      ['b', TIF.length, sha(TIF)],
    ]);
    expect(m.entries[1].archive_member).toBe(MEMBER);
  });

  it('--record-to writes a new regular manifest with only the fetched entries, paths relative to it', async () => {
    const p = project(entry('a', { path: 'a.tif', url: `${base}/files/plain.tif` }) + entry('b', { path: 'b.tif', url: `${base}/files/plain.tif` }), true);
    const before = readFileSync(p.manifest, 'utf8');
    mkdirSync(join(p.dir, 'manifests'));
    const to = join(p.dir, 'manifests', 'mine.yaml');
    const r = await fetch([p.manifest, '--only', 'b', '--data-dir', join(p.dir, 'data'), '--record-to', to]);
    expect(r.error).toBeUndefined();
    expect(readFileSync(p.manifest, 'utf8')).toBe(before);
    const m = await loadManifest(to);
    expect(m.entries.map((e) => [e.id, e.path])).toEqual([['b', '../data/b.tif']]);
  });
});
