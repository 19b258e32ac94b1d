/**
 * Pixel-level DMSP ↔ VIIRS harmonisation inside a pipeline (`harmonise: { level: pixel }`, Li, Zhou, Zhao & Zhao 2020),
 * run after the calibrate stage and before zonal statistics:
 *   pairs = for every overlap year (both series have one raster), `from` (calibrated, streamed) area-weighted onto
 *           `to`'s grid (grids must nest, same CRS), optionally Gaussian-smoothed (σ in `to` pixels), against `to`'s
 *           calibrated value; pixels with `to` < min_dn, missing on either side, or `from` ≤ 0 are dropped;
 *   fit   = fitHarmonisation(model, x, y) on the pooled pairs — the same code as `ntl calibrate harmonise`;
 *   emit  = series `name`: every raster of `from` with the fitted `dmsp_like` step appended, so the zonal stage
 *           computes every statistic of the converted pixels (dark and negative radiance → 0, clamp at `clamp`).
 * Deterministic: years in order, pixels in row-major order.
 */
import { fitHarmonisation, type HarmoniseFit } from '../../calibrate/harmonise.js';
import { pixelPairs } from '../../calibrate/pixel-pairs.js';
import { NtlError } from '../../errors.js';
import type { RasterSource } from '../../raster/types.js';
import type { PanelPlan, PinnedFile, PlannedSeries } from '../plan/types.js';
import { errorAt } from '../yaml-errors.js';
import { openInputSource } from './zonal-stage.js';

export interface PixelHarmonisationRecord {
  readonly level: 'pixel';
  readonly from: string;
  readonly to: string;
  readonly model: string;
  readonly formula: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly r2: number | null;
  readonly rmse: number;
  readonly n_pairs: number;
  readonly overlap_years: readonly number[];
  readonly aggregation: string;
  readonly sigma_pixels: number;
  readonly min_dn: number;
  readonly clamp: number | null;
  /** Pixels of `to`'s grid in the overlap years that were not fitted (missing, below min_dn, or from ≤ 0). */
  readonly dropped_pixels: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly emitted: { readonly name: string; readonly periods: number };
}

type PixelPlan = Extract<NonNullable<PanelPlan['harmonise']>, { level: 'pixel' }>;

export async function harmonisePixels(plan: PanelPlan, threads?: number): Promise<{ plan: PanelPlan; record: PixelHarmonisationRecord } | null> {
  const h = plan.harmonise;
  if (!h || h.level !== 'pixel') return null;
  const fail = (message: string): NtlError => errorAt({ display: plan.origin, lines: plan.specLines ?? {} }, ['harmonise'], message);
  const of = (name: string): PlannedSeries => {
    const s = plan.series.find((x) => x.name === name);
    if (!s) throw fail(`'${name}' is not a panel series`);
    return s;
  };
  const from = of(h.from),
    to = of(h.to);
  const one = (s: PlannedSeries, year: number): PinnedFile | null => {
    const i = s.inputs.find((x) => x.year === year && x.month === undefined);
    if (!i) return null;
    if (i.files.length !== 1)
      throw fail(
        `series '${s.name}' has ${i.files.length} rasters for ${year} (duplicates: mean); pixel-level harmonisation needs one per year — use duplicates: composite or prefer-newer-satellite`,
      );
    return i.files[0]!;
  };
  const overlap = from.inputs
    .map((i) => i.year)
    .filter((y, k, a) => a.indexOf(y) === k && one(to, y) !== null)
    .sort((a, b) => a - b);
  if (overlap.length === 0) throw fail(`series '${h.from}' and '${h.to}' have no year with a raster in both; there are no pixel pairs to fit`);

  const xs: Float32Array[] = [],
    ys: Float32Array[] = [];
  for (const year of overlap) {
    let pair: { x: Float32Array; y: Float32Array };
    try {
      // raw DMSP (no calibration step on the file) marks no cloud-free data as 255
      const toFile = one(to, year)!;
      pair = await yearPairs(one(from, year)!, toFile, h, to.sensor === 'dmsp-ols' && !(toFile.calibrate ?? []).length, threads);
    } catch (e) {
      if (e instanceof NtlError) throw fail(`${year}: ${e.message}`);
      throw e;
    }
    xs.push(pair.x);
    ys.push(pair.y);
  }
  const x = concat(xs),
    y = concat(ys);
  let fit: HarmoniseFit;
  try {
    fit = fitHarmonisation(h.model, x, y);
  } catch (e) {
    if (e instanceof NtlError) throw fail(e.message);
    throw e;
  }
  const step = { step: 'dmsp_like', model: h.model, params: fit.params, clamp: h.clamp };
  const emitted: PlannedSeries = {
    name: h.name,
    sensor: from.sensor,
    ...(from.product !== undefined ? { product: from.product } : {}),
    inputs: from.inputs.map((i) => ({ ...i, files: i.files.map((f) => ({ ...f, id: `${f.id}>${h.name}`, calibrate: [...(f.calibrate ?? []), step] })) })),
  };
  const record: PixelHarmonisationRecord = {
    level: 'pixel',
    from: h.from,
    to: h.to,
    model: h.model,
    formula: fit.formula,
    parameters: fit.params,
    r2: Number.isFinite(fit.r2) ? fit.r2 : null,
    rmse: fit.rmse,
    n_pairs: fit.n,
    overlap_years: overlap,
    aggregation: `area-weighted mean of ${h.from} onto the ${h.to} grid`,
    sigma_pixels: h.sigma,
    min_dn: h.minDn,
    clamp: h.clamp,
    dropped_pixels: fit.dropped,
    converged: fit.converged,
    iterations: fit.iterations,
    emitted: { name: h.name, periods: emitted.inputs.length },
  };
  return { plan: { ...plan, series: [...plan.series, emitted] }, record };
}

/** One year's pairs on `to`'s grid (calibrated rasters of both series, streamed). */
async function yearPairs(
  fromFile: PinnedFile,
  toFile: PinnedFile,
  h: PixelPlan,
  dmsp255: boolean,
  threads?: number,
): Promise<{ x: Float32Array; y: Float32Array }> {
  const sources: RasterSource[] = [];
  try {
    sources.push(await openInputSource(fromFile, { threads }));
    sources.push(await openInputSource(toFile, { threads }));
    return await pixelPairs(sources[0]!, sources[1]!, { sigma: h.sigma, minDn: h.minDn, dmsp255 });
  } finally {
    for (const s of sources) await s.close();
  }
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
