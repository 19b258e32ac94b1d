/**
 * Every GDAL-written fixture (scripts/fixtures/make-raster-fixtures.py) read through openRaster and compared
 * with what GDAL reads from the same file: all pixels bit for bit (lossy JPEG, decoded by geotiff.js: within
 * the fixture's codecTolerance DN of libjpeg's reconstruction), geotransform, nodata, dtype, CRS.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRaster, shutdownDecodePool, type RasterSource } from '../../src/raster/index.js';
import { expectSameCrs } from '../raster-helpers.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'raster');
interface Fixture {
  file: string;
  width: number;
  height: number;
  bandCount: number;
  dtype: string;
  bands: string[];
  geoTransform: number[];
  nodata: number | 'nan' | null;
  gdalNodataRaw: number | 'nan' | null;
  proj4: string | null;
  epsg: number | null;
  blockWidth: number;
  blockHeight: number;
  compression: string;
  bigTiff?: boolean;
  signedByte?: boolean;
  /** JPEG: largest |ours − GDAL| allowed per pixel (IDCT rounding differs between decoders). */
  codecTolerance?: number;
}
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { fixtures: Fixture[] };

/** All pixels of one band as raw little-endian bytes, assembled from the streamed row bands. */
async function readAllBytes(src: RasterSource): Promise<Uint8Array> {
  const { width, height } = src.info;
  const bps = { uint8: 1, int8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, float64: 8 }[src.info.dtype];
  const out = new Uint8Array(width * height * bps);
  let nextRow = 0;
  for await (const b of src.bands()) {
    expect(b.row0).toBe(nextRow);
    expect(b.col0).toBe(0);
    expect(b.width).toBe(width);
    expect(b.data.length).toBe(b.rows * width);
    out.set(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength), b.row0 * width * bps);
    nextRow += b.rows;
  }
  expect(nextRow).toBe(height);
  return out;
}

/** uint8 samples within `tol` of GDAL's; also counts how many differ at all (reported for the JPEG fixtures). */
function expectWithin(actual: Uint8Array, expected: Uint8Array, tol: number, what: string) {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst, `${what}: largest difference from GDAL's decoding`).toBeLessThanOrEqual(tol);
}

function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what: string) {
  expect(actual.length, what).toBe(expected.length);
  let first = -1;
  for (let i = 0; i < actual.length; i++)
    if (actual[i] !== expected[i]) {
      first = i;
      break;
    }
  expect(first, `${what}: first differing byte`).toBe(-1);
}

/** Our nodata vs GDAL's: GDAL's value except the two documented deviations (see src/raster/nodata.ts). */
function expectedNodata(f: Fixture): number | null {
  if (f.file === 'nodata_dblmax_float64.tif') return -Number.MAX_VALUE; // GDAL 3.6: -inf
  if (f.file === 'nodata_fraction_byte.tif') return null; // GDAL 3.6 masks trunc(1.5) = 1
  if (f.nodata === 'nan') return NaN;
  // the contract gives nodata in the band's domain: for float32 that is the value rounded to float32
  return f.nodata !== null && f.dtype === 'float32' ? Math.fround(f.nodata) : f.nodata;
}

afterAll(() => shutdownDecodePool());

describe('GDAL fixtures, every codec × layout × dtype × predictor', () => {
  for (const f of manifest.fixtures) {
    it(f.file, async () => {
      for (let band = 1; band <= f.bandCount; band++) {
        // alternate the decode path: inline, pooled with small bands (many block rows per file), pooled default
        const opts = [{ threads: 0 }, { threads: 2, bandPixels: 40 }, { threads: 2 }][(band + f.file.length) % 3];
        const src = await openRaster(join(DIR, f.file), { band, ...opts });
        try {
          const i = src.info;
          expect([i.width, i.height, i.bandCount, i.band]).toEqual([f.width, f.height, f.bandCount, band]);
          expect(i.dtype).toBe(f.dtype);
          expect([...i.geoTransform]).toEqual(f.geoTransform);
          expect(i.nodata).toEqual(expectedNodata(f));
          expect([i.blockWidth, i.blockHeight]).toEqual([f.blockWidth, f.blockHeight]);
          expect(i.compression.toUpperCase()).toBe(f.compression === 'NONE' ? 'NONE' : f.compression);
          expect(i.bigTiff).toBe(f.bigTiff === true);
          expect(i.signedByte === true).toBe(f.signedByte === true);
          if (f.proj4 === null) expect(i.crs).toBeNull();
          else {
            expect(i.crs).not.toBeNull();
            expect(i.crs!.epsg).toBe(f.epsg);
            expectSameCrs(i.crs!.proj4, f.proj4, f.geoTransform);
          }
          const expected = new Uint8Array(readFileSync(join(DIR, f.bands[band - 1])));
          if (f.codecTolerance !== undefined) {
            expect(f.dtype).toBe('uint8');
            expectWithin(await readAllBytes(src), expected, f.codecTolerance, `${f.file} band ${band}`);
          } else {
            expectSameBytes(await readAllBytes(src), expected, `${f.file} band ${band}`);
          }
        } finally {
          await src.close();
        }
      }
    });
  }
});
