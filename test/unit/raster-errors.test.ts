/** Bad input: each case must give one NtlError that names the problem and the file. */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { NtlError } from '../../src/errors.js';
import { openRaster, readRasterInfo, shutdownDecodePool } from '../../src/raster/index.js';
import { repoFile } from '../helpers/data-dir.js';

const BAD = join(import.meta.dirname, '..', 'fixtures', 'raster', 'bad');
const GOOD = join(import.meta.dirname, '..', 'fixtures', 'raster', 'uint16_lzw_tile_p2.tif');

async function readAll(path: string, opts = {}) {
  const src = await openRaster(path, opts);
  try {
    for await (const _ of src.bands()) void _;
  } finally {
    await src.close();
  }
}

async function ntlError(p: Promise<unknown>): Promise<NtlError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'expected an error').toBeInstanceOf(NtlError);
  return e as NtlError;
}

afterAll(() => shutdownDecodePool());

describe('raster errors', () => {
  it('nonexistent path', async () => {
    const e = await ntlError(openRaster('/nope/missing.tif'));
    expect(e.message).toMatch(/raster file not found: \/nope\/missing\.tif/);
  });

  it('not a TIFF', async () => {
    const e = await ntlError(openRaster(join(BAD, 'not_a_tiff.tif')));
    expect(e.message).toMatch(/not_a_tiff\.tif is not a GeoTIFF \(it does not start with the TIFF byte-order mark/);
  });

  it('truncated header', async () => {
    const e = await ntlError(readRasterInfo(join(BAD, 'truncated_header.tif')));
    expect(e.message).toMatch(/truncated_header\.tif is not a GeoTIFF \(only 6 bytes long/);
  });

  it('file cut in half: opens, then fails at the first missing block, naming block and offsets', async () => {
    const src = await openRaster(join(BAD, 'truncated.tif'), { threads: 2, bandPixels: 1 });
    expect(src.info.width).toBe(64);
    const rows: number[] = [];
    const read = async () => {
      for await (const b of src.bands()) rows.push(b.row0);
    };
    const e = await ntlError(read());
    await src.close();
    expect(e.message).toMatch(/truncated\.tif is truncated: tile \(\d+,\d+\) needs bytes \d+\.\.\d+ but the file ends at byte \d+/);
    expect(e.message).toMatch(/fetch or write the file again/);
    expect(rows.length).toBeGreaterThan(0); // the bands before the cut were delivered
  });

  for (const codec of ['DEFLATE', 'LZW']) {
    for (const threads of [0, 2]) {
      it(`corrupt ${codec} tile (threads ${threads})`, async () => {
        const f = join(BAD, `corrupt_${codec.toLowerCase()}.tif`);
        const e = await ntlError(readAll(f, { threads }));
        expect(e.message).toContain(`corrupt ${codec} data in tile (1,1) of ${f}`);
      });
    }
  }

  // JPEG and LERC are read (test/unit/raster-fixtures.test.ts); these neither we nor geotiff.js (in Node) decode
  for (const [codec, name] of [
    ['lzma', 'LZMA'],
    ['webp', 'WebP'],
    ['ycbcr', 'YCbCr JPEG'],
  ]) {
    it(`unsupported codec ${name}`, async () => {
      const f = join(BAD, `codec_${codec}.tif`);
      const e = await ntlError(openRaster(f));
      expect(e.message).toContain(`${f} is compressed with ${name} (TIFF compression `);
      expect(e.message).toContain('which this tool does not decode');
      expect(e.message).toContain(`gdal_translate -co COMPRESS=DEFLATE -co TILED=YES "${f}" out.tif`);
    });
  }

  it('no georeferencing (GDAL-written, and the real Mumbai file)', async () => {
    const f = join(BAD, 'no_georef.tif');
    const e = await ntlError(openRaster(f));
    expect(e.message).toContain(`${f} has no georeferencing (no ModelTiepoint/ModelPixelScale or ModelTransformation tag)`);
    // the Mumbai file carries an identity ModelTransformation and no CRS: pixel coordinates, rejected too
    const m = repoFile('test/fixtures/real/nighttimelights_jl_mumbai/april2012.tif');
    const e2 = await ntlError(openRaster(m));
    expect(e2.message).toContain(`${m} has no georeferencing (its only transform is the identity pixel grid`);
  });

  it('band index out of range', async () => {
    for (const band of [0, 2, 1.5]) {
      const e = await ntlError(openRaster(GOOD, { band }));
      expect(e.message).toContain(`${GOOD} has 1 band; band ${band} does not exist (bands are numbered 1..1)`);
    }
    const three = join(import.meta.dirname, '..', 'fixtures', 'raster', 'multiband3_uint16_lzw_pixel_tile_p2.tif');
    const e = await ntlError(openRaster(three, { band: 4 }));
    expect(e.message).toContain('has 3 bands; band 4 does not exist');
  });

  it('unsupported bit depth', async () => {
    const f = join(BAD, 'nbits4.tif');
    const e = await ntlError(openRaster(f));
    expect(e.message).toContain(`${f} stores 4-bit unsigned samples, which are not supported`);
  });

  it('ground control points only', async () => {
    const f = join(BAD, 'gcps_only.tif');
    const e = await ntlError(openRaster(f));
    expect(e.message).toContain(`${f} is georeferenced only by ground control points (6 tiepoints, no pixel scale)`);
  });

  it('a directory', async () => {
    const e = await ntlError(openRaster(BAD));
    expect(e.message).toMatch(/is a directory/);
  });
});
