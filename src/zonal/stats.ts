/**
 * Per-zone accumulators for every StatName (definitions: shared/references/methods.md §1, exactextract's).
 *
 * Sums are float64 with Kahan–Neumaier compensation; cells are fed in row-major order, so results do not
 * depend on how rows are grouped into bands. (value, coverage) pairs are kept only when a quantile or the
 * median is requested — as a dense histogram for 8-bit data, a Map otherwise (exactextract also merges
 * equal values before its weighted quantile).
 *
 * Empty-zone rule (one rule, documented in the README of the zonal module): a zone with no valid cell of
 * positive coverage gets null for every statistic, except area_km2 (a property of the polygon) and
 * nodata_count (the coverage-weighted no-data cells it does cover; null only when it covers no raster
 * cell at all). Never 0 or NaN in place of "no data".
 */
import type { PixelArray, PixelDtype } from '../raster/types.js';
import type { CoverageSpans } from './coverage.js';
import type { StatName, StatSpec } from './types.js';

/** What the accumulator must keep beyond the running sums. */
export interface AccumulatorNeeds {
  readonly variance: boolean;
  readonly quantiles: boolean;
  /** Raster dtype: 8-bit values use a dense 256-bin histogram for quantiles. */
  readonly dtype?: PixelDtype;
}

export function needsFor(stats: readonly StatSpec[], dtype?: PixelDtype): AccumulatorNeeds {
  return {
    variance: stats.some((s) => s.name === 'variance' || s.name === 'stdev'),
    quantiles: stats.some((s) => s.name === 'median' || s.name === 'quantile'),
    dtype,
  };
}

/** How a row's cells are classified; fixed for a whole run. */
export interface CellRules {
  /** No-data value in the raster's domain (NaN is always no-data too); null when none. */
  readonly nodata: number | null;
  readonly nodataAsZero: boolean;
  readonly litThreshold: number;
}

export class ZoneAccumulator {
  // Neumaier pairs (s = running sum, c = compensation): Σc, Σxc, Σc·w, Σx·c·w, lit Σc, no-data Σc.
  private cntS = 0;
  private cntC = 0;
  private sumS = 0;
  private sumC = 0;
  private cwS = 0;
  private cwC = 0;
  private xcwS = 0;
  private xcwC = 0;
  private litS = 0;
  private litC = 0;
  private ndS = 0;
  private ndC = 0;
  private min = Infinity;
  private max = -Infinity;
  /** Valid cells with coverage > 0 (decides emptiness without comparing floats to 0). */
  private nValid = 0;
  /** Any raster cell with coverage > 0, valid or not. */
  private nCovered = 0;
  // Weighted Welford/West: total weight, mean, Σ c (x − mean)².
  private vW = 0;
  private vMean = 0;
  private vS = 0;
  private readonly variance: boolean;
  /** Integer rasters: sums of wholly covered cells are exact in a plain double. */
  private readonly integerValues: boolean;
  private readonly hist8: Float64Array | null;
  private readonly hist8Offset: number;
  private readonly freq: Map<number, number> | null;

  constructor(
    needs: AccumulatorNeeds,
    private readonly rules: CellRules,
  ) {
    this.variance = needs.variance;
    this.integerValues = needs.dtype !== undefined && needs.dtype !== 'float32' && needs.dtype !== 'float64';
    const eightBit = needs.dtype === 'uint8' || needs.dtype === 'int8';
    this.hist8 = needs.quantiles && eightBit ? new Float64Array(256) : null;
    this.hist8Offset = needs.dtype === 'int8' ? 128 : 0;
    this.freq = needs.quantiles && !eightBit ? new Map() : null;
  }

  /**
   * One cell: value x (raw, may be no-data), coverage c, weight w (the cell area in km² in the engine).
   * Same classification as addSpans; used for explicit per-cell weights and by tests.
   */
  addCell(x: number, c: number, w: number): void {
    if (!(c > 0)) return;
    const nd = this.rules.nodata;
    if (x !== x || (nd !== null && x === nd)) {
      this.addNodata(c);
      if (!this.rules.nodataAsZero) return;
      x = 0;
    } else {
      this.nCovered++;
    }
    this.nValid++;
    this.merge('cnt', c);
    this.merge('sum', x * c);
    this.merge('cw', c * w);
    this.merge('xcw', x * c * w);
    if (x > this.rules.litThreshold) this.addLit(c);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.extras(x, c);
  }

  /** Record a no-data cell with coverage c (it enters nodata_count only). */
  addNodata(c: number): void {
    if (!(c > 0)) return;
    this.nCovered++;
    const t = this.ndS + c;
    this.ndC += Math.abs(this.ndS) >= Math.abs(c) ? this.ndS - t + c : c - t + this.ndS;
    this.ndS = t;
  }

  /** Count coverage c towards lit_count (the caller decides x > threshold). */
  private addLit(c: number): void {
    const t = this.litS + c;
    this.litC += Math.abs(this.litS) >= Math.abs(c) ? this.litS - t + c : c - t + this.litS;
    this.litS = t;
  }

  private extras(x: number, c: number): void {
    if (this.variance) {
      // West (1979) weighted update: stable for long runs and for tiny coverage weights.
      const W = this.vW + c;
      const d = x - this.vMean;
      const r = (d * c) / W;
      this.vMean += r;
      this.vS += this.vW * d * r;
      this.vW = W;
    }
    if (this.hist8 !== null) this.hist8[x + this.hist8Offset] += c;
    else if (this.freq !== null) this.freq.set(x, (this.freq.get(x) ?? 0) + c);
  }

  /**
   * One row of a zone as coverage runs (CoverageSpans row `rr`); `vOff` is the index in `values` of grid
   * column 0 for this row, and every cell of the row has area `cellArea`. The engine's hot loop: no
   * allocation; whole cells (runs with c = 1, most of a county) are counted with integers and — for
   * integer rasters — summed exactly in a plain double (< 2^53); boundary cells go through Neumaier.
   * The row's totals are then merged into the zone's compensated sums.
   */
  addSpans(values: PixelArray, vOff: number, spans: CoverageSpans, rr: number, cellArea: number): void {
    const e0 = spans.rowStart[rr],
      e1 = spans.rowStart[rr + 1];
    if (e0 === e1) return;
    const rules = this.rules;
    const nodata = rules.nodata;
    const hasNodata = nodata !== null;
    const nd = hasNodata ? nodata : 0;
    const asZero = rules.nodataAsZero;
    const lit = rules.litThreshold;
    const slow = this.variance || this.hist8 !== null || this.freq !== null;
    const exactFull = this.integerValues;
    const from = spans.from,
      to = spans.to,
      cov = spans.c;
    let n1 = 0,
      s1 = 0,
      l1 = 0,
      nd1 = 0;
    let cS = 0,
      cC = 0,
      sS = 0,
      sC = 0,
      lS = 0,
      lC = 0,
      nS = 0,
      nC = 0;
    let mn = this.min,
      mx = this.max,
      nv = 0,
      ncov = 0;
    for (let e = e0; e < e1; e++) {
      const c = cov[e];
      if (c === 1) {
        const end = vOff + to[e];
        ncov += to[e] - from[e];
        for (let k = vOff + from[e]; k < end; k++) {
          let x = values[k];
          if (x !== x || (hasNodata && x === nd)) {
            nd1++;
            if (!asZero) continue;
            x = 0;
          }
          n1++;
          if (x < mn) mn = x;
          if (x > mx) mx = x;
          if (x > lit) l1++;
          if (exactFull) s1 += x;
          else {
            const t = sS + x;
            sC += Math.abs(sS) >= Math.abs(x) ? sS - t + x : x - t + sS;
            sS = t;
          }
          if (slow) this.extras(x, 1);
        }
        continue;
      }
      ncov++;
      let x = values[vOff + from[e]];
      if (x !== x || (hasNodata && x === nd)) {
        const t = nS + c;
        nC += nS >= c ? nS - t + c : c - t + nS;
        nS = t;
        if (!asZero) continue;
        x = 0;
      }
      nv++;
      if (x < mn) mn = x;
      if (x > mx) mx = x;
      let t = cS + c;
      cC += cS >= c ? cS - t + c : c - t + cS;
      cS = t;
      const xc = x * c;
      t = sS + xc;
      sC += Math.abs(sS) >= Math.abs(xc) ? sS - t + xc : xc - t + sS;
      sS = t;
      if (x > lit) {
        t = lS + c;
        lC += lS >= c ? lS - t + c : c - t + lS;
        lS = t;
      }
      if (slow) this.extras(x, c);
    }
    nv += n1;
    if (ncov === 0) return;
    this.nCovered += ncov;
    this.nValid += nv;
    this.min = mn;
    this.max = mx;
    if (nd1 !== 0) this.mergeNd(nd1);
    if (nS !== 0) {
      this.mergeNd(nS);
      this.mergeNd(nC);
    }
    if (nv === 0) return;
    this.merge('cnt', n1);
    this.merge('cnt', cS);
    this.merge('cnt', cC);
    this.merge('sum', s1);
    this.merge('sum', sS);
    this.merge('sum', sC);
    if (l1 !== 0) this.addLit(l1);
    if (lS !== 0) {
      this.addLit(lS);
      this.addLit(lC);
    }
    // Every cell of a row has the same area, so Σ c·A = A·Σ c and Σ x·c·A = A·Σ x·c.
    const rowCount = n1 + (cS + cC);
    const rowSum = s1 + (sS + sC);
    this.merge('cw', rowCount * cellArea);
    this.merge('xcw', rowSum * cellArea);
  }

  private mergeNd(v: number): void {
    const t = this.ndS + v;
    this.ndC += Math.abs(this.ndS) >= Math.abs(v) ? this.ndS - t + v : v - t + this.ndS;
    this.ndS = t;
  }

  private merge(which: 'cnt' | 'sum' | 'cw' | 'xcw', v: number): void {
    switch (which) {
      case 'cnt': {
        const t = this.cntS + v;
        this.cntC += Math.abs(this.cntS) >= Math.abs(v) ? this.cntS - t + v : v - t + this.cntS;
        this.cntS = t;
        break;
      }
      case 'sum': {
        const t = this.sumS + v;
        this.sumC += Math.abs(this.sumS) >= Math.abs(v) ? this.sumS - t + v : v - t + this.sumS;
        this.sumS = t;
        break;
      }
      case 'cw': {
        const t = this.cwS + v;
        this.cwC += Math.abs(this.cwS) >= Math.abs(v) ? this.cwS - t + v : v - t + this.cwS;
        this.cwS = t;
        break;
      }
      case 'xcw': {
        const t = this.xcwS + v;
        this.xcwC += Math.abs(this.xcwS) >= Math.abs(v) ? this.xcwS - t + v : v - t + this.xcwS;
        this.xcwS = t;
        break;
      }
    }
  }

  get isEmpty(): boolean {
    return this.nValid === 0;
  }
  get coversRaster(): boolean {
    return this.nCovered > 0;
  }
  get count(): number {
    return this.cntS + this.cntC;
  }
  get sum(): number {
    return this.sumS + this.sumC;
  }
  get weightedCount(): number {
    return this.cwS + this.cwC;
  }
  get weightedSum(): number {
    return this.xcwS + this.xcwC;
  }
  get litCount(): number {
    return this.litS + this.litC;
  }
  get nodataCount(): number {
    return this.ndS + this.ndC;
  }

  /** Distinct values (ascending) and their summed coverage, for quantiles. */
  private distinct(): { xs: Float64Array; ws: Float64Array } {
    if (this.hist8 !== null) {
      const xs: number[] = [],
        ws: number[] = [];
      for (let i = 0; i < 256; i++)
        if (this.hist8[i] > 0) {
          xs.push(i - this.hist8Offset);
          ws.push(this.hist8[i]);
        }
      return { xs: Float64Array.from(xs), ws: Float64Array.from(ws) };
    }
    const entries = [...(this.freq ?? new Map<number, number>()).entries()].filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
    return { xs: Float64Array.from(entries, (e) => e[0]), ws: Float64Array.from(entries, (e) => e[1]) };
  }

  /** Values per StatSpec; see the empty-zone rule at the top of this file. */
  finish(stats: readonly StatSpec[], areaKm2: number | null): (number | null)[] {
    const empty = this.isEmpty;
    let dist: { xs: Float64Array; ws: Float64Array } | null = null;
    return stats.map((s) => {
      if (s.name === 'area_km2') return areaKm2 !== null && Number.isFinite(areaKm2) ? areaKm2 : null;
      if (s.name === 'nodata_count') return this.coversRaster ? this.nodataCount : null;
      if (empty) return null;
      switch (s.name) {
        case 'count':
          return this.count;
        case 'sum':
          return this.sum;
        case 'mean':
          return this.sum / this.count;
        case 'min':
          return this.min;
        case 'max':
          return this.max;
        case 'variance':
          return this.vS / this.vW;
        case 'stdev':
          return Math.sqrt(this.vS / this.vW);
        case 'median':
        case 'quantile':
          dist ??= this.distinct();
          return weightedQuantile(dist.xs, dist.ws, s.name === 'median' ? 0.5 : (s.q ?? NaN));
        case 'lit_count':
          return this.litCount;
        case 'lit_share':
          return this.litCount / this.count;
        case 'cell_area_sum_km2':
          return this.weightedCount;
        case 'weighted_sum':
          return this.weightedSum;
        case 'weighted_mean':
          return this.weightedSum / this.weightedCount;
        // Filled in by the engine from the WeightedAccumulator (they need a weighting raster).
        case 'weight_sum':
        case 'per_weight':
          return null;
      }
    });
  }
}

/** How weight cells are read: no-data (NaN always, plus `nodata`) and cells outside the weighting raster. */
export interface WeightRules {
  readonly nodata: number | null;
  /** Weight used where there is none (exactextract's default_weight); null = such a cell empties the weighted statistics. */
  readonly defaultWeight: number | null;
}

/**
 * Weighted statistics of one zone over the common grid of the value and weighting rasters (common-grid.ts):
 * each common cell k has coverage c_k (covered area in cells of the finer resolution — the share of the common
 * cell inside the polygon whenever exactextract's common grid applies), the value x_k of the value
 * cell containing it and the weight w_k of the weight cell containing it. Like exactextract's RasterStats:
 *   weighted_sum = Σ c·x·w,  weighted_mean = Σ c·x·w / Σ c·w,
 * over common cells whose value is valid (value no-data cells are skipped, or read as 0 with nodataAsZero).
 * weight_sum = Σ w·(covered area / weight-cell area): the weight total of the zone on the
 * weighting raster's own grid (e.g. its population), over the same cells. A cell with no weight (weight no-data,
 * or outside the weighting raster) takes `defaultWeight`; without one it makes every weighted statistic of the
 * zone null — exactextract's NaN, which a panel must not carry as a number.
 */
export class WeightedAccumulator {
  private xcwS = 0;
  private xcwC = 0;
  private cwS = 0;
  private cwC = 0;
  private wsS = 0;
  private wsC = 0;
  /** Valid-value common cells with c > 0. */
  nValid = 0;
  /** Of those, cells without a weight and no default. */
  missing = 0;

  constructor(
    private readonly rules: CellRules,
    private readonly wRules: WeightRules,
  ) {}

  /**
   * One common-grid row given as coverage runs (`spans` row `rr`, columns in common units). Value of common
   * column j: values[vOff + vIdx[j]]; weight: wRow[wOff + wIdx[j]] (wRow null, or wIdx[j] < 0: no weight);
   * share of the weight cell f = rowFrac·wFrac[j]; coverage in finer-resolution cells c·rowShare·share[j].
   */
  addRow(
    values: PixelArray,
    vOff: number,
    vIdx: Int32Array,
    wRow: PixelArray | null,
    wOff: number,
    wIdx: Int32Array,
    wFrac: Float64Array,
    rowFrac: number,
    share: Float64Array,
    rowShare: number,
    spans: CoverageSpans,
    rr: number,
  ): void {
    const e0 = spans.rowStart[rr],
      e1 = spans.rowStart[rr + 1];
    if (e0 === e1) return;
    const nodata = this.rules.nodata,
      hasNodata = nodata !== null,
      nd = hasNodata ? nodata : 0;
    const asZero = this.rules.nodataAsZero;
    const wnd = this.wRules.nodata,
      hasWnd = wnd !== null,
      wndv = hasWnd ? wnd : 0;
    const dflt = this.wRules.defaultWeight;
    const from = spans.from,
      to = spans.to,
      cov = spans.c;
    let xcwS = this.xcwS,
      xcwC = this.xcwC,
      cwS = this.cwS,
      cwC = this.cwC,
      wsS = this.wsS,
      wsC = this.wsC;
    let nv = 0,
      miss = 0;
    for (let e = e0; e < e1; e++) {
      const c = cov[e];
      for (let j = from[e], end = to[e]; j < end; j++) {
        let x = values[vOff + vIdx[j]];
        if (x !== x || (hasNodata && x === nd)) {
          if (!asZero) continue;
          x = 0;
        }
        nv++;
        const wi = wIdx[j];
        let w = wRow !== null && wi >= 0 ? wRow[wOff + wi] : NaN;
        if (w !== w || (hasWnd && w === wndv)) {
          if (dflt === null) {
            miss++;
            continue;
          }
          w = dflt;
        }
        const cc = c * (rowShare * share[j]);
        const cw = cc * w;
        let t = cwS + cw;
        cwC += Math.abs(cwS) >= Math.abs(cw) ? cwS - t + cw : cw - t + cwS;
        cwS = t;
        const xcw = x * cw;
        t = xcwS + xcw;
        xcwC += Math.abs(xcwS) >= Math.abs(xcw) ? xcwS - t + xcw : xcw - t + xcwS;
        xcwS = t;
        const ws = c * w * (rowFrac * wFrac[j]);
        t = wsS + ws;
        wsC += Math.abs(wsS) >= Math.abs(ws) ? wsS - t + ws : ws - t + wsS;
        wsS = t;
      }
    }
    this.xcwS = xcwS;
    this.xcwC = xcwC;
    this.cwS = cwS;
    this.cwC = cwC;
    this.wsS = wsS;
    this.wsC = wsC;
    this.nValid += nv;
    this.missing += miss;
  }

  /** True when the zone has valid cells but some lack a weight (and there is no default): weighted stats are null. */
  get lacksWeights(): boolean {
    return this.missing > 0;
  }
  /** Some valid value cell of the zone had a weight (or the default weight). */
  get sawWeight(): boolean {
    return this.nValid > this.missing;
  }

  /** The weighted statistic `name` (null when empty, lacking weights, or a 0 denominator); `sum` is the zone's value-grid sum. */
  value(name: StatName, sum: number | null): number | null {
    if (this.nValid === 0 || this.missing > 0) return null;
    const xcw = this.xcwS + this.xcwC,
      cw = this.cwS + this.cwC,
      ws = this.wsS + this.wsC;
    switch (name) {
      case 'weighted_sum':
        return xcw;
      case 'weighted_mean':
        return cw !== 0 ? xcw / cw : null;
      case 'weight_sum':
        return ws;
      case 'per_weight':
        return sum !== null && ws !== 0 ? sum / ws : null;
      default:
        return null;
    }
  }
}

/**
 * exactextract's weighted quantile (src/weighted_quantiles.cpp), a weighted generalisation of
 * Hyndman–Fan type 7: for ascending distinct values x_i with weights w_i (i = 0..n−1),
 *   S_0 = 0,  S_i = i·w_i + (n−1)·Σ_{k<i} w_k,   target = q·(n−1)·Σ w;
 * take the first i with S_i > target and interpolate linearly between x_{i−1} and x_i
 * (x_0 if i = 0, x_{n−1} if none). With equal weights it is R's default quantile.
 * Returns null for no values. Unlike exactextract we do not cast the result back to an integer dtype.
 */
export function weightedQuantile(xs: Float64Array, ws: Float64Array, q: number): number | null {
  const n = xs.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return null;
  const s = new Float64Array(n);
  let cum = 0,
    sumW = 0;
  for (let i = 0; i < n; i++) {
    sumW += ws[i];
    s[i] = i === 0 ? 0 : i * ws[i] + (n - 1) * cum;
    cum += ws[i];
  }
  const target = q * (sumW * (n - 1)); // same rounding order as exactextract
  let i = 0;
  while (i < n && !(s[i] > target)) i++;
  if (i === 0) return xs[0];
  if (i === n) return xs[n - 1];
  return xs[i - 1] + ((target - s[i - 1]) * (xs[i] - xs[i - 1])) / (s[i] - s[i - 1]);
}
