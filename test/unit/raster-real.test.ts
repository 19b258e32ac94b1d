/**
 * Real rasters against GDAL's reading of them (header, valid count, sum and row sums computed by
 * scripts/fixtures/make-raster-fixtures.py and stored in test/fixtures/raster/manifest.json, "real"). The manifest
 * names committed files by their path from the repository root (data/demo, data/mumbai, test/fixtures/real) — these
 * always run — and the whole-China rasters, which are not shipped, as `$NTL_DATA_DIR/<path>`: those run only when
 * NTL_DATA_DIR is set (test/helpers/data-dir.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirFile, HAS_DATA_DIR, NEEDS_DATA_DIR, repoFile } from '../helpers/data-dir.js';
import { openRaster, shutdownDecodePool } from '../../src/raster/index.js';
import { expectSameCrs } from '../raster-helpers.js';

interface Real {
  width: number;
  height: number;
  bandCount: number;
  geoTransform: number[];
  proj4: string;
  epsg: number | null;
  nodata: number | 'nan' | null;
  dtype: string;
  blockWidth: number;
  blockHeight: number;
  statsBand: number;
  validCount: number;
  validSum: number;
  rowSums: number[];
}
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'raster', 'manifest.json'), 'utf8')) as {
  real: Record<string, Real>;
};
const GDAL_TYPE: Record<string, string> = { Byte: 'uint8', Float32: 'float32', Float64: 'float64' };
const IN_DATA_DIR = '$NTL_DATA_DIR/';

afterAll(() => shutdownDecodePool());

async function expectAsGdal(file: string, r: Real): Promise<void> {
  const src = await openRaster(file, { band: r.statsBand });
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
  let count = 0,
    total = 0;
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
}

const entries = Object.entries(manifest.real);
const committed = entries.filter(([path]) => !path.startsWith(IN_DATA_DIR));
const wholeChina = entries.filter(([path]) => path.startsWith(IN_DATA_DIR)).map(([path, r]) => [path.slice(IN_DATA_DIR.length), r] as const);

describe('real rasters committed in the repository match GDAL', () => {
  it('the manifest covers the Hunan clips, Mumbai, Sao Tome and the Li 2020 China file', () => {
    expect(committed.length).toBe(17);
    expect(wholeChina.length).toBe(3);
  });
  for (const [path, r] of committed) it(path, () => expectAsGdal(repoFile(path), r));
});

describe.runIf(HAS_DATA_DIR)(`whole-China rasters match GDAL — ${NEEDS_DATA_DIR}`, () => {
  for (const [path, r] of wholeChina) it(path, () => expectAsGdal(dataDirFile(path), r));
});

describe('real-file specifics', () => {
  it('Wu 2021 Hunan clip: Albers CRS from GeoKeys, signed-byte tag, -128 nodata ignored like GDAL', async () => {
    const src = await openRaster(repoFile('data/demo/dmsp_like/DMSP-like2021_hunan.tif'));
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
  it('STP 1992 float64 nodata -1.7e308; country total 590 = Rnightlights', async () => {
    const src = await openRaster(repoFile('test/fixtures/real/rnightlights_stp/STP_OLS_1992.tif'), { threads: 0 });
    expect(src.info.nodata).toBe(-1.7e308);
    let s = 0;
    for await (const b of src.bands()) for (const v of b.data) if (v !== src.info.nodata) s += v;
    await src.close();
    expect(s).toBe(590);
  });

  // test/goldens/stp-totals.json: GDAL's whole-raster totals of the four Rnightlights rasters (scripts/golden/stp-totals.py)
  const stp = JSON.parse(readFileSync(repoFile('test/goldens/stp-totals.json'), 'utf8')) as {
    rasters: Record<
      string,
      { sha256: string; valid_cells: number; sum_valid: number; sum_positive: number; negative_cells?: number; min?: number; max?: number }
    >;
  };
  for (const [name, want] of Object.entries(stp.rasters)) {
    it(`STP ${name}: the golden file, valid cells and sums of stp-totals.json`, async () => {
      const file = repoFile(`test/fixtures/real/rnightlights_stp/${name}`);
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(want.sha256);
      const src = await openRaster(file, { threads: 0 });
      const nd = src.info.nodata;
      const valid: number[] = [];
      for await (const b of src.bands()) for (const v of b.data) if (v !== nd && !Number.isNaN(v)) valid.push(v);
      await src.close();
      expect(valid.length).toBe(want.valid_cells);
      // the golden sums are math.fsum (correctly rounded); an in-order double sum agrees to ~1e-12 relative
      const near = (got: number, exp: number) => expect(Math.abs(got - exp)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(exp)));
      near(
        valid.reduce((a, v) => a + v, 0),
        want.sum_valid,
      );
      near(
        valid.filter((v) => v > 0).reduce((a, v) => a + v, 0),
        want.sum_positive,
      );
      if (want.negative_cells !== undefined) expect(valid.filter((v) => v < 0).length).toBe(want.negative_cells);
      if (want.min !== undefined) expect(Math.min(...valid)).toBe(want.min);
      if (want.max !== undefined) expect(Math.max(...valid)).toBe(want.max);
    });
  }
});
