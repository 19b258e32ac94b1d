/**
 * Fusing pointwise steps. When every step of a chain maps one pixel to one pixel (inter-calibration, VIIRS
 * denoise without the DMSP mask, …), the whole chain is one function of the raw value. For 8/16-bit inputs it
 * becomes a lookup table built once per no-data value (one pass per window, no intermediate arrays); the
 * per-step counters are kept exactly by counting each raw value's pixels and adding its per-value counts.
 * Between steps every value is rounded to float32, exactly as the window-by-window path stores it.
 */
import type { PixelArray } from '../raster/types.js';
import type { DenoiseCounts } from './viirs.js';

/** One pixel through one step: NaN in = missing; may bump the counters. */
export type ScalarStep = (v: number, counts: DenoiseCounts) => number;

interface Lut {
  readonly values: Float32Array;
  readonly counts: Float64Array /* 3 per raw value */;
  readonly counted: Uint8Array /* 1 where any count */;
}

function composed(steps: readonly ScalarStep[], raw: number, nodata: number | null, counts: DenoiseCounts): number {
  let x = raw !== raw || (nodata !== null && raw === nodata) ? NaN : raw;
  for (const s of steps) x = Math.fround(s(x, counts));
  return x;
}

/**
 * out[i] = lut[data[i]] on bit patterns (no float canonicalisation), counting flagged values. Night-light
 * rasters are mostly 0 (dark or no-data), so four zero bytes read as one word take a short path.
 */
function lookupBytes(data: Uint8Array, n: number, lut: Int32Array, out: Int32Array, counted: Uint8Array, hist: Float64Array): void {
  let i = 0;
  if (data.byteOffset % 4 === 0 && counted[0] === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, n >> 2);
    const z = lut[0] as number;
    for (let j = 0; j < words.length; j++, i += 4) {
      if (words[j] === 0) {
        let e = j + 1; // a run of dark words: one native fill
        while (e < words.length && words[e] === 0) e++;
        out.fill(z, i, i + 4 * (e - j));
        i += 4 * (e - j - 1);
        j = e - 1;
        continue;
      }
      for (let q = i; q < i + 4; q++) {
        const k = data[q] as number;
        out[q] = lut[k] as number;
        if (counted[k] === 1) hist[k]++;
      }
    }
  }
  for (; i < n; i++) {
    const k = data[i] as number;
    out[i] = lut[k] as number;
    if (counted[k] === 1) hist[k]++;
  }
}

/** Pixels per raw value × that value's per-step counts (3 per value) → the chain's VIIRS counters. */
function addHistogramCounts(hist: ArrayLike<number>, per: Float64Array, counts: DenoiseCounts): void {
  for (let k = 0; k < hist.length; k++) {
    const h = hist[k] as number;
    if (h === 0) continue;
    counts.negatives += h * (per[3 * k] as number);
    counts.background += h * (per[3 * k + 1] as number);
    counts.capped += h * (per[3 * k + 2] as number);
  }
}

export class FusedChain {
  private readonly luts = new Map<string, Lut>();
  constructor(private readonly steps: readonly ScalarStep[]) {}

  private lut(offset: number, size: number, nodata: number | null): Lut {
    const key = `${offset}:${size}:${nodata}`;
    let l = this.luts.get(key);
    if (!l) {
      const values = new Float32Array(size);
      const counts = new Float64Array(size * 3);
      const counted = new Uint8Array(size);
      for (let k = 0; k < size; k++) {
        const c: DenoiseCounts = { negatives: 0, background: 0, capped: 0 };
        values[k] = composed(this.steps, k - offset, nodata, c);
        counts[3 * k] = c.negatives;
        counts[3 * k + 1] = c.background;
        counts[3 * k + 2] = c.capped;
        counted[k] = c.negatives + c.background + c.capped > 0 ? 1 : 0;
      }
      l = { values, counts, counted };
      this.luts.set(key, l);
    }
    return l;
  }

  /**
   * The range of outputs for every raw value of an 8/16-bit input when all are whole numbers (NaN = no-data
   * allowed), else null — so the writer can pick an integer type (4× less to compress than float32).
   */
  integralRange(dtype: string, nodata: number | null): { min: number; max: number } | null {
    const spec: Record<string, [number, number]> = { uint8: [0, 256], int8: [128, 256], uint16: [0, 65536], int16: [32768, 65536] };
    const s = spec[dtype];
    if (!s) return null;
    const { values } = this.lut(s[0], s[1], nodata);
    let min = Infinity,
      max = -Infinity;
    for (const v of values) {
      if (v !== v) continue;
      if (v !== Math.round(v)) return null;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return min <= max ? { min, max } : null;
  }

  /**
   * For a uint8 input: the chain as a 256-entry table, and how to turn a histogram of the raw values written
   * (pixels per raw value) into the VIIRS counts `apply` would have kept — for a writer that expands the table itself.
   */
  byteLookup(nodata: number | null): { readonly table: Float32Array; readonly countHistogram: (hist: ArrayLike<number>, counts: DenoiseCounts) => void } {
    const { values, counts: per } = this.lut(0, 256, nodata);
    return { table: values, countHistogram: (hist, counts) => addHistogramCounts(hist, per, counts) };
  }

  /** `into` (optional, ≥ n long) is reused for the result, sparing a fresh allocation per window. */
  apply(data: PixelArray | Float32Array, n: number, nodata: number | null, counts: DenoiseCounts, into?: Float32Array): Float32Array {
    const out = into && into.length >= n ? into.subarray(0, n) : new Float32Array(n);
    const small = data instanceof Uint8Array || data instanceof Int8Array || data instanceof Uint16Array || data instanceof Int16Array;
    if (small) {
      const size = data instanceof Uint8Array || data instanceof Int8Array ? 256 : 65536;
      const offset = data instanceof Int8Array ? 128 : data instanceof Int16Array ? 32768 : 0;
      const { values, counts: per, counted } = this.lut(offset, size, nodata);
      const hist = new Float64Array(size);
      // per-type loops keep the element access monomorphic; only counted raw values touch the histogram
      if (data instanceof Uint8Array) {
        lookupBytes(data, n, new Int32Array(values.buffer), new Int32Array(out.buffer, out.byteOffset, n), counted, hist);
      } else {
        for (let i = 0; i < n; i++) {
          const k = (data[i] as number) + offset;
          out[i] = values[k] as number;
          if (counted[k] === 1) hist[k]++;
        }
      }
      addHistogramCounts(hist, per, counts);
      return out;
    }
    for (let i = 0; i < n; i++) out[i] = composed(this.steps, data[i] as number, nodata, counts);
    return out;
  }
}
