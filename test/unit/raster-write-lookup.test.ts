/**
 * GeoTiffWriter.writeRowsLookup (uint8 rows expanded through a 256-value table tile by tile) writes the same bytes
 * as writeRows with the expanded float32 values — edge tiles, uniform tiles, NaN entries — and counts every raw value
 * once; writeCalibratedRaster's VIIRS counts through it equal the window-by-window chain's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GeoTiffWriter, type GeoTiffSpec } from '../../src/raster/write-geotiff.js';
import { writeGeoTiff } from '../../src/raster/index.js';
import { buildCalibrateChain } from '../../src/calibrate/chain.js';
import { writeCalibratedRaster } from '../../src/calibrate/write-calibrated.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('wlut');
const crs = { proj4: '+proj=longlat +datum=WGS84 +no_defs', epsg: 4326, geographic: true, label: 'EPSG:4326' };

/** Mostly dark with lit blobs, a no-data (255) block and a few uniform lit tiles. */
function rawImage(width: number, height: number): Uint8Array {
  const raw = new Uint8Array(width * height);
  let s = 7;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      if (r < 40 && c < 300) raw[i] = 255;
      else if (r >= 256 && r < 512 && c >= 256 && c < 512)
        raw[i] = 63; // one uniform interior tile of a lit value
      else if ((Math.floor(r / 37) + Math.floor(c / 53)) % 5 === 0) raw[i] = Math.floor(rnd() * 64);
    }
  }
  return raw;
}

describe('GeoTiffWriter.writeRowsLookup', () => {
  const table = new Float32Array(256);
  for (let k = 0; k < 256; k++) table[k] = k === 255 ? NaN : k === 0 ? 0 : k < 3 ? 0 : 0.5 + k * 1.0371;

  for (const [width, height, bandRows] of [
    [700, 600, 64],
    [512, 512, 100],
    [257, 300, 7],
    [1000, 260, 1000],
  ] as const) {
    it(`${width} × ${height} in bands of ${bandRows} rows: same bytes as writeRows of the expanded values`, async () => {
      const raw = rawImage(width, height);
      const spec: GeoTiffSpec = { width, height, dtype: 'float32', geoTransform: [100, 0.01, 0, 30, 0, -0.01], crs, nodata: NaN, level: 1 };
      const a = join(tmp, `lut-${width}-${height}.tif`),
        b = join(tmp, `rows-${width}-${height}.tif`);
      const wa = await GeoTiffWriter.create(a, spec);
      for (let r = 0; r < height; r += bandRows) {
        const n = Math.min(bandRows, height - r);
        await wa.writeRowsLookup(raw.subarray(r * width, (r + n) * width), n, table);
      }
      await wa.finish();
      await writeGeoTiff(
        b,
        spec,
        Float32Array.from(raw, (v) => table[v] as number),
      );
      expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
      const expected = new Float64Array(256);
      for (const v of raw) expected[v]!++;
      expect(Array.from(wa.rawHistogram)).toEqual(Array.from(expected));
    });
  }

  it('refuses mixing with writeRows, and other output types', async () => {
    const spec: GeoTiffSpec = { width: 16, height: 16, dtype: 'float32', geoTransform: [0, 1, 0, 0, 0, -1], crs, nodata: NaN };
    const w = await GeoTiffWriter.create(join(tmp, 'mix.tif'), spec);
    await w.writeRows(new Float32Array(16), 1);
    await expect(w.writeRowsLookup(new Uint8Array(16), 1, table)).rejects.toThrow(/after writeRows/);
    await w.abort();
    const u = await GeoTiffWriter.create(join(tmp, 'u8.tif'), { ...spec, dtype: 'uint8', nodata: 255 });
    await expect(u.writeRowsLookup(new Uint8Array(16), 1, table)).rejects.toThrow(/float32/);
    await u.abort();
  });

  it('writeCalibratedRaster through the table: same values and VIIRS counts as the window-by-window chain', async () => {
    const width = 700,
      height = 600;
    const raw = rawImage(width, height);
    const input = join(tmp, 'in.tif');
    await writeGeoTiff(input, { width, height, dtype: 'uint8', geoTransform: [100, 0.01, 0, 30, 0, -0.01], crs, nodata: 255 }, raw);
    const steps = [
      { step: 'intercalibrate', table: 'elvidge2014', satellite: 'F18', year: 2012, clamp: null },
      { step: 'viirs_denoise', threshold: 4, cap: 50 },
    ];
    const chain = buildCalibrateChain(steps, 't');
    expect(chain.byteLookup('uint8', 255)).not.toBeNull();
    const out = join(tmp, 'cal.tif');
    await writeCalibratedRaster({ path: input }, {}, chain, { path: out, dtype: 'float32', nodata: NaN, level: 1, predictor: 1 });
    const ref = buildCalibrateChain(steps, 'ref');
    const values = ref.applyStepwise({ data: raw, rows: height, width, row0: 0, col0: 0 }, { nodata: 255 });
    const refOut = join(tmp, 'ref.tif');
    await writeGeoTiff(refOut, { width, height, dtype: 'float32', geoTransform: [100, 0.01, 0, 30, 0, -0.01], crs, nodata: NaN, level: 1 }, values);
    expect(readFileSync(out).equals(readFileSync(refOut))).toBe(true);
    expect(chain.counts).toEqual(ref.counts);
    expect(chain.counts.background + chain.counts.capped).toBeGreaterThan(1000);
  });
});
