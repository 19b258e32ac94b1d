/** The fused (lookup-table) chain equals the step-by-step chain, values and VIIRS counters, for every input type. */
import { describe, expect, it } from 'vitest';
import { buildCalibrateChain } from '../../src/calibrate/chain.js';
import { uniformKey } from '../../src/raster/write-geotiff.js';

const STEPS = [
  { step: 'intercalibrate', table: 'elvidge2014', satellite: 'F18', year: 2012, clamp: null },
  { step: 'viirs_denoise', threshold: 3, cap: 40 },
];

function window<T extends ArrayLike<number>>(data: T, width: number) {
  return { data: data as never, rows: data.length / width, width, row0: 0, col0: 0 };
}

function same(a: Float32Array, b: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) bad++;
  return bad;
}

describe('fused chain', () => {
  const n = 4096 + 3; // odd length: the word fast path and its tail
  const inputs: [string, ArrayLike<number> & { length: number }, number | null][] = [
    ['uint8 (nodata 0, mostly zero runs)', Uint8Array.from({ length: n }, (_, i) => (i % 97 < 60 ? 0 : (i * 13) % 256)), 0],
    ['uint8 (255 = DMSP no-data)', Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256), null],
    ['int16 with negatives', Int16Array.from({ length: n }, (_, i) => ((i * 37) % 200) - 100), -100],
    ['uint16', Uint16Array.from({ length: n }, (_, i) => (i * 131) % 70), null],
    ['float32 with NaN and fractions', Float32Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : ((i * 0.37) % 70) - 2)), null],
  ];
  for (const [name, data, nodata] of inputs) {
    it(name, () => {
      const fused = buildCalibrateChain(STEPS, 't'),
        step = buildCalibrateChain(STEPS, 't');
      const a = fused.apply(window(data, 1), { nodata });
      const b = step.applyStepwise(window(data, 1), { nodata });
      expect(same(a, b)).toBe(0);
      expect(fused.counts).toEqual(step.counts);
      expect(fused.counts.capped + fused.counts.background).toBeGreaterThan(0);
      // reuse of the caller's buffer gives the same numbers
      const into = new Float32Array(n + 10).fill(7);
      expect(same(fused.apply(window(data, 1), { nodata }, into), b)).toBe(0);
    });
  }
  it('a non-pointwise step (composite) disables fusion but keeps results', () => {
    const chain = buildCalibrateChain(
      [
        { step: 'intercalibrate', satellite: 'F14', year: 2000, clamp: 63 },
        { step: 'composite', satellite: 'F15' },
      ],
      't',
    );
    const a = window(Uint8Array.from([0, 10, 63, 255]), 4),
      b = Uint8Array.from([5, 10, 0, 20]);
    const ctx = { nodata: null, aux: { composite: { ...a, data: b } } };
    expect(Array.from(chain.apply(a, ctx))).toEqual(Array.from(chain.applyStepwise(a, ctx)));
  });
});

describe('constant-tile detection', () => {
  const bytes = (arr: ArrayBufferView) => new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  it('finds constant tiles of every width and rejects a single differing sample', () => {
    expect(uniformKey(bytes(new Float32Array(256).fill(NaN)), 4)).not.toBeNull();
    expect(uniformKey(bytes(new Uint8Array(256).fill(9)), 1)).toBe(String(0x09090909));
    expect(uniformKey(bytes(new Float64Array(64).fill(-9999)), 8)).not.toBeNull();
    const u16 = new Uint16Array(128).fill(300);
    expect(uniformKey(bytes(u16), 2)).not.toBeNull();
    u16[127] = 301;
    expect(uniformKey(bytes(u16), 2)).toBeNull();
    const f = new Float32Array(256);
    f[200] = 1e-30;
    expect(uniformKey(bytes(f), 4)).toBeNull();
    const u8 = new Uint8Array(256);
    u8[1] = 1;
    expect(uniformKey(bytes(u8), 1)).toBeNull();
  });
});
