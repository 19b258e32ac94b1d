/**
 * Issue 15: fetch never records a login page as data. The first bytes of every download (and of a file on disk
 * about to be recorded) are checked against the type the entry implies, whatever the Content-Type said; an
 * HTML page names the token variables. Against a loopback HTTP server (127.0.0.1, random port, closed after).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCommand } from '../../src/cli/fetch-command.js';
import { isNtlError } from '../../src/errors.js';
import { expectedContent, looksLikeHtml, matches } from '../../src/fetch/content.js';
import { tempDir } from '../helpers/tmp.js';

const LOGIN = '\ufeff \n<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>password</form></body></html>\n';
const tiff = (n = 4096) => Buffer.concat([Buffer.from('II*\0', 'latin1'), Buffer.alloc(n)]);
const shp = () => {
  const b = Buffer.alloc(100);
  b.writeUInt32BE(0x270a, 0);
  return b;
};
const dbf = () => Buffer.concat([Buffer.from([0x03, 124, 1, 1]), Buffer.alloc(60)]);

const BODIES: Record<string, { body: Buffer; type?: string }> = {
  'login.tif': { body: Buffer.from(LOGIN, 'utf8'), type: 'application/octet-stream' },
  'login.tif.gz': { body: Buffer.from(LOGIN.toUpperCase(), 'utf8'), type: 'application/gzip' },
  'xhtml.tif': {
    body: Buffer.from('<?xml version="1.0"?>\n<!-- portal -->\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'),
    type: 'application/xml',
  },
  'png.tif': { body: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') },
  'good.tif': { body: tiff() },
  'good.tif.gz': { body: gzipSync(tiff()) },
  'table.csv': { body: Buffer.from('code,名称\n430102,芙蓉区\n', 'utf8'), type: 'text/csv' },
  'binary.csv': { body: Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01, 0x02]) },
  'zones.shp': { body: shp() },
  'zones.dbf': { body: dbf() },
  'bad.shp': { body: tiff(96) },
  'cube.h5': { body: Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(64)]) },
  'cube.nc': { body: Buffer.concat([Buffer.from('CDF\x02', 'latin1'), Buffer.alloc(64)]) },
};

let server: Server;
let base = '';
let requests = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const f = BODIES[name];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': f.body.length, 'content-type': f.type ?? 'application/octet-stream' }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.NTL_FETCH_BACKOFF_MS = '1';
}, 10_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

let n = 0;
/** A project folder with a regular manifest of unrecorded entries (size/sha256 null). */
function project(entries: string[]): { dir: string; manifest: string } {
  const dir = tempDir(`fetch-content-${n++}`);
  writeFileSync(join(dir, 'package.json'), '{}');
  const manifest = join(dir, 'm.yaml');
  writeFileSync(manifest, `manifest: 1\nname: t\nentries:\n${entries.join('')}`);
  return { dir, manifest };
}
function raster(id: string, path: string, url: string, extra = ''): string {
  return `  - id: ${id}\n    sensor: other\n    year: 2015\n    path: ${path}\n    url: ${url}\n${extra}    size: null\n    sha256: null\n    licence: t\n    citation: t\n`;
}
function other(id: string, kind: string, fields: string, path: string, url: string): string {
  return `  - id: ${id}\n    kind: ${kind}\n${fields}    path: ${path}\n    url: ${url}\n    size: null\n    sha256: null\n    licence: t\n    citation: t\n`;
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
const tree = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tree(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));

describe('magic bytes', () => {
  it('recognises the formats the entries name', () => {
    const b = (s: string, pad = 0) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.alloc(pad)]);
    expect(['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].every((m) => matches(b(m), 'geotiff'))).toBe(true);
    expect(matches(b('GIF89a'), 'geotiff')).toBe(false);
    const tar = Buffer.alloc(512);
    tar.write('ustar\0', 257, 'latin1');
    expect(matches(tar, 'tar')).toBe(true);
    expect(matches(b('PK\x03\x04'), 'zip')).toBe(true);
    expect(matches(b('\x1f\x8b\x08'), 'gzip')).toBe(true);
    expect(matches(b('CDF\x01'), 'netcdf') && matches(b('\x89HDF\r\n\x1a\n'), 'netcdf')).toBe(true);
    expect(matches(Buffer.from('a,b\n1,2\n'), 'text')).toBe(true);
    expect(matches(Buffer.from([0xb5, 0xd8, 0x2c, 0x0a]), 'text')).toBe(false); // GBK bytes are not UTF-8 ...
    expect(matches(Buffer.from([0xb5, 0xd8, 0x2c, 0x0a]), 'text', 'gbk')).toBe(true); // ... unless declared
    expect(matches(Buffer.from('名称', 'utf8').subarray(0, 4), 'text')).toBe(true); // a character cut by the sample
    expect(looksLikeHtml(Buffer.from(LOGIN))).toBe(true);
    expect(looksLikeHtml(Buffer.from('<VRTDataset rasterXSize="1">'))).toBe(false);
    expect(expectedContent('a/b.TIF', 'raster')).toBe('geotiff');
    expect(expectedContent('a/b.v4b_web', 'raster')).toBe('geotiff');
    expect(expectedContent('x.shp', 'boundaries')).toBe('shp');
    expect(expectedContent('x.gpkg', 'boundaries')).toBeNull();
    expect(expectedContent('t', 'table')).toBe('text');
  });
});

describe('ntl fetch refuses what the entry is not', () => {
  it('an HTTP 200 login page (any Content-Type) is not saved or recorded, and names the token variables', async () => {
    const p = project([raster('a', 'raw/payload.tif', `${base}/login.tif`), raster('b', 'raw/x.tif', `${base}/xhtml.tif`)]);
    const before = readFileSync(p.manifest, 'utf8');
    const r = await fetch([p.manifest, '--record', '--threads', '1']);
    expect(r.code).toBe(1);
    expect(r.error).toMatch(
      /fetch a \(.*m\.yaml line \d+\): the download from http:\/\/127\.0\.0\.1:\d+\/login\.tif is an HTML page, not the file; nothing was saved or recorded \(the download is deleted\)\. The server probably wants a login or a token: for EOG downloads set NTL_EOG_TOKEN=<token> or NTL_EOG_TOKEN_FILE=<file holding it> .*NTL_EOG_TOKEN_HOSTS/,
    );
    expect(r.error).toMatch(/fetch b .*xhtml\.tif is an HTML page/);
    expect(readFileSync(p.manifest, 'utf8')).toBe(before);
    expect(tree(p.dir).sort()).toEqual(['m.yaml', 'package.json']);
  });

  it('an HTML page behind a .gz entry says "HTML page", not "corrupt gzip"', async () => {
    const p = project([raster('a', 'raw/v.tif', `${base}/login.tif.gz`)]);
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(/the download from .*login\.tif\.gz is an HTML page/);
    expect(existsSync(join(p.dir, 'raw'))).toBe(false);
  });

  it('a file of another type is refused naming what it looks like; a GeoTIFF, a .tif.gz, a UTF-8 table, shapefile parts, HDF5 and NetCDF pass', async () => {
    const p = project([
      raster('png', 'raw/png.tif', `${base}/png.tif`),
      other('bin', 'table', '    role: other\n', 'raw/binary.csv', `${base}/binary.csv`),
      other('badshp', 'boundaries', '    id_field: code\n', 'raw/bad.shp', `${base}/bad.shp`),
    ]);
    const r = await fetch([p.manifest, '--threads', '1']);
    expect(r.error).toMatch(
      /fetch png .*: the download from .*png\.tif is not a GeoTIFF as the entry says \(it looks like binary data starting 89 50 4e 47 0d 0a 1a 0a\); nothing was saved/,
    );
    expect(r.error).toMatch(/fetch bin .*binary\.csv is not text as the entry says/);
    expect(r.error).toMatch(/fetch badshp .*bad\.shp is not a shapefile part \(\.shp\/\.shx\) as the entry says \(it looks like a GeoTIFF\)/);
    expect(tree(p.dir).sort()).toEqual(['m.yaml', 'package.json']);

    const ok = project([
      raster('t', 'raw/good.tif', `${base}/good.tif`),
      raster('g', 'raw/g.tif', `${base}/good.tif.gz`),
      other('csv', 'table', '    role: other\n', 'raw/table.csv', `${base}/table.csv`),
      other('shp', 'boundaries', '    id_field: code\n', 'raw/zones.shp', `${base}/zones.shp`),
      other('dbf', 'table', '    role: other\n', 'raw/zones.dbf', `${base}/zones.dbf`),
      raster('h5', 'raw/cube.h5', `${base}/cube.h5`),
      raster('nc', 'raw/cube.nc', `${base}/cube.nc`),
    ]);
    const good = await fetch([ok.manifest, '--record']);
    expect(good.error).toBeUndefined();
    expect(good.out).toMatch(/7 fetched/);
    expect(readFileSync(ok.manifest, 'utf8')).not.toMatch(/sha256: null/);
  });

  it('a login page saved by hand is not recorded by --record', async () => {
    const p = project([raster('a', 'raw/payload.tif', `${base}/good.tif`)]);
    mkdirSync(join(p.dir, 'raw'));
    writeFileSync(join(p.dir, 'raw/payload.tif'), LOGIN);
    const r = await fetch([p.manifest, '--record']);
    expect(r.error).toMatch(/fetch a .*: the file on disk .*payload\.tif is an HTML page, not the file; it is not recorded: replace it with the real file/);
    expect(readFileSync(p.manifest, 'utf8')).toMatch(/sha256: null/);
  });

  it('an entry whose path is the manifest, or --record-to naming the manifest or an entry file, fails before any download', async () => {
    const p = project([raster('a', 'm.yaml', `${base}/good.tif`)]);
    const before = readFileSync(p.manifest, 'utf8');
    const seen = requests;
    const r = await fetch([p.manifest]);
    expect(r.error).toMatch(
      /^ntl fetch: .*m\.yaml line \d+: entries\[0\]\.path m\.yaml is the input manifest .*m\.yaml \(same file\); choose another output path$/,
    );
    expect(requests).toBe(seen);
    expect(readFileSync(p.manifest, 'utf8')).toBe(before);
    const q = project([raster('a', 'raw/a.tif', `${base}/good.tif`)]);
    expect((await fetch([q.manifest, '--record-to', q.manifest])).error).toMatch(
      /ntl fetch: --record-to .*m\.yaml is the input manifest .*m\.yaml \(same file\)/,
    );
    expect((await fetch([q.manifest, '--record-to', join(q.dir, 'raw', 'a.tif')])).error).toMatch(
      /ntl fetch: --record-to .*a\.tif is the input .*entries\[0\]\.path raw\/a\.tif \(same file\)/,
    );
    expect(requests).toBe(seen);
  });
});
