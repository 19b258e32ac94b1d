/** Saturation flag / VANUI / Pareto (§4, §10.3), SEAM blooming (§5.1), harmonisation fits vs scipy (§7). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCalibrateChain } from '../../src/calibrate/chain.js';
import { fitHarmonisation, predict, type HarmoniseModel } from '../../src/calibrate/harmonise.js';
import { BLUHM_KRAUSE, paretoAdjust, paretoQuantile, vanuiValue } from '../../src/calibrate/saturation.js';
import { seamCorrect, SEAM_DEFAULTS } from '../../src/calibrate/seam.js';
import { NtlError } from '../../src/errors.js';
import { aggregateMean, gaussianSmooth, nesting } from '../../src/calibrate/aggregate.js';
import { regionMask } from '../../src/calibrate/region.js';
import type { RasterInfo } from '../../src/raster/types.js';

const win = (data: ArrayLike<number>, width: number) => ({ data: data as never, rows: data.length / width, width, row0: 0, col0: 0 });

describe('saturation', () => {
  it('flag: 1 at DN ≥ 63, 0 below, no-data stays missing; threshold configurable', () => {
    const chain = buildCalibrateChain([{ step: 'saturation_mask' }], 't');
    const out = chain.apply(win(Uint8Array.from([0, 62, 63, 255, 64, 10]), 6), { nodata: 255 });
    expect(Array.from(out)).toEqual([0, 0, 1, NaN, 1, 0]);
    const c2 = buildCalibrateChain([{ step: 'saturation_mask', threshold: 60 }], 't');
    expect(Array.from(c2.apply(win(Float32Array.from([59.5, 60, NaN]), 3), { nodata: null }))).toEqual([0, 1, NaN]);
  });
  it('VANUI = (1 − NDVI) · DN/63, negative NDVI → 0, needs the NDVI window', () => {
    expect(vanuiValue(63, 0.5, 63)).toBeCloseTo(0.5, 15);
    expect(vanuiValue(31.5, -0.2, 63)).toBeCloseTo(0.5, 15);
    expect(Number.isNaN(vanuiValue(10, NaN, 63))).toBe(true);
    const chain = buildCalibrateChain([{ step: 'vanui' }], 't');
    expect(chain.aux).toEqual(['ndvi']);
    const band = win(Uint8Array.from([63, 0, 255]), 3);
    const out = chain.apply(band, { nodata: 255, aux: { ndvi: { ...band, data: Float32Array.from([0.2, 0.9, 0.1]) } } });
    expect(out[0]).toBeCloseTo(0.8, 6);
    expect(out[1]).toBe(0);
    expect(Number.isNaN(out[2]!)).toBe(true);
    expect(() => chain.apply(band, { nodata: 255 })).toThrow(NtlError);
  });
  it('Pareto quantiles (Bluhm & Krause 2022) and rank imputation', () => {
    const want: [number, number][] = [
      [0, 55],
      [0.25, 66.5603],
      [0.5, 87.0426],
      [0.75, 137.3415],
      [0.9, 248.5327],
      [0.99, 924.3211],
      [1, 2000],
    ];
    for (const [p, x] of want) expect(paretoQuantile(p, BLUHM_KRAUSE)).toBeCloseTo(x, 3);
    // 3 pixels ≥ 55 ranked by a proxy: lowest → 55, highest → 2000, middle → p 0.5; ties share the average rank
    const out = paretoAdjust(Float32Array.from([10, 63, 63, 56, NaN]), BLUHM_KRAUSE, [0, 5, 9, 1, 0]);
    expect(out[0]).toBe(10);
    expect(out[3]).toBeCloseTo(55, 10);
    expect(out[1]).toBeCloseTo(87.0426, 3);
    expect(out[2]).toBeCloseTo(2000, 9);
    expect(Number.isNaN(out[4]!)).toBe(true);
    const tied = paretoAdjust(Float32Array.from([63, 63, 55]));
    expect(tied[0]).toBe(tied[1]);
    expect(tied[0]).toBeCloseTo(paretoQuantile(0.75, BLUHM_KRAUSE), 10);
  });
});

describe('SEAM blooming correction', () => {
  // Truth: two point-like sources; observed = truth + k·Σ brighter neighbours / d² (blooming), as SEAM assumes.
  const W = 40,
    H = 30,
    k = 0.35;
  const truth = new Float32Array(W * H);
  const put = (r: number, c: number, v: number) => {
    truth[r * W + c] = v;
  };
  put(10, 10, 60);
  put(10, 11, 40);
  put(11, 10, 40);
  put(20, 28, 50);
  const obs = new Float32Array(W * H);
  for (let r = 0; r < H; r++)
    for (let c = 0; c < W; c++) {
      let s = truth[r * W + c]!;
      for (let dr = -3; dr <= 3; dr++)
        for (let dc = -3; dc <= 3; dc++) {
          const rr = r + dr,
            cc = c + dc;
          if ((dr || dc) && rr >= 0 && rr < H && cc >= 0 && cc < W) s += (k * truth[rr * W + cc]!) / (dr * dr + dc * dc);
        }
      obs[r * W + c] = Math.round(s);
    }
  obs[0] = NaN; // no-data corner stays no-data
  const spread = (img: Float32Array) => {
    // light-weighted mean squared distance to the nearest source
    let s = 0,
      t = 0;
    for (let r = 0; r < H; r++)
      for (let c = 0; c < W; c++) {
        const v = img[r * W + c]!;
        if (!(v > 0)) continue;
        const d2 = Math.min((r - 10.3) ** 2 + (c - 10.3) ** 2, (r - 20) ** 2 + (c - 28) ** 2);
        s += v * d2;
        t += v;
      }
    return s / t;
  };
  const lit = (img: Float32Array) => img.reduce((n, v) => n + (v > 0.5 ? 1 : 0), 0);

  it('finds the blooming slope, shrinks spread and lit area; renormalised keeps the total', () => {
    const res = seamCorrect(obs, W, H, SEAM_DEFAULTS);
    expect(res.plpCount).toBeGreaterThan(20);
    // R sums *observed* (already bloomed) brighter neighbours, so the slope is below the k used to bloom
    expect(res.global.a).toBeGreaterThan(0);
    expect(res.global.a).toBeLessThan(k);
    expect(res.global.r2).toBeGreaterThan(0.5);
    // measured: spread 3.69 → 3.17 px², lit cells 112 → 80, total 938 → 605 (the 3×3 mean re-spreads some light)
    expect(spread(res.image)).toBeLessThan(0.9 * spread(obs));
    expect(lit(res.image)).toBeLessThan(0.8 * lit(obs));
    expect(res.totalOut).toBeLessThan(res.totalIn);
    expect(Number.isNaN(res.image[0]!)).toBe(true);
    const keep = seamCorrect(obs, W, H, { ...SEAM_DEFAULTS, renormalise: true });
    expect(Math.abs(keep.totalOut - keep.totalIn) / keep.totalIn).toBeLessThan(1e-6);
    expect(spread(keep.image)).toBeLessThan(0.9 * spread(obs));
    // regional fits: blocks without enough PLPs fall back to the global fit
    const reg = seamCorrect(obs, W, H, { ...SEAM_DEFAULTS, region: 20, minPlp: 1000 });
    expect(reg.blocks.every((b) => b.source === 'global')).toBe(true);
    expect(Array.from(reg.image)).toEqual(Array.from(res.image));
  });
  it('no blooming signal (a ≤ 0): the image is returned unchanged, not smoothed', () => {
    // lit pixels with no brighter neighbour except a dimmer one: R is larger where DN is smaller → a < 0
    const img = new Float32Array(100);
    img[22] = 5;
    img[23] = 9;
    img[66] = 8;
    img[67] = 3;
    img[68] = 30;
    img[44] = 2;
    img[45] = 40;
    const res = seamCorrect(img, 10, 10);
    expect(res.global.a).toBeLessThanOrEqual(0);
    expect(Array.from(res.image)).toEqual(Array.from(img));
  });
  it('a window-by-window consumer (pipeline zonal stage) gets one clear error, not a silently skipped step', () => {
    const chain = buildCalibrateChain([{ step: 'intercalibrate', satellite: 'F16', year: 2008 }, { step: 'seam' }], 'pipelines/x.yaml');
    expect(() => chain.apply(win(Uint8Array.from([1, 2]), 2), { nodata: null })).toThrow(/seam step needs the whole raster.*ntl calibrate seam/);
    expect(chain.applyWindowSteps(win(Uint8Array.from([0, 2]), 2), { nodata: null })[0]).toBe(0);
  });
  it('dark image: nothing to fit, unchanged; bad window is an NtlError', () => {
    const dark = new Float32Array(100);
    expect(Array.from(seamCorrect(dark, 10, 10).image)).toEqual(Array.from(dark));
    expect(() => seamCorrect(dark, 10, 10, { ...SEAM_DEFAULTS, window: 6 })).toThrow(NtlError);
  });
});

describe('harmonisation fits vs scipy curve_fit (test/goldens/calibrate-harmonise.json)', () => {
  const golden = JSON.parse(readFileSync('test/goldens/calibrate-harmonise.json', 'utf8')) as Record<
    HarmoniseModel,
    { params: number[]; r2: number; rmse: number; n: number }
  >;
  const rows = readFileSync('test/goldens/calibrate-harmonise-pairs.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const x = rows.map((r) => r[0]!),
    y = rows.map((r) => r[1]!);
  for (const model of ['loglinear', 'power', 'sigmoid'] as const) {
    it(model, () => {
      const fit = fitHarmonisation(model, x, y);
      const g = golden[model];
      expect(fit.converged).toBe(true);
      expect(fit.n).toBe(g.n);
      Object.values(fit.params).forEach((v, i) => expect(Math.abs(v - g.params[i]!) / Math.abs(g.params[i]!)).toBeLessThan(1e-7));
      expect(fit.r2).toBeCloseTo(g.r2, 10);
      expect(fit.rmse).toBeCloseTo(g.rmse, 9);
      expect(predict(model, fit.params, 2)).toBeGreaterThan(0);
    });
  }
  it('drops x ≤ 0 and missing pairs, and refuses too few', () => {
    const fit = fitHarmonisation('loglinear', [0, -1, NaN, ...x], [5, 5, 5, ...y]);
    expect(fit.dropped).toBe(3);
    expect(() => fitHarmonisation('sigmoid', [1, 2, 3], [1, 2, 3])).toThrow(/only 3 usable pairs/);
  });
});

describe('VIIRS onto the DMSP grid', () => {
  const info = (w: number, h: number, gt: RasterInfo['geoTransform'], path: string) =>
    ({
      path,
      width: w,
      height: h,
      geoTransform: gt,
      crs: { proj4: '+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs', epsg: 32650, geographic: false, label: 'EPSG:32650' },
    }) as unknown as RasterInfo;
  it('block mean over valid fine cells (projected: equal weights), offset origins, no-data skipped', () => {
    const fine = info(4, 4, [0, 500, 0, 2000, 0, -500], 'fine'),
      coarse = info(1, 2, [500, 1000, 0, 2000, 0, -1000], 'coarse');
    expect(nesting(fine, coarse)).toEqual({ factor: 2, rowOffset: 0, colOffset: 1 });
    const v = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -9, 12, 13, 14, 15, 16]);
    const out = aggregateMean(v, fine, coarse, -9);
    expect(out[0]).toBeCloseTo((2 + 3 + 6 + 7) / 4, 6);
    expect(out[1]).toBeCloseTo((10 + 14 + 15) / 3, 6);
  });
  it('Gaussian smoothing: normalised impulse response, constant field kept, NaN stays NaN', () => {
    const img = new Float32Array(81);
    img[40] = 1;
    const sm = gaussianSmooth(img, 9, 9, 1);
    const g = (d: number) => Math.exp(-(d * d) / 2);
    let norm = 0;
    for (let d = -3; d <= 3; d++) norm += g(d);
    expect(sm[40]).toBeCloseTo(1 / (norm * norm), 7);
    expect(sm[41]).toBeCloseTo(g(1) / (norm * norm), 7);
    const flat = new Float32Array(81).fill(5);
    flat[0] = NaN;
    const f = gaussianSmooth(flat, 9, 9, 1.5);
    expect(Number.isNaN(f[0]!)).toBe(true);
    expect(f[1]).toBeCloseTo(5, 5);
  });
});

describe('region masks', () => {
  it('coverage > 0.5 vs centre rule on a half-cell-shifted square', () => {
    const info = { path: 'g', width: 4, height: 4, geoTransform: [0, 1, 0, 4, 0, -1] as const };
    // square [0.6, 2.6] × [0.6, 2.6]: cells (1..2) fully/partly covered
    const ring = Float64Array.from([0.6, 0.6, 2.6, 0.6, 2.6, 2.6, 0.6, 2.6, 0.6, 0.6]);
    const cov = regionMask([[[ring]]], info, 'coverage'),
      cen = regionMask([[[ring]]], info, 'centre');
    // cell (row 2, col 0) spans x 0..1, y 1..2: 40 % covered, centre (0.5, 1.5) outside → in neither
    expect(cov[2 * 4 + 0]).toBe(0);
    expect(cen[2 * 4 + 0]).toBe(0);
    // cell (row 1, col 2) spans x 2..3, y 2..3: 36 % covered, centre (2.5, 2.5) inside → centre rule only
    expect(cov[1 * 4 + 2]).toBe(0);
    expect(cen[1 * 4 + 2]).toBe(1);
    // cell (row 2, col 1): x 1..2, y 1..2 fully inside
    expect(cov[2 * 4 + 1]).toBe(1);
    expect(cen[2 * 4 + 1]).toBe(1);
  });
});
