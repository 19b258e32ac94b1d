import { describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import { parseStats, DEFAULT_STATS } from '../../src/zonal/spec.js';
import { CoverageSpans, spansFromDense } from '../../src/zonal/coverage.js';
import { weightedQuantile, ZoneAccumulator } from '../../src/zonal/stats.js';
import type { PixelArray } from '../../src/raster/types.js';

/** Feed one row of explicit coverage fractions through the engine's run-length path. */
function feedRow(acc: ZoneAccumulator, values: PixelArray, cov: Float64Array, cellArea: number): void {
  const spans = new CoverageSpans();
  spansFromDense(cov, { row0: 0, row1: 1, col0: 0, col1: cov.length }, spans);
  acc.addSpans(values, 0, spans, 0, cellArea);
}
import type { StatSpec } from '../../src/zonal/types.js';

const rules = { nodata: null, nodataAsZero: false, litThreshold: 0 };
const all = parseStats(
  'count,sum,mean,min,max,variance,stdev,median,quantile:0.25,weighted_sum,weighted_mean,cell_area_sum_km2,lit_count,lit_share,nodata_count,area_km2',
);
const col = (specs: readonly StatSpec[], vals: (number | null)[], name: string) => vals[specs.findIndex((s) => s.column === name)];

describe('accumulator', () => {
  it('reproduces the exactextract documentation example', () => {
    // values 1,2,3,4, coverage 0.5,0,1.0,0.25, weights 5,6,7,8 (exactextract README / methods.md §1)
    const acc = new ZoneAccumulator({ variance: true, quantiles: true }, rules);
    [
      [1, 0.5, 5],
      [2, 0, 6],
      [3, 1.0, 7],
      [4, 0.25, 8],
    ].forEach(([x, c, w]) => acc.addCell(x, c, w));
    const v = acc.finish(all, 12.5);
    expect(col(all, v, 'count')).toBe(1.75);
    expect(col(all, v, 'sum')).toBe(4.5);
    expect(col(all, v, 'mean')).toBeCloseTo(4.5 / 1.75, 15);
    expect(col(all, v, 'mean')).toBeCloseTo(2.5714285714285716, 15);
    expect(col(all, v, 'weighted_sum')).toBe(31.5);
    expect(col(all, v, 'weighted_mean')).toBeCloseTo(2.739130434782609, 15);
    expect(col(all, v, 'cell_area_sum_km2')).toBe(11.5);
    expect(col(all, v, 'min')).toBe(1); // the value-2 cell has coverage 0 and is not "in" the zone
    expect(col(all, v, 'max')).toBe(4);
    expect(col(all, v, 'area_km2')).toBe(12.5);
    expect(col(all, v, 'nodata_count')).toBe(0);
    // population, coverage-weighted variance: Σ c (x − m)² / Σ c
    const m = 4.5 / 1.75;
    const want = (0.5 * (1 - m) ** 2 + 1 * (3 - m) ** 2 + 0.25 * (4 - m) ** 2) / 1.75;
    expect(col(all, v, 'variance')).toBeCloseTo(want, 14);
    expect(col(all, v, 'stdev')).toBeCloseTo(Math.sqrt(want), 14);
    // weighted quantile by hand from exactextract's definition: x = 1,3,4, w = 0.5,1,0.25, S = 0, 2, 3.5;
    // median target 0.5·(2·1.75) = 1.75 → between S0 and S1: 1 + 1.75·(3−1)/2 = 2.75
    expect(col(all, v, 'median')).toBe(2.75);
    // q = 0.25: target 0.875 → 1 + 0.875 = 1.875
    expect(col(all, v, 'quantile_0_25')).toBe(1.875);
  });

  it('run-length row feeding equals cell-by-cell feeding (same cells, constant cell area per row)', () => {
    const values = Float64Array.from([3, NaN, 7.5, 2, 9, -1, 4, 4, 6, 1]);
    const cov = Float64Array.from([0.25, 1, 1, 0, 0.5, 0.125, 1, 0.75, 1, 1]);
    const r = new ZoneAccumulator({ variance: true, quantiles: true }, rules);
    const c = new ZoneAccumulator({ variance: true, quantiles: true }, rules);
    feedRow(r, values, cov, 0.2);
    for (let i = 0; i < values.length; i++) c.addCell(values[i], cov[i], 0.2);
    const a = r.finish(all, null),
      b = c.finish(all, null);
    for (let i = 0; i < all.length; i++) {
      if (a[i] === null) expect(b[i]).toBeNull();
      else expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(b[i]!)));
    }
    expect(col(all, a, 'nodata_count')).toBe(1);
    expect(col(all, a, 'lit_count')).toBe(0.25 + 1 + 0.5 + 1 + 0.75 + 2); // −1 is not above 0
    expect(col(all, a, 'min')).toBe(-1);
  });

  it('no valid cell → every statistic null except area_km2 and nodata_count', () => {
    const acc = new ZoneAccumulator({ variance: true, quantiles: true }, { nodata: 255, nodataAsZero: false, litThreshold: 0 });
    feedRow(acc, Uint8Array.from([255, 255]), Float64Array.from([0.5, 1]), 1);
    const v = acc.finish(all, 3);
    all.forEach((s, i) => {
      if (s.name === 'area_km2') expect(v[i]).toBe(3);
      else if (s.name === 'nodata_count') expect(v[i]).toBe(1.5);
      else expect(v[i]).toBeNull();
    });
    const none = new ZoneAccumulator({ variance: false, quantiles: false }, rules).finish(all, null);
    expect(none.every((x) => x === null)).toBe(true);
  });

  it('nodataAsZero counts no-data cells as value 0 and still reports them', () => {
    const acc = new ZoneAccumulator({ variance: false, quantiles: true, dtype: 'uint8' }, { nodata: 0, nodataAsZero: true, litThreshold: 0 });
    feedRow(acc, Uint8Array.from([0, 10, 0]), Float64Array.from([1, 1, 0.5]), 1);
    const v = acc.finish(all, null);
    expect(col(all, v, 'count')).toBe(2.5);
    expect(col(all, v, 'sum')).toBe(10);
    expect(col(all, v, 'min')).toBe(0);
    expect(col(all, v, 'nodata_count')).toBe(1.5);
    expect(col(all, v, 'lit_share')).toBe(1 / 2.5);
  });

  it('variance is stable for large offsets (Welford/West, not Σx² − n·m²)', () => {
    const acc = new ZoneAccumulator({ variance: true, quantiles: false }, rules);
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    for (const x of xs) acc.addCell(x, 1, 1);
    const v = acc.finish(parseStats('variance'), null);
    expect(v[0]).toBeCloseTo(22.5, 9);
  });
});

describe('weightedQuantile (exactextract definition)', () => {
  it('equals R quantile(type = 7) for equal weights', () => {
    // R: quantile(c(1,2,3,4,5,8,13), c(0,.1,.25,.5,.9,1), type=7) → 1, 1.6, 2.5, 4, 10, 13
    const xs = Float64Array.from([1, 2, 3, 4, 5, 8, 13]);
    const ws = new Float64Array(7).fill(1);
    const want: [number, number][] = [
      [0, 1],
      [0.1, 1.6000000000000001],
      [0.25, 2.5],
      [0.5, 4],
      [0.9, 10.000000000000002],
      [1, 13],
    ];
    for (const [q, w] of want) expect(weightedQuantile(xs, ws, q)).toBeCloseTo(w, 12);
  });
  it('is invariant to scaling all weights and handles a single value', () => {
    const xs = Float64Array.from([2, 5, 11]);
    const a = weightedQuantile(xs, Float64Array.from([0.2, 0.7, 0.1]), 0.6);
    const b = weightedQuantile(xs, Float64Array.from([2, 7, 1]), 0.6);
    expect(a).toBeCloseTo(b!, 14);
    expect(weightedQuantile(Float64Array.from([42]), Float64Array.from([0.3]), 0.9)).toBe(42);
    expect(weightedQuantile(new Float64Array(0), new Float64Array(0), 0.5)).toBeNull();
  });
});

describe('parseStats', () => {
  it('parses names and quantile levels into columns', () => {
    expect(parseStats('count, sum,quantile:0.9,median').map((s) => s.column)).toEqual(['count', 'sum', 'quantile_0_9', 'median']);
    expect(parseStats('quantile:0.9')[0].q).toBe(0.9);
    expect(DEFAULT_STATS.map((s) => s.column)).toEqual(['count', 'sum', 'mean', 'min', 'max']);
  });
  it.each([
    ['count,avg', /unknown statistic "avg".*valid names: count, sum/],
    ['quantile:1.5', /between 0 and 1/],
    ['quantile', /between 0 and 1/],
    ['quantile:abc', /between 0 and 1/],
    ['sum:2', /only quantile takes a parameter/],
    ['sum,sum', /listed twice/],
    ['', /empty/],
  ])('rejects %j with one clear NtlError', (spec, msg) => {
    let err: unknown;
    try {
      parseStats(spec);
    } catch (e) {
      err = e;
    }
    expect(isNtlError(err)).toBe(true);
    expect((err as Error).message).toMatch(msg);
  });
});
