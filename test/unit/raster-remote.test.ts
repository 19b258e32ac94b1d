/**
 * Rasters read in place over HTTP (src/raster/http-source.ts) against loopback servers on 127.0.0.1: the same
 * pixels and the same zonal CSV as the local file, byte for byte (tiled DEFLATE demo rasters, a BigTIFF, striped
 * files); only the header and the blocks the zones touch are fetched; a server that ignores Range; retries on
 * 503 / 429 / dropped bodies; the token rule; truncated files and short answers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { runZonalJob, type ZonalJobInput } from '../../src/jobs/zonal-job.js';
import { csvText } from '../../src/output/csv.js';
import { openRaster, readRasterInfo, shutdownDecodePool } from '../../src/raster/index.js';
import { coalesceRanges } from '../../src/raster/byte-source.js';
import { openRemote, RangeCache, type RemoteOptions } from '../../src/raster/http-source.js';
import { readHeader, openByteSource } from '../../src/raster/open.js';
import { DEFAULT_STATS, parseStats } from '../../src/zonal/index.js';
import { startRangeServer, type RangeServer } from '../helpers/range-server.js';
import { tempDir } from '../helpers/tmp.js';

const TOKEN = 'tok-remote-5c1d9e2f7a8b4c3d2e1f0a9b8c7d6e5f';
const DEMO = 'data/demo/viirs_like';
const FIX = 'test/fixtures/raster';
const FILES = {
  'v2022.tif': `${DEMO}/2022_8bit_hunan.tif`,
  'v2020.tif': `${DEMO}/2020_8bit_hunan.tif`,
  'bigtiff_tile.tif': `${FIX}/bigtiff_float32_deflate_tile_p3.tif`,
  'bigtiff_strip.tif': `${FIX}/bigtiff_uint16_lzw_strip_p2.tif`,
  'float32_strip.tif': `${FIX}/float32_deflate_strip_p2.tif`,
  'int16_tile.tif': `${FIX}/int16_deflate_tile_p2.tif`,
  'multiband.tif': `${FIX}/multiband3_int16_deflate_band_tile_p2.tif`,
} as const;
type Name = keyof typeof FILES;
const bytes = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readFileSync(f)])) as Record<Name, Buffer>;

const tmp = tempDir('remote');
let srv: RangeServer;
let other: RangeServer; // a second host (another port) for redirects
const url = (name: string, s: RangeServer = srv) => `${s.base}/${name}`;
/** Fast retries, a private cache (so every test counts its own bytes) and no token unless a test gives one. */
const fast = (o: RemoteOptions = {}): RemoteOptions => ({ backoffMs: 5, token: null, cache: new RangeCache(64 * 2 ** 20), ...o });

beforeAll(async () => {
  srv = await startRangeServer({
    ...bytes,
    'truncated.tif': bytes['v2022.tif'].subarray(0, 30_000),
  });
  other = await startRangeServer(bytes);
});
afterAll(async () => {
  await srv.close();
  await other.close();
  await shutdownDecodePool();
});
beforeEach(() => {
  srv.reset();
  other.reset();
});

// --- zones ----------------------------------------------------------------------------------------------

const HUNAN = JSON.parse(readFileSync('data/demo/hunan_counties.geojson', 'utf8')) as { features: { properties: Record<string, unknown> }[] };
/** A subset of the Hunan counties as its own GeoJSON file. */
function counties(name: string, prefix: RegExp): string {
  const path = join(tmp, `${name}.geojson`);
  writeFileSync(path, JSON.stringify({ ...HUNAN, features: HUNAN.features.filter((f) => prefix.test(String(f.properties.Code_County))) }));
  return path;
}
const XIANGTAN = counties('xiangtan', /^4303/); // 5 counties in the middle of the province
const ALL = 'data/demo/hunan_counties.geojson';

/** Three polygons over the grid of a small fixture (in its own CRS units): a corner, a sliver, one across the middle. */
async function fixtureZones(file: string): Promise<string> {
  const info = await readRasterInfo(file);
  const [x0, dx, , y0, , dy] = info.geoTransform;
  const at = (c: number, r: number) => [x0 + c * dx, y0 + r * dy];
  const poly = (pts: number[][]) => [[...pts, pts[0]!]];
  const W = info.width,
    H = info.height;
  const features = [
    { id: 'corner', coords: poly([at(0.3, 0.2), at(9.7, 0.2), at(9.7, 7.4), at(0.3, 7.4)]) },
    { id: 'sliver', coords: poly([at(W - 3.2, 2.5), at(W - 0.1, 2.5), at(W - 0.1, H - 0.5), at(W - 3.2, H - 0.5)]) },
    { id: 'middle', coords: poly([at(W * 0.2, H * 0.9), at(W * 0.5, H * 0.1), at(W * 0.8, H * 0.95)]) },
  ];
  const path = join(tmp, `zones-${file.replace(/\W/g, '_')}.geojson`);
  const crs = info.crs?.epsg ? { crs: { type: 'name', properties: { name: `EPSG:${info.crs.epsg}` } } } : {};
  writeFileSync(
    path,
    JSON.stringify({
      type: 'FeatureCollection',
      ...crs,
      features: features.map((f) => ({ type: 'Feature', properties: { code: f.id }, geometry: { type: 'Polygon', coordinates: f.coords } })),
    }),
  );
  return path;
}

async function zonalCsv(raster: string, zones: string, idField: string, extra: Partial<ZonalJobInput> = {}): Promise<string> {
  const r = await runZonalJob({
    rasterPath: raster,
    zonesPath: zones,
    idField,
    stats: parseStats('count,sum,mean,min,max,stdev,median,nodata_count'),
    rule: 'exact',
    nodataAsZero: false,
    litThreshold: 0,
    threads: 0,
    ...extra,
  });
  return csvText(
    [r.idField, ...r.columns],
    r.rows.map((row) => [row.id, ...row.values]),
  );
}

// --- (a) the same results as the local file ---------------------------------------------------------------

describe('a Range-honouring server: the same bytes as the local file', () => {
  it('every pixel of a tiled, a striped, a BigTIFF and a planar multi-band file', async () => {
    for (const [name, band] of [
      ['bigtiff_tile.tif', 1],
      ['bigtiff_strip.tif', 1],
      ['float32_strip.tif', 1],
      ['int16_tile.tif', 1],
      ['multiband.tif', 3],
    ] as const) {
      const read = async (path: string, remote?: RemoteOptions) => {
        const src = await openRaster(path, { band, threads: 0, bandPixels: 1, remote });
        const out: number[] = [];
        try {
          for await (const b of src.bands({ rowStart: 2, rowEnd: src.info.height - 1, colStart: 1, colEnd: src.info.width }))
            out.push(...Array.from(b.data as ArrayLike<number>));
        } finally {
          await src.close();
        }
        return { out, info: src.info };
      };
      const local = await read(FILES[name]);
      const remote = await read(url(name), fast());
      expect(remote.out, name).toEqual(local.out);
      expect({ ...remote.info, path: '' }, name).toEqual({ ...local.info, path: '' });
      expect(remote.info.path).toBe(url(name));
    }
  });

  it('ntl zonal: the CSV of the demo rasters equals the local one byte for byte; a few counties fetch a third of the file', async () => {
    for (const name of ['v2022.tif', 'v2020.tif'] as const) {
      const local = await zonalCsv(FILES[name], XIANGTAN, 'Code_County');
      srv.reset();
      const remote = await zonalCsv(url(name), XIANGTAN, 'Code_County', { remote: fast() });
      expect(remote).toBe(local);
      // header (first 16 KiB) + the tiles under the five counties; well below the file
      expect(srv.bytesSent, `${name}: ${srv.bytesSent} of ${bytes[name].length} bytes`).toBeLessThan(bytes[name].length * 0.4);
      expect(srv.seen.length).toBeLessThanOrEqual(4);
    }
    // all 122 counties: the whole file, still the same CSV
    srv.reset();
    const all = { stats: DEFAULT_STATS };
    expect(await zonalCsv(url('v2022.tif'), ALL, 'Code_County', { ...all, remote: fast() })).toBe(await zonalCsv(FILES['v2022.tif'], ALL, 'Code_County', all));
    expect(srv.bytesSent).toBeLessThanOrEqual(bytes['v2022.tif'].length);
  });

  it('ntl zonal on a BigTIFF, a striped BigTIFF and a striped float file: the same CSV', async () => {
    for (const name of ['bigtiff_tile.tif', 'bigtiff_strip.tif', 'float32_strip.tif', 'int16_tile.tif'] as const) {
      const zones = await fixtureZones(FILES[name]);
      const local = await zonalCsv(FILES[name], zones, 'code');
      expect(local.split('\n').length).toBe(5); // header, three zones, final newline
      expect(await zonalCsv(url(name), zones, 'code', { remote: fast() }), name).toBe(local);
    }
  });

  it('without merging (gap 0) exactly the header and the tiles under the zones are fetched', async () => {
    const remote = fast({ gap: 0 });
    const src = await openRemote(url('v2022.tif'), remote);
    const { layout } = await readHeader(src, 1);
    await src.close();
    srv.reset();
    // two counties far apart: the tiles between them are not read
    const zones = counties('apart', /^(430821|431381)$/);
    const expected = await zonalCsv(FILES['v2022.tif'], zones, 'Code_County');
    expect(await zonalCsv(url('v2022.tif'), zones, 'Code_County', { remote })).toBe(expected);
    // which tiles their windows touch, from the local file's header
    const raster = await openRaster(FILES['v2022.tif'], { threads: 0 });
    const windows: { r0: number; r1: number; c0: number; c1: number }[] = [];
    const spy = {
      ...raster,
      bands: (w?: Parameters<typeof raster.bands>[0], hint?: Parameters<typeof raster.bands>[1]) => {
        for (const c of hint?.cells ?? []) windows.push({ r0: c.row0, r1: c.row1, c0: c.col0, c1: c.col1 });
        return raster.bands(w, hint);
      },
    };
    const { zonalOnSource, PreparedZones } = await import('../../src/jobs/zonal-job.js');
    const { readZones } = await import('../../src/vector/index.js');
    await zonalOnSource(spy, new PreparedZones(await readZones(zones, { idField: 'Code_County' })), {
      stats: DEFAULT_STATS,
      rule: 'exact',
      nodataAsZero: false,
      litThreshold: 0,
    });
    await raster.close();
    expect(windows.length).toBe(2);
    const tiles = new Set<number>();
    for (const w of windows) {
      for (let br = Math.floor(w.r0 / 256); br * 256 < w.r1; br++)
        for (let bc = Math.floor(w.c0 / 256); bc * 256 < w.c1; bc++) tiles.add(br * layout.blocksAcross + bc);
    }
    const header = 16 * 1024;
    let want = 0;
    for (const t of tiles) {
      const off = layout.offsets[t]!,
        len = layout.counts[t]!;
      want += Math.max(0, off + len - Math.max(off, header)); // bytes inside the first 16 KiB are already there
    }
    expect(srv.seen[0]!.range).toBe(`bytes=0-${header - 1}`);
    expect(srv.bytesSent - header).toBe(want);
    expect(tiles.size).toBeLessThan((layout.blocksAcross * layout.blocksDown) / 3);
  });

  it('ranges are merged across small gaps, up to the request limit', () => {
    const r = coalesceRanges(
      [
        { offset: 100, length: 10 },
        { offset: 0, length: 50 },
        { offset: 60, length: 20 },
        { offset: 1000, length: 5 },
      ],
      20,
      90,
    );
    expect(r.runs).toEqual([
      { offset: 0, length: 80 },
      { offset: 100, length: 10 },
      { offset: 1000, length: 5 },
    ]);
    expect(r.runOf).toEqual([1, 0, 0, 2]);
  });

  it('the range cache holds at most its byte bound, dropping the least recently used', () => {
    const c = new RangeCache(100);
    c.put('f', 0, new Uint8Array(40).fill(1));
    c.put('f', 100, new Uint8Array(40).fill(2));
    expect(c.get('f', 10, 5)).toEqual(new Uint8Array(5).fill(1)); // touch the first: the second is now oldest
    c.put('f', 200, new Uint8Array(40).fill(3));
    expect(c.bytes).toBeLessThanOrEqual(100);
    expect(c.get('f', 100, 1)).toBeUndefined();
    expect(c.get('f', 0, 40)).toBeDefined();
    expect(c.get('f', 200, 40)).toBeDefined();
    expect(c.get('g', 0, 1)).toBeUndefined();
  });

  it('a second open of the same file fetches only its header again (blocks come from the cache)', async () => {
    const cache = new RangeCache(64 * 2 ** 20);
    const first = await zonalCsv(url('v2022.tif'), XIANGTAN, 'Code_County', { remote: fast({ cache }) });
    const before = srv.bytesSent;
    expect(await zonalCsv(url('v2022.tif'), XIANGTAN, 'Code_County', { remote: fast({ cache }) })).toBe(first);
    expect(srv.bytesSent - before).toBe(16 * 1024);
  });
});

// --- (b) a server that ignores Range ---------------------------------------------------------------------

describe('a server that ignores Range', () => {
  it('is a clear error that offers a download, after one request', async () => {
    srv.ranges = false;
    const e = await zonalCsv(url('v2022.tif'), XIANGTAN, 'Code_County', { remote: fast() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NtlError);
    expect((e as Error).message).toMatch(/cannot be read in place: the server ignores HTTP range requests \(it answered with the whole file \(82962 bytes\)\)/);
    expect((e as Error).message).toMatch(/--download-if-no-range/);
    expect(srv.seen.length).toBe(1);
    expect(srv.bytesSent).toBe(bytes['v2022.tif'].length); // what the server wrote; the client stopped reading
  });

  it('with downloadIfNoRange: one download to a temporary file, a warning, the same CSV, the copy removed', async () => {
    srv.ranges = false;
    const warnings: string[] = [];
    const local = await zonalCsv(FILES['v2022.tif'], XIANGTAN, 'Code_County');
    const r = await runZonalJob({
      rasterPath: url('v2022.tif'),
      zonesPath: XIANGTAN,
      idField: 'Code_County',
      stats: parseStats('count,sum,mean,min,max,stdev,median,nodata_count'),
      rule: 'exact',
      nodataAsZero: false,
      litThreshold: 0,
      threads: 0,
      remote: fast({ downloadIfNoRange: true, onWarning: (w) => warnings.push(w) }),
    });
    expect(
      csvText(
        [r.idField, ...r.columns],
        r.rows.map((row) => [row.id, ...row.values]),
      ),
    ).toBe(local);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /ignores range requests, so the whole file \(82962 bytes\) was downloaded to a temporary file for this run and is deleted afterwards/,
    );
    expect(r.warnings[0]).toBe(warnings[0]);
    expect(srv.seen.length).toBe(1);
    const src = await openRemote(url('v2022.tif'), fast({ downloadIfNoRange: true }));
    const copy = src.localCopy!;
    expect(existsSync(copy)).toBe(true);
    await src.close();
    expect(existsSync(copy)).toBe(false);
  });

  it('a file smaller than the first request may come whole (200) and is read from that one answer', async () => {
    srv.ranges = false;
    const zones = await fixtureZones(FILES['bigtiff_tile.tif']);
    expect(await zonalCsv(url('bigtiff_tile.tif'), zones, 'code', { remote: fast() })).toBe(await zonalCsv(FILES['bigtiff_tile.tif'], zones, 'code'));
    expect(srv.seen.length).toBe(1);
  });
});

// --- (c) transient failures -------------------------------------------------------------------------------

describe('transient failures are retried, boundedly', () => {
  it('503 on the first two requests, then success', async () => {
    srv.behave = (_req, res, _f, n) => (n <= 2 ? (res.writeHead(503).end(), true) : false);
    expect(await zonalCsv(url('v2022.tif'), XIANGTAN, 'Code_County', { remote: fast() })).toBe(await zonalCsv(FILES['v2022.tif'], XIANGTAN, 'Code_County'));
    expect(srv.seen.length).toBeGreaterThanOrEqual(4);
  });

  it('429 with Retry-After waits as asked (capped)', async () => {
    srv.behave = (_req, res, _f, n) => (n === 1 ? (res.writeHead(429, { 'retry-after': '1' }).end(), true) : false);
    const t0 = Date.now();
    const src = await openRemote(url('v2022.tif'), fast());
    await src.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    srv.reset();
    srv.behave = (_req, res, _f, n) => (n === 1 ? (res.writeHead(429, { 'retry-after': '3600' }).end(), true) : false);
    const t1 = Date.now();
    await (await openRemote(url('v2022.tif'), fast({ maxRetryAfterMs: 50 }))).close();
    expect(Date.now() - t1).toBeLessThan(2000);
  });

  it('a block answer cut short is completed by a request for the rest', async () => {
    let cut = false;
    srv.behave = (req, res, file) => {
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (cut || !m || Number(m[1]) === 0 || !file) return false;
      cut = true; // the first block request: headers for the whole range, half the body, then the connection drops
      const a = Number(m[1]),
        b = Number(m[2]);
      res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${file.length}`, 'content-length': b - a + 1 });
      res.write(file.subarray(a, a + Math.floor((b - a + 1) / 2)));
      setTimeout(() => res.destroy(), 20);
      return true;
    };
    expect(await zonalCsv(url('v2022.tif'), XIANGTAN, 'Code_County', { remote: fast() })).toBe(await zonalCsv(FILES['v2022.tif'], XIANGTAN, 'Code_County'));
    expect(cut).toBe(true);
    const ranges = srv.seen.map((s) => s.range);
    const [a, b] = /bytes=(\d+)-(\d+)/.exec(ranges[1]!)!.slice(1).map(Number) as [number, number];
    expect(ranges[2]).toBe(`bytes=${a + Math.floor((b - a + 1) / 2)}-${b}`);
  });

  it('a server that keeps failing: one error after the last retry, saying what to do', async () => {
    srv.behave = (_req, res) => (res.writeHead(502).end(), true);
    const e = await openRemote(url('v2022.tif'), fast({ retries: 2 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NtlError);
    expect((e as Error).message).toBe(
      `${url('v2022.tif')}: reading the TIFF header (bytes 0..16384) failed: HTTP 502 from the server (gave up after 3 failed attempts). ` +
        'The server or the connection is failing; try again later, or download the file with `ntl fetch` (or curl) and give the local copy.',
    );
    expect(srv.seen.length).toBe(3);
  });

  it('a silent server times out and is retried', async () => {
    srv.behave = (_req, _res, _f, n) => n === 1; // never answers the first request
    const t0 = Date.now();
    await (await openRemote(url('v2022.tif'), fast({ timeoutMs: 300 }))).close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(srv.seen.length).toBe(2);
  });

  it('a missing file and a refused login are not retried', async () => {
    const e404 = await openRemote(url('nope.tif'), fast()).catch((x: unknown) => x);
    expect((e404 as Error).message).toMatch(/nope\.tif: HTTP 404 for bytes 0\.\.16384: not found — check the URL/);
    expect(srv.seen.length).toBe(1);
  });
});

// --- (d) the token -----------------------------------------------------------------------------------------

describe('the token', () => {
  const env = () => ({ NTL_EOG_TOKEN: TOKEN, NTL_EOG_TOKEN_HOSTS: new URL(srv.base).host });

  it('goes to its own host (listed host:port), on every range request', async () => {
    const zones = XIANGTAN;
    await zonalCsv(url('v2022.tif'), zones, 'Code_County', { remote: { backoffMs: 5, env: env(), cache: new RangeCache(2 ** 20) } });
    expect(srv.seen.length).toBeGreaterThan(1);
    for (const s of srv.seen) expect(s.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('is not sent to another host, nor after a redirect to another host (another port)', async () => {
    await (await openRemote(url('v2022.tif', other), { env: env(), cache: new RangeCache(2 ** 20) })).close();
    expect(other.seen.map((s) => s.auth)).toEqual([undefined]);
    other.reset();
    srv.behave = (req, res) => (res.writeHead(302, { location: `${other.base}${req.url}` }).end(), true);
    const src = await openRemote(url('v2022.tif'), { env: env(), cache: new RangeCache(2 ** 20) });
    await src.read(30_000, 100, 'a test range');
    await src.close();
    expect(srv.seen.map((s) => s.auth)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]); // asked of its own host
    expect(other.seen.length).toBe(2);
    expect(other.seen.map((s) => s.auth)).toEqual([undefined, undefined]); // never to where it redirected
  });

  it('a redirect within its own host keeps it', async () => {
    srv.behave = (req, res) => (req.url === '/moved.tif' ? (res.writeHead(301, { location: '/v2022.tif' }).end(), true) : false);
    await (await openRemote(url('moved.tif'), { env: env(), cache: new RangeCache(2 ** 20) })).close();
    expect(srv.seen.map((s) => [s.path, s.auth])).toEqual([
      ['moved.tif', `Bearer ${TOKEN}`],
      ['v2022.tif', `Bearer ${TOKEN}`],
    ]);
  });

  it('is in no error message (401, and a server that echoes it)', async () => {
    srv.behave = (req, res) => (res.writeHead(401, { 'www-authenticate': `Bearer realm="${req.headers.authorization}"` }).end(), true);
    const e = await openRemote(url('v2022.tif'), { env: env(), cache: new RangeCache(2 ** 20) }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/HTTP 401 .*the server refuses access \(the token from NTL_EOG_TOKEN was sent\)/);
    expect((e as Error).message).not.toContain(TOKEN);
    srv.behave = (req, res) => (res.writeHead(206, { 'content-range': `bytes 0-9/${req.headers.authorization}` }).end('0123456789'), true);
    const e2 = await openRemote(url('v2022.tif'), { env: env(), cache: new RangeCache(2 ** 20) }).catch((x: unknown) => x);
    expect(e2).toBeInstanceOf(NtlError);
    expect((e2 as Error).message).toMatch(/without a usable Content-Range/);
    expect((e2 as Error).message).not.toContain(TOKEN);
    expect((e2 as Error).message).toContain('***');
  });

  it('a 401 without a token says how to give one', async () => {
    srv.behave = (_req, res) => (res.writeHead(403).end(), true);
    const e = await openRemote(url('v2022.tif'), fast()).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/HTTP 403 .*no token was sent \(NTL_EOG_TOKEN \/ NTL_EOG_TOKEN_FILE not set\)/);
  });
});

// --- (e) truncated files and short answers ---------------------------------------------------------------

describe('truncated files and short answers', () => {
  it('a remote file shorter than its header describes: the block that is missing is named', async () => {
    const e = await zonalCsv(url('truncated.tif'), ALL, 'Code_County', { remote: fast() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NtlError);
    expect((e as Error).message).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/truncated\.tif is truncated: tile \(\d,\d\) needs bytes \d+\.\.\d+ but the file ends at byte 30000\. The remote file is incomplete/,
    );
  });

  it('an answer that always ends early is an error after the retries, naming the bytes', async () => {
    srv.behave = (req, res, file) => {
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (!m || !file) return false;
      const a = Number(m[1]),
        b = Math.min(Number(m[2]), file.length - 1);
      res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${file.length}`, 'content-length': b - a + 1 });
      res.write(file.subarray(a, a + 10)); // 10 bytes, then the connection ends: Content-Length not met
      setTimeout(() => res.destroy(), 10);
      return true;
    };
    const e = await openRemote(url('v2022.tif'), fast({ retries: 2, timeoutMs: 2000 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NtlError);
    expect((e as Error).message).toMatch(
      /v2022\.tif: reading the TIFF header \(bytes 0\.\.16384\) failed: the connection (dropped|closed) after 10 of \d+ bytes from byte 20( \(ECONNRESET\))? \(gave up after 3 failed attempts\)/,
    );
  });

  it('a server that answers a different range than asked is retried, then refused', async () => {
    srv.behave = (_req, res, file) => (res.writeHead(206, { 'content-range': `bytes 5-14/${file!.length}` }).end(file!.subarray(5, 15)), true);
    const e = await openRemote(url('v2022.tif'), fast({ retries: 1 })).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/answered a request for bytes 0\.\.16384 with bytes 5\.\.15/);
  });

  it('a remote file whose size is not the recorded one, or whose ETag changed, is refused before any block is read', async () => {
    const e = await openRemote(url('v2022.tif'), fast({ pin: { size: 123 }, label: 'entry x' })).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/v2022\.tif \(entry x\) is not the file the manifest describes: it has 82962 bytes, the manifest records size 123/);
    const e2 = await openRemote(url('v2022.tif'), fast({ pin: { size: 82962, etag: '"v0"' } })).catch((x: unknown) => x);
    expect((e2 as Error).message).toMatch(/its ETag is "v1", the manifest records etag "v0"/);
    await (await openRemote(url('v2022.tif'), fast({ pin: { size: 82962, etag: '"v1"' } }))).close();
    // what an earlier open of the same run saw (ntl panel, a pipeline's later stages): a change is named as such
    const e3 = await openRemote(url('v2022.tif'), fast({ pin: { seen: { etag: '"v0"' } }, label: 'input v2022' })).catch((x: unknown) => x);
    expect((e3 as Error).message).toMatch(/v2022\.tif \(input v2022\) changed during the run \(version "v0" → "v1"\)/);
    const e4 = await openRemote(url('v2022.tif'), fast({ pin: { seen: { headerSha256: '0'.repeat(64) } } })).catch((x: unknown) => x);
    expect((e4 as Error).message).toMatch(/changed during the run \(its first bytes differ from those read when the run started\)/);
  });

  it('a file that changes between requests is an error, not a mix of two versions', async () => {
    const src = await openRemote(url('v2022.tif'), fast());
    srv.behave = (req, res, file) => {
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '')!;
      res.writeHead(206, { 'content-range': `bytes ${m[1]}-${m[2]}/${file!.length}`, etag: '"v2"' }).end(file!.subarray(Number(m[1]), Number(m[2]) + 1));
      return true;
    };
    const e = await src.read(40_000, 100, 'blocks at byte 40000').catch((x: unknown) => x);
    await src.close();
    expect((e as Error).message).toMatch(/the remote file changed while it was being read \(version "v1" → "v2"\)/);
  });

  it('a web page instead of the raster is named as such', async () => {
    srv.behave = (_req, res) => (res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': 20 }).end('<html>login</html>  '), true);
    const e = await openRemote(url('v2022.tif'), fast()).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/answered with a web page \(content-type text\/html\), not the raster/);
  });

  it('openByteSource keeps local paths local', async () => {
    const s = await openByteSource(FILES['int16_tile.tif']);
    expect(s.remote).toBe(false);
    await s.close();
  });
});
