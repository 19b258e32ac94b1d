/**
 * DMSP ↔ VIIRS harmonisation with its files: fit the relation on pixel pairs of two rasters or on a table of
 * district pairs and return the JSON record that `ntl calibrate harmonise` writes; read a stored fit back as the
 * `dmsp_like` step that applies it. The arithmetic is harmonise.ts; the pipeline's `harmonise:` runs the same fit.
 */
import { readFileSync } from 'node:fs';
import { NtlError } from '../errors.js';
import { readTable } from '../panel/read-table.js';
import { openRaster } from '../raster/index.js';
import { fitHarmonisation, HARMONISE_MODELS, type HarmoniseFit, type HarmoniseModel } from './harmonise.js';
import { pixelPairs } from './pixel-pairs.js';

export type HarmonisePairs =
  /** Pixel level: VIIRS area-weighted onto the DMSP grid (grids must nest), optionally smoothed. */
  | { readonly level: 'pixel'; readonly dmsp: string; readonly viirs: string; readonly sigma?: number; readonly minDn?: number }
  /** District level: one row per district of a table (CSV / Parquet), x and y columns. */
  | { readonly level: 'district'; readonly pairs: string; readonly x: string; readonly y: string };

export type HarmonisationRecord = HarmoniseFit & Readonly<Record<string, unknown>>;

/** Fit `model` on the pairs; the record is the fit followed by where its pairs came from. */
export async function fitHarmonisationFiles(model: HarmoniseModel, source: HarmonisePairs, threads?: number): Promise<HarmonisationRecord> {
  let xs: number[] | Float32Array, ys: number[] | Float32Array;
  let level: Record<string, unknown>;
  if (source.level === 'district') {
    const t = await readTable(source.pairs);
    xs = t.numbers(source.x).map((v) => v ?? NaN);
    ys = t.numbers(source.y).map((v) => v ?? NaN);
    level = { level: 'district', pairs: source.pairs, x: source.x, y: source.y };
  } else {
    const sigma = source.sigma ?? 0,
      minDn = source.minDn ?? 0;
    const v = await openRaster(source.viirs, { threads });
    try {
      const d = await openRaster(source.dmsp, { threads });
      try {
        const pairs = await pixelPairs(v, d, { sigma, minDn, dmsp255: true });
        xs = pairs.x;
        ys = pairs.y;
      } finally {
        await d.close();
      }
    } finally {
      await v.close();
    }
    level = {
      level: 'pixel',
      dmsp: source.dmsp,
      viirs: source.viirs,
      aggregation: 'area-weighted mean onto the DMSP grid',
      sigma_pixels: sigma,
      min_dn: minDn,
    };
  }
  const fit = fitHarmonisation(model, xs, ys);
  return { ...fit, ...level };
}

/** One line on a fit: formula, parameters, R², RMSE, N, dropped pairs, convergence. */
export function describeHarmonisationFit(fit: HarmoniseFit): string {
  return `${fit.model} fit ${fit.formula}: ${Object.entries(fit.params)
    .map(([k, p]) => `${k} = ${p.toPrecision(6)}`)
    .join(
      ', ',
    )}; R² ${fit.r2.toFixed(4)}, RMSE ${fit.rmse.toPrecision(4)}, N ${fit.n}${fit.dropped ? ` (${fit.dropped} pairs dropped: VIIRS ≤ 0 or missing)` : ''}${fit.converged ? '' : '; WARNING: not converged'}`;
}

/** A stored fit (JSON with model and params) as the `dmsp_like` step that applies it (validated by the step schema). */
export function harmonisationStep(fitPath: string, clamp: number | null | undefined): Record<string, unknown> {
  let fit: { model?: unknown; params?: unknown };
  try {
    fit = JSON.parse(readFileSync(fitPath, 'utf8')) as typeof fit;
  } catch (e) {
    // a JSON parse message quotes the file's text, newlines included: keep the error one line
    throw new NtlError(`${fitPath}: cannot read the harmonisation fit (${(e as Error).message.replace(/\s+/g, ' ')}); write one with ntl calibrate harmonise`);
  }
  if (!(HARMONISE_MODELS as readonly unknown[]).includes(fit?.model)) {
    throw new NtlError(
      `${fitPath}: "model" is ${JSON.stringify(fit?.model ?? null)}, not one of ${HARMONISE_MODELS.join(', ')}; give the JSON that ntl calibrate harmonise wrote`,
    );
  }
  return { step: 'dmsp_like', model: fit.model, params: fit.params, ...(clamp !== undefined ? { clamp } : {}) };
}
