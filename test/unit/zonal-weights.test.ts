/**
 * Weighting rasters (--weights): the common-grid rule of src/zonal/common-grid.ts checked against brute force
 * on synthetic grids — same grid (multiply, then sum), an aligned coarser and finer grid (disaggregate both
 * rasters to the common grid, then plain sums), a non-integer ratio (weighted_mean and weight_sum against a
 * grid refining both), no-data weights and the default weight. Real rasters vs the R oracle: zonal-weights-golden.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import type { GeoTransform } from '../../src/raster/types.js';
import type { Zone } from '../../src/vector/types.js';
import { commonGrid } from '../../src/zonal/common-grid.js';
import { zonalStatistics, zonalStatisticsLayers, type EngineOptions } from '../../src/zonal/engine.js';
import { parseStats } from '../../src/zonal/spec.js';
import { mulberry32 } from '../../src/estimate/prng.js';
import { memoryRaster } from '../helpers/memory-raster.js';

const ring = (pts: number[][]): Float64Array => Float64Array.from([...pts, pts[0]!].flat());
const zone = (id: string, pts: number[][], hole?: number[][]): Zone => ({ id, attributes: {}, parts: [hole ? [ring(pts), ring(hole)] : [ring(pts)]] });

// Value grid: 40 × 30 cells of 0.3°, origin (100, 40). Zones are irregular polygons well inside it.
const V = { x0: 100, y0: 40, d: 0.3, nx: 40, ny: 30 };
const ZONES: Zone[] = [
  zone(
    'a',
    [
      [100.7, 39.1],
      [104.13, 38.2],
      [105.9, 34.77],
      [102.2, 33.05],
      [101.0, 35.4],
    ],
    [
      [102, 36.5],
      [103.1, 36.9],
      [102.8, 35.6],
    ],
  ),
  zone('b', [
    [106.1, 39.5],
    [111.2, 38.77],
    [110.4, 32.3],
    [107.05, 31.4],
    [105.3, 34.0],
  ]),
  zone('c', [
    [101.01, 32.9],
    [103.3, 31.8],
    [102.1, 31.15],
  ]),
];

function data(seed: number, n: number, scale: number, nodata: number | null = null, every = 0): Float64Array {
  const r = mulberry32(seed);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.floor(r() * scale * 100) / 100;
  if (nodata !== null && every > 0) for (let i = 5; i < n; i += every) d[i] = nodata;
  return d;
}

const gt = (x0: number, y0: number, d: number): GeoTransform => [x0, d, 0, y0, 0, -d];
const base = (stats: string): EngineOptions => ({ stats: parseStats(stats), rule: 'exact', nodataAsZero: false, litThreshold: 0, geographic: true });

/** Copy a raster onto a finer grid (factor f per axis, aligned origin): every fine cell takes its coarse cell's value. */
function disaggregate(src: Float64Array, nx: number, ny: number, f: number): Float64Array {
  const out = new Float64Array(nx * f * ny * f);
  for (let r = 0; r < ny * f; r++) for (let c = 0; c < nx * f; c++) out[r * nx * f + c] = src[Math.floor(r / f) * nx + Math.floor(c / f)]!;
  return out;
}

const VALUES = data(1, V.nx * V.ny, 60);
const valueRaster = () => memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: VALUES, bandHeight: 7 });

describe('weights on the same grid', () => {
  it('weighted_sum = sum of value × weight; weighted_mean, weight_sum and per_weight follow', async () => {
    const W = data(2, V.nx * V.ny, 1000);
    const product = VALUES.map((x, i) => x * W[i]!);
    const weights = memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: W, bandHeight: 5 });
    const r = await zonalStatistics(valueRaster(), ZONES, {
      ...base('sum,weighted_sum,weighted_mean,weight_sum,per_weight'),
      weights: { source: weights, defaultWeight: null },
    });
    const p = await zonalStatistics(memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: product }), ZONES, base('sum'));
    const w = await zonalStatistics(memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: W }), ZONES, base('sum'));
    const plain = await zonalStatistics(valueRaster(), ZONES, base('sum'));
    r.rows.forEach((row, i) => {
      const [sum, ws, wm, wsum, pw] = row.values as number[];
      expect(sum).toBe(plain.rows[i]!.values[0]); // --weights leaves the unweighted columns bitwise alone
      expect(ws).toBeCloseTo(p.rows[i]!.values[0] as number, 6);
      expect(Math.abs(ws! - (p.rows[i]!.values[0] as number)) / ws!).toBeLessThan(1e-12);
      expect(Math.abs(wsum! - (w.rows[i]!.values[0] as number)) / wsum!).toBeLessThan(1e-12);
      expect(wm).toBeCloseTo(ws! / wsum!, 10);
      expect(pw).toBe(sum! / wsum!);
    });
    expect(commonGrid({ xmin: 100, ymax: 40, dx: 0.3, dy: 0.3, nx: 40, ny: 30 }, { xmin: 100, ymax: 40, dx: 0.3, dy: 0.3, nx: 40, ny: 30 }).identity).toBe(
      true,
    );
  });
});

describe('weights on another grid (exactextract common grid)', () => {
  it('coarser weights (3 × 3 value cells, offset origin): each value cell takes the weight of the weight cell containing it', async () => {
    // Weight grid 0.9°, origin one value cell west and two north of the value grid.
    const wx0 = V.x0 - 0.3,
      wy0 = V.y0 + 0.6,
      wd = 0.9,
      wnx = 15,
      wny = 12;
    const W = data(3, wnx * wny, 500);
    const weights = memoryRaster({ width: wnx, height: wny, geoTransform: gt(wx0, wy0, wd), data: W, bandHeight: 2 });
    const cg = commonGrid({ xmin: V.x0, ymax: V.y0, dx: V.d, dy: V.d, nx: V.nx, ny: V.ny }, { xmin: wx0, ymax: wy0, dx: wd, dy: wd, nx: wnx, ny: wny });
    expect(cg.identity).toBe(true);
    expect(cg.exactextractCompatible).toBe(true);
    // Brute force: the weight of every value cell, then plain sums.
    const Wv = new Float64Array(V.nx * V.ny),
      XW = new Float64Array(V.nx * V.ny);
    for (let r = 0; r < V.ny; r++)
      for (let c = 0; c < V.nx; c++) {
        const w = W[Math.floor((r + 2) / 3) * wnx + Math.floor((c + 1) / 3)]!;
        Wv[r * V.nx + c] = w;
        XW[r * V.nx + c] = w * VALUES[r * V.nx + c]!;
      }
    const r = await zonalStatistics(valueRaster(), ZONES, {
      ...base('weighted_sum,weighted_mean,weight_sum'),
      weights: { source: weights, defaultWeight: null },
    });
    const sx = await zonalStatistics(memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: XW }), ZONES, base('sum'));
    const sw = await zonalStatistics(memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: Wv }), ZONES, base('sum'));
    r.rows.forEach((row, i) => {
      const [ws, wm, wsum] = row.values as number[];
      const bx = sx.rows[i]!.values[0] as number,
        bw = sw.rows[i]!.values[0] as number;
      expect(Math.abs(ws! - bx) / bx).toBeLessThan(1e-12);
      expect(Math.abs(wm! - bx / bw) / wm!).toBeLessThan(1e-12);
      expect(Math.abs(wsum! - bw / 9) / wsum!).toBeLessThan(1e-12); // a value cell is 1/9 of its weight cell
    });
  });

  it('finer weights (value cell = 3 × 3 weight cells): coverage on the finer grid, values repeated', async () => {
    const f = 3,
      wd = V.d / f,
      wnx = V.nx * f,
      wny = V.ny * f;
    const W = data(4, wnx * wny, 80);
    const weights = memoryRaster({ width: wnx, height: wny, geoTransform: gt(V.x0, V.y0, wd), data: W, bandHeight: 11 });
    const Xf = disaggregate(VALUES, V.nx, V.ny, f);
    const XW = Xf.map((x, i) => x * W[i]!);
    const r = await zonalStatistics(valueRaster(), ZONES, {
      ...base('sum,weighted_sum,weighted_mean,weight_sum,per_weight'),
      weights: { source: weights, defaultWeight: null },
    });
    const fine = (d: Float64Array) => memoryRaster({ width: wnx, height: wny, geoTransform: gt(V.x0, V.y0, wd), data: d, bandHeight: 9 });
    const sx = await zonalStatistics(fine(XW), ZONES, base('sum'));
    const sw = await zonalStatistics(fine(W), ZONES, base('sum'));
    const sv = await zonalStatistics(fine(Xf), ZONES, base('sum'));
    r.rows.forEach((row, i) => {
      const [sum, ws, wm, wsum, pw] = row.values as number[];
      const bx = sx.rows[i]!.values[0] as number,
        bw = sw.rows[i]!.values[0] as number;
      expect(Math.abs(ws! - bx) / bx).toBeLessThan(1e-11);
      expect(Math.abs(wm! - bx / bw) / wm!).toBeLessThan(1e-11);
      expect(Math.abs(wsum! - bw) / bw).toBeLessThan(1e-11); // weight cells are the common cells: f = 1
      expect(pw).toBe(sum! / wsum!);
      // the value-grid sum is the fine sum of the repeated values over 9
      expect(Math.abs(sum! - (sv.rows[i]!.values[0] as number) / 9) / sum!).toBeLessThan(1e-11);
    });
  });

  it('a non-integer ratio (weight cell 2.5 value cells, shifted by half a value cell): the overlay of both grids', async () => {
    // Weight cell 0.75° = 2.5 value cells; origin 0.15° = half a value cell west/north. Both grids refine to 0.15°.
    const wx0 = V.x0 - 0.15,
      wy0 = V.y0 + 0.15,
      wd = 0.75,
      wnx = 18,
      wny = 14;
    const W = data(5, wnx * wny, 300);
    const weights = memoryRaster({ width: wnx, height: wny, geoTransform: gt(wx0, wy0, wd), data: W, bandHeight: 3 });
    const cg = commonGrid({ xmin: V.x0, ymax: V.y0, dx: V.d, dy: V.d, nx: V.nx, ny: V.ny }, { xmin: wx0, ymax: wy0, dx: wd, dy: wd, nx: wnx, ny: wny });
    expect(cg.identity).toBe(false);
    expect(cg.exactextractCompatible).toBe(false);
    const f = 2,
      fd = V.d / f,
      fnx = V.nx * f,
      fny = V.ny * f;
    const Xf = disaggregate(VALUES, V.nx, V.ny, f);
    const Wf = new Float64Array(fnx * fny);
    for (let r = 0; r < fny; r++) for (let c = 0; c < fnx; c++) Wf[r * fnx + c] = W[Math.floor((r + 1) / 5) * wnx + Math.floor((c + 1) / 5)]!;
    const fine = (d: Float64Array) => memoryRaster({ width: fnx, height: fny, geoTransform: gt(V.x0, V.y0, fd), data: d, bandHeight: 8 });
    const r = await zonalStatistics(valueRaster(), ZONES, {
      ...base('weighted_sum,weighted_mean,weight_sum'),
      weights: { source: weights, defaultWeight: null },
    });
    const sx = await zonalStatistics(fine(Xf.map((x, i) => x * Wf[i]!)), ZONES, base('sum'));
    const sw = await zonalStatistics(fine(Wf), ZONES, base('sum'));
    r.rows.forEach((row, i) => {
      const [ws, wm, wsum] = row.values as number[];
      const bx = sx.rows[i]!.values[0] as number,
        bw = sw.rows[i]!.values[0] as number;
      // coverage in cells of the finer resolution (0.3°): four 0.15° cells each
      expect(Math.abs(ws! - bx / 4) / ws!).toBeLessThan(1e-11);
      expect(Math.abs(wm! - bx / bw) / wm!).toBeLessThan(1e-11);
      expect(Math.abs(wsum! - bw / 25) / wsum!).toBeLessThan(1e-11); // a 0.15° cell is 1/25 of a weight cell
    });
  });
});

describe('weights: no-data, default weight, errors', () => {
  const W = data(6, V.nx * V.ny, 100, -1, 37);
  const weights = () => memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: W, nodata: -1 });

  it("a covered cell with no weight empties the zone's weighted statistics (exactextract's NaN) and says so", async () => {
    const r = await zonalStatistics(valueRaster(), ZONES, {
      ...base('sum,weighted_sum,weighted_mean,weight_sum,per_weight'),
      weights: { source: weights(), defaultWeight: null },
    });
    for (const row of r.rows) {
      expect(row.values[0]).not.toBeNull();
      expect(row.values.slice(1)).toEqual([null, null, null, null]);
    }
    expect(r.warnings.join('\n')).toMatch(/3 zones cover cells with no weight .*--default-weight 0/);
  });

  it('--default-weight 0 counts them with weight 0 (= the product with no-data read as 0)', async () => {
    const W0 = W.map((w) => (w === -1 ? 0 : w));
    const r = await zonalStatistics(valueRaster(), ZONES, { ...base('weighted_sum,weight_sum'), weights: { source: weights(), defaultWeight: 0 } });
    const p = await zonalStatistics(
      memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: VALUES.map((x, i) => x * W0[i]!) }),
      ZONES,
      base('sum'),
    );
    r.rows.forEach((row, i) => expect(Math.abs((row.values[0] as number) - (p.rows[i]!.values[0] as number)) / (row.values[0] as number)).toBeLessThan(1e-12));
    expect(r.warnings).toEqual([]);
  });

  it('cells outside the weighting raster have no weight', async () => {
    // weights cover only the west half of the value grid
    const half = memoryRaster({ width: 20, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: data(7, 20 * V.ny, 10) });
    const r = await zonalStatistics(valueRaster(), ZONES, { ...base('weighted_mean'), weights: { source: half, defaultWeight: null } });
    expect(r.rows.map((x) => x.values[0] === null)).toEqual([false, true, false]); // zone b lies east of 106°
  });

  it('weight_sum / per_weight without a weighting raster is an error naming --weights', async () => {
    const e = await zonalStatistics(valueRaster(), ZONES, base('per_weight')).catch((x) => x);
    expect(isNtlError(e)).toBe(true);
    expect(String(e.message)).toMatch(/per_weight needs a weighting raster; pass --weights/);
  });

  it('without --weights, weighted_sum / weighted_mean keep their cell-area meaning', async () => {
    const a = await zonalStatistics(valueRaster(), ZONES, base('weighted_sum,weighted_mean,cell_area_sum_km2'));
    for (const row of a.rows) expect(row.values[1]).toBeCloseTo((row.values[0] as number) / (row.values[2] as number), 9);
  });
});

describe('several layers at once', () => {
  it('every layer equals its single-layer run bitwise, with and without weights', async () => {
    const layers = [1, 2, 3].map((s) => data(10 + s, V.nx * V.ny, 40));
    const src = (d: Float64Array, bh: number) => memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: d, bandHeight: bh });
    const f = 3,
      W = data(20, V.nx * f * V.ny * f, 50);
    const wsrc = () => memoryRaster({ width: V.nx * f, height: V.ny * f, geoTransform: gt(V.x0, V.y0, V.d / f), data: W, bandHeight: 13 });
    const opts = () => ({
      ...base('count,sum,mean,min,max,stdev,median,weighted_sum,weighted_mean,per_weight'),
      weights: { source: wsrc(), defaultWeight: null },
    });
    const all = await zonalStatisticsLayers(
      layers.map((d) => src(d, 4)),
      ZONES,
      opts(),
    );
    for (const [l, d] of layers.entries()) {
      const one = await zonalStatistics(src(d, 9), ZONES, opts());
      expect(all[l]!.rows).toEqual(one.rows);
    }
  });
});

describe('weights with the centre rule', () => {
  it('same grid: weighted_sum = centre-rule sum of value × weight; finer grid: common cells counted by their centres', async () => {
    const W = data(30, V.nx * V.ny, 100);
    const src = (d: Float64Array) => memoryRaster({ width: V.nx, height: V.ny, geoTransform: gt(V.x0, V.y0, V.d), data: d });
    const centre = (stats: string): EngineOptions => ({ ...base(stats), rule: 'centre' });
    const r = await zonalStatistics(valueRaster(), ZONES, { ...centre('weighted_sum'), weights: { source: src(W), defaultWeight: null } });
    const p = await zonalStatistics(src(VALUES.map((x, i) => x * W[i]!)), ZONES, centre('sum'));
    r.rows.forEach((row, i) => expect(row.values[0]).toBeCloseTo(p.rows[i]!.values[0] as number, 8));
    const f = 2,
      Wf = data(31, V.nx * f * V.ny * f, 100);
    const fine = (d: Float64Array) => memoryRaster({ width: V.nx * f, height: V.ny * f, geoTransform: gt(V.x0, V.y0, V.d / f), data: d });
    const rf = await zonalStatistics(valueRaster(), ZONES, { ...centre('weighted_sum'), weights: { source: fine(Wf), defaultWeight: null } });
    const pf = await zonalStatistics(fine(disaggregate(VALUES, V.nx, V.ny, f).map((x, i) => x * Wf[i]!)), ZONES, centre('sum'));
    rf.rows.forEach((row, i) => expect(row.values[0]).toBeCloseTo(pf.rows[i]!.values[0] as number, 8));
  });
});
