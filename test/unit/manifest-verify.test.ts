import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { assertVerified, loadManifest, sha256File, verifyManifest } from '../../src/manifest/index.js';
import type { VerifyProgress } from '../../src/manifest/index.js';
import { NtlError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

const fixtures = fileURLToPath(new URL('../fixtures/manifest/', import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = tempDir('manifest');
  await cp(fixtures, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sha256File', () => {
  it('matches node:crypto on a multi-chunk file', async () => {
    const data = Buffer.alloc(3 * (1 << 20) + 17, 7);
    data[12345] = 1;
    const p = join(dir, 'big.bin');
    await writeFile(p, data);
    expect(await sha256File(p)).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('reproduces the checksum recorded in data/demo/PROVENANCE.md for a real raster', async () => {
    const tif = fileURLToPath(new URL('../../data/demo/viirs_like/2012_8bit_hunan.tif', import.meta.url));
    expect(await sha256File(tif)).toBe('5b74ff1294005b7ec1d3b4ae541696eecff2105573f7f9acd27752cc294326a0');
  });

  it('throws an NtlError for a missing file', async () => {
    await expect(sha256File(join(dir, 'nope.bin'))).rejects.toThrow(/file not found/);
  });
});

describe('verifyManifest', () => {
  it('passes an intact manifest and reports progress for every file', async () => {
    const m = await loadManifest(join(dir, 'good.yaml'));
    const seen: VerifyProgress[] = [];
    const report = await verifyManifest(m, { onProgress: (p) => seen.push(p) });
    expect(report.ok).toBe(true);
    expect(report.items.map((i) => i.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(seen.map((p) => p.done).sort()).toEqual([1, 2, 3, 4]);
    expect(seen.every((p) => p.total === 4)).toBe(true);
    expect(() => assertVerified(report)).not.toThrow();
  });

  it('classifies missing, resized and altered files and lists them all in one error', async () => {
    await rm(join(dir, 'files/r2012.bin'));
    await truncate(join(dir, 'files/r2013.bin'), 5);
    await writeFile(join(dir, 'files/xw.csv'), 'old_code,new_code,year_effective\n342623,340225,2012\n'); // same size, other bytes
    const m = await loadManifest(join(dir, 'good.yaml'));
    const report = await verifyManifest(m);
    expect(report.ok).toBe(false);
    expect(Object.fromEntries(report.items.map((i) => [i.entryId, i.status]))).toEqual({
      'ras-2012': 'missing',
      'ras-2013': 'size-mismatch',
      units: 'ok',
      xw: 'checksum-mismatch',
    });
    expect(report.items[1].actualSize).toBe(5);
    let err: unknown;
    try {
      assertVerified(report);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NtlError);
    const msg = (err as NtlError).message;
    expect(msg).toContain('3 of 4 file(s) failed verification');
    expect(msg).toContain('ras-2012: missing: files/r2012.bin not found');
    expect(msg).toContain('ras-2013: size mismatch: files/r2013.bin is 5 bytes, the manifest records 18');
    expect(msg).toContain('xw: checksum mismatch');
    expect(msg).toContain('re-download the listed files, or run `ntl manifest add` to record a new file deliberately');
  });

  it('checks companion files and url-only entries', async () => {
    const sha = await sha256File(join(dir, 'files/r2012.bin'));
    await writeFile(
      join(dir, 'comp.yaml'),
      [
        'manifest: 1',
        'name: comp',
        'entries:',
        '  - { id: shp, kind: boundaries, id_field: code, path: files/units.geojson, size: 43,',
        '      sha256: 6d18edfe75b3149104038dcbca4d0096bbcb923f0f9fa4b49f4815344e75bb90, licence: x, citation: y,',
        `      companions: [ { path: files/r2012.bin, size: 12, sha256: ${sha} }, { path: files/gone.dbf, size: 1, sha256: ${sha} } ] }`,
        `  - { id: remote, sensor: other, year: 2000, url: https://example.org/x.tif, size: 1, sha256: ${sha}, licence: x, citation: y }`,
        '',
      ].join('\n'),
    );
    const report = await verifyManifest(await loadManifest(join(dir, 'comp.yaml')));
    expect(report.items.map((i) => [i.entryId, i.part, i.status])).toEqual([
      ['shp', 'main', 'ok'],
      ['shp', 'files/r2012.bin', 'ok'],
      ['shp', 'files/gone.dbf', 'missing'],
      ['remote', 'main', 'no-local-path'],
    ]);
    expect(() => assertVerified(report)).toThrow(/remote: no local copy: the entry has only a url \(https:\/\/example.org\/x.tif\)/);
  });
});
