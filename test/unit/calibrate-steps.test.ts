/** Composite and continuity rules (hand-worked cases of Liu et al. 2012's rules), the chain builder, VIIRS denoise, break rule. */
import { describe, expect, it } from 'vitest';
import { buildCalibrateChain, parseCalibrateSteps } from '../../src/calibrate/chain.js';
import { compositeValue, continuitySeries, continuityWindows } from '../../src/calibrate/composite.js';
import { continuityReport } from '../../src/calibrate/diagnostics.js';
import { AnnualAccumulator, denoiseWindow } from '../../src/calibrate/viirs.js';

describe('intra-annual composite (§10.2)', () => {
  it('Liu rule and plain mean', () => {
    expect(compositeValue(10, 14, 'liu')).toBe(12);
    expect(compositeValue(0, 20, 'liu')).toBe(0);
    expect(compositeValue(63, 63, 'liu')).toBe(63);
    expect(compositeValue(0, 20, 'mean')).toBe(10);
    expect(compositeValue(NaN, 20, 'liu')).toBe(20);
    expect(Number.isNaN(compositeValue(NaN, NaN, 'liu'))).toBe(true);
  });
});

describe('inter-annual continuity (§10.2), both variants', () => {
  const cases: [number[], number[], number[]][] = [
    [
      [5, 3, 0, 8],
      [5, 0, 0, 8],
      [5, 0, 3, 8],
    ],
    [
      [4, 6, 2, 9],
      [4, 6, 6, 9],
      [4, 6, 6, 9],
    ],
    [
      [10, 12, 11, 0, 15, 14, 20],
      [10, 12, 0, 0, 15, 15, 20],
      [10, 12, 0, 11, 15, 15, 20],
    ],
  ];
  for (const [input, seq, orig] of cases) {
    it(`[${input}]`, () => {
      expect(continuitySeries(input, 'sequential')).toEqual(seq);
      expect(continuitySeries(input, 'original')).toEqual(orig);
      // the window form gives the same per pixel (3 pixels: the case, and two copies)
      const years = input.map((v) => Float32Array.from([v, v, v]));
      expect(continuityWindows(years, 'sequential').map((w) => w[1])).toEqual(seq);
      expect(continuityWindows(years, 'original').map((w) => w[2])).toEqual(orig);
    });
  }
});

describe('chain from a calibrate: list', () => {
  it('intercalibrate → composite (second satellite calibrated with its own row)', () => {
    const chain = buildCalibrateChain(
      [
        { step: 'intercalibrate', table: 'elvidge2014', satellite: 'F14', year: 2000, clamp: 63 },
        { step: 'composite', rule: 'liu', satellite: 'F15' },
      ],
      'test',
    );
    const a = { data: Uint8Array.from([0, 10, 30, 255]), rows: 1, width: 4, row0: 0, col0: 0 };
    const b = { ...a, data: Uint8Array.from([5, 10, 0, 30]) };
    const out = chain.apply(a, { nodata: 255, aux: { composite: b }, auxNodata: { composite: 255 } });
    const f14 = (d: number) => 1.0988 + 1.3155 * d - 0.0053 * d * d;
    const f15 = (d: number) => 0.1254 + 1.0452 * d - 0.001 * d * d;
    expect(out[0]).toBe(0); // F14 dark → 0 (Liu)
    expect(out[1]).toBeCloseTo((f14(10) + f15(10)) / 2, 5);
    expect(out[2]).toBe(0); // F15 dark
    expect(out[3]).toBeCloseTo(f15(30), 4); // F14 no-data → F15 alone
    expect(chain.aux).toEqual(['composite']);
    expect(chain.record[0]).toMatchObject({ table: 'elvidge2014', coefficients: { c0: 1.0988 } });
  });

  it('bad entries are one clear error naming the entry', () => {
    expect(() => parseCalibrateSteps([{ step: 'intercalibrate', satellite: 'F10', year: 1992, tabel: 'x' }], 'p.yaml')).toThrow(
      /p.yaml: calibrate entry 1 .*tabel/,
    );
    expect(() => parseCalibrateSteps([{ step: 'deblur' }], 'p.yaml')).toThrow(/calibrate entry 1/);
    expect(() => buildCalibrateChain([{ step: 'intercalibrate', satellite: 'F18', year: 2013 }], 'p.yaml')).toThrow(/F182013/);
    expect(() => parseCalibrateSteps({ step: 'composite' }, 'p.yaml')).toThrow(/must be a list/);
  });
});

describe('VIIRS', () => {
  it('denoise: negatives → 0 counted, threshold, DMSP mask, cap', () => {
    const band = { data: Float32Array.from([-1.2, 0.2, 5, 900, 3, NaN]), rows: 1, width: 6, row0: 0, col0: 0 };
    const mask = { ...band, data: Uint8Array.from([1, 1, 1, 1, 0, 1]) };
    const chain = buildCalibrateChain([{ step: 'viirs_denoise', threshold: 0.3, dmsp_mask: true, cap: 500 }], 't');
    const out = chain.apply(band, { nodata: null, aux: { dmsp_mask: mask } });
    expect(Array.from(out.slice(0, 5))).toEqual([0, 0, 5, 500, 0]);
    expect(Number.isNaN(out[5])).toBe(true);
    expect(chain.counts).toEqual({ negatives: 1, background: 2, capped: 1 });
    expect(denoiseWindow(band, { nodata: null }, { threshold: null, dmspMask: false, cap: null })[1]).toBeCloseTo(0.2, 6);
  });
  it('annual accumulator: coverage-weighted, zero-coverage months dropped', () => {
    const acc = new AnnualAccumulator(2);
    acc.add([10, 1], null, [3, 0]);
    acc.add([20, 2], null, [1, 0]);
    const r = acc.result();
    expect(r[0]).toBeCloseTo(12.5, 6);
    expect(Number.isNaN(r[1])).toBe(true);
  });
});

describe('break rule', () => {
  it('flags a sensor jump but not steady growth', () => {
    const totals = [100, 104, 109, 330, 340, 352, 365].map((t, i) => ({
      year: 2010 + i,
      sensor: i < 3 ? 'dmsp' : 'viirs',
      file: '',
      total: t,
      litCells: 10,
      litAreaKm2: 10,
      validCells: 10,
    }));
    const rows = continuityReport(totals);
    expect(rows.map((r) => r.flag.includes('break:total'))).toEqual([false, false, false, true, false, false, false]);
    expect(rows[3]!.flag).toContain('sensor_change:dmsp->viirs');
  });
});
