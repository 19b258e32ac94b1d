/**
 * Fixed-bin histogram of log1p(value) for positive values, so a robust upper limit (e.g. the 99.9th percentile)
 * comes out of one streaming pass with constant memory and no dependence on the order of the data.
 * Bins are 0.01 wide in log1p, i.e. about 1 % in value: plenty for a colour scale.
 */
const BINS_PER_UNIT = 100;
// log1p(Float64 max) ≈ 709.8
const N_BINS = 710 * BINS_PER_UNIT;

export class LogHistogram {
  private counts = new Float64Array(N_BINS);
  total = 0;
  /** Largest positive value seen (0 when none). */
  max = 0;

  add(v: number): void {
    if (!(v > 0) || v === Infinity) return;
    const b = Math.min(N_BINS - 1, Math.floor(Math.log1p(v) * BINS_PER_UNIT));
    this.counts[b]++;
    this.total++;
    if (v > this.max) this.max = v;
  }

  /** Add every count of `other` (histograms of several rasters pooled into one scale). */
  merge(other: LogHistogram): this {
    for (let b = 0; b < N_BINS; b++) this.counts[b] += other.counts[b];
    this.total += other.total;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  /** Sparse plain form (non-empty bins only) for caches. */
  toJSON(): SparseHistogram {
    const bins: [number, number][] = [];
    for (let b = 0; b < N_BINS; b++) if (this.counts[b] > 0) bins.push([b, this.counts[b]]);
    return { bins, total: this.total, max: this.max };
  }

  static fromJSON(j: SparseHistogram): LogHistogram {
    const h = new LogHistogram();
    for (const [b, c] of j.bins) if (Number.isInteger(b) && b >= 0 && b < N_BINS) h.counts[b] += c;
    h.total = j.total;
    h.max = j.max;
    return h;
  }

  /** log1p of the p-quantile (0 < p ≤ 1) of the positive values: the bin's upper edge, never above log1p(max). */
  quantileLog(p: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil(p * this.total));
    let acc = 0;
    for (let b = 0; b < N_BINS; b++) {
      acc += this.counts[b];
      if (acc >= target) return Math.min((b + 1) / BINS_PER_UNIT, Math.log1p(this.max));
    }
    return Math.log1p(this.max);
  }
}

export interface SparseHistogram {
  readonly bins: readonly (readonly [number, number])[];
  readonly total: number;
  readonly max: number;
}
