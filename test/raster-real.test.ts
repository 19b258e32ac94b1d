/**
 * Real files from /work/shared/data against GDAL's reading of them (sums computed by
 * scripts/fixtures/make-raster-fixtures.py and stored in the manifest).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from './helpers/shared-data.js';
import { openRaster, shutdownDecodePool } from '../src/raster/index.js';
import { expectSameCrs } from './raster-helpers.js';

interface Real {
  width: number; height: number; bandCount: number; geoTransform: number[]; proj4: string; epsg: number | null;
  nodata: number | 'nan' | null; dtype: string; blockWidth: number; blockHeight: number;
  statsBand: number; validCount: number; validSum: number; rowSums: number[];
}
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'raster', 'manifest.json'), 'utf8')) as {
  real: Record<string, Real>;
};
const GDAL_TYPE: Record<string, string> = { Byte: 'uint8', Float32: 'float32', Float64: 'float64' };

afterAll(() => shutdownDecodePool());

/** The manifest names files by their /work/shared path; resolve them where the shared folder is. */
const sharedFile = (path: string): string => sharedData(path.replace('/work/shared/data/', ''));

describe('real rasters match GDAL', () => {
  for (const [path, r] of Object.entries(manifest.real)) {
    it(path.replace('/work/shared/data/', ''), async () => {
      const src = await openRaster(sharedFile(path), { band: r.statsBand });
      const i = src.info;
      expect([i.width, i.height, i.bandCount]).toEqual([r.width, r.height, r.bandCount]);
      expect(i.dtype).toBe(GDAL_TYPE[r.dtype]);
      expect([...i.geoTransform]).toEqual(r.geoTransform);
      expect([i.blockWidth, i.blockHeight]).toEqual([r.blockWidth, r.blockHeight]);
      const nd = r.nodata === 'nan' ? NaN : r.nodata;
      expect(i.nodata).toEqual(nd !== null && i.dtype === 'float32' ? Math.fround(nd) : nd);
      expect(i.crs?.epsg ?? null).toBe(r.epsg);
      expectSameCrs(i.crs!.proj4, r.proj4, r.geoTransform);

      const isInt = i.dtype !== 'float32' && i.dtype !== 'float64';
      let count = 0, total = 0;
      const rowSums: number[] = [];
      for await (const b of src.bands()) {
        for (let row = 0; row < b.rows; row++) {
          let s = 0;
          for (let k = row * b.width; k < (row + 1) * b.width; k++) {
            const v = b.data[k];
            if (v === i.nodata || Number.isNaN(v)) continue;
            s += v;
            count++;
          }
          rowSums.push(s);
          total += s;
        }
      }
      await src.close();
      expect(count).toBe(r.validCount);
      if (isInt) {
        expect(total).toBe(r.validSum);
        expect(rowSums).toEqual(r.rowSums);
      } else {
        // numpy sums pairwise, we sum in order: equal to ~1e-12 relative
        expect(Math.abs(total - r.validSum)).toBeLessThanOrEqual(1e-12 * Math.abs(r.validSum) + 1e-9);
        rowSums.forEach((s, k) => expect(Math.abs(s - r.rowSums[k]), `row ${k}`).toBeLessThanOrEqual(1e-12 * Math.abs(r.rowSums[k]) + 1e-9));
      }
    });
  }
});

describe('real-file specifics', () => {
  const wu = '/work/shared/data/wu2021_dmsp_like_china/hunan_clip/DMSP-like2021_hunan.tif';
  it('Wu 2021 Hunan clip: Albers CRS from GeoKeys, signed-byte tag, -128 nodata ignored like GDAL', async () => {
    const src = await openRaster(sharedFile(wu));
    expect(src.info.crs).toEqual({
      proj4: '+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
      epsg: null,
      geographic: false,
      label: 'WGS_1984_Albers',
    });
    expect(src.info.dtype).toBe('uint8');
    expect(src.info.signedByte).toBe(true);
    expect(src.info.nodata).toBeNull();
    expect(src.info.nodataText).toBe('-128');
    await src.close();
  });
  const stp = '/work/shared/data/rnightlights_stp/STP_OLS_1992.tif';
  it('STP 1992 float64 nodata -1.7e308; country total 590 = Rnightlights', async () => {
    const src = await openRaster(sharedFile(stp), { threads: 0 });
    expect(src.info.nodata).toBe(-1.7e308);
    let s = 0;
    for await (const b of src.bands()) for (const v of b.data) if (v !== src.info.nodata) s += v;
    await src.close();
    expect(s).toBe(590);
  });
});
