/**
 * A pipeline's `calibrate:` list → one per-window transform. Each entry is `{ step: name, ...params }`,
 * validated here (zod) so a typo is one clear error naming the entry. Per-window steps run in list order on
 * the same row window; `continuity` is a series step (it needs every year's window) and is returned apart;
 * `seam` and `pareto` need the whole grid, so they are returned apart too and run after the window steps
 * (SEAM first, then Pareto), whatever their place in the list.
 */
import { z } from 'zod';
import { NtlError } from '../errors.js';
import { compositeWindow, type ContinuityVariant } from './composite.js';
import { FusedChain, type ScalarStep } from './fuse.js';
import { DMSP_NODATA, intercalibrateValue, intercalibrateWindow } from './intercalibrate.js';
import { loadTable, lookupCoefficients, TABLE_NAMES, type Coefficients } from './tables.js';
import type { CalWindow, StepContext, WindowTransform } from './types.js';
import { HARMONISE_MODELS, PARAM_NAMES, predict } from './harmonise.js';
import { saturatedValue, vanuiWindow } from './saturation.js';
import { denoiseValue, denoiseWindow, newDenoiseCounts, type DenoiseCounts } from './viirs.js';

const poly2 = z.object({ c0: z.number(), c1: z.number(), c2: z.number() }).strict();

export const STEP_SCHEMA = z.discriminatedUnion('step', [
  z
    .object({
      step: z.literal('intercalibrate'),
      table: z.enum(TABLE_NAMES).default('elvidge2014'),
      satellite: z.string(),
      year: z.number().int(),
      clamp: z.number().positive().nullable().default(null),
      /** user-fitted coefficients (from `fitIntercalibration`) instead of a table row */
      coefficients: poly2.optional(),
    })
    .strict(),
  z
    .object({
      step: z.literal('composite'),
      rule: z.enum(['liu', 'mean']).default('liu'),
      /** satellite of the second image: it is inter-calibrated like the preceding intercalibrate step (same table, year, clamp) */
      satellite: z.string().optional(),
    })
    .strict(),
  z
    .object({
      step: z.literal('viirs_denoise'),
      /** radiance ≤ threshold is background (0) */
      threshold: z.number().min(0).nullable().default(null),
      /** background where the DMSP stable-lights image of the year is 0 (same grid) */
      dmsp_mask: z.boolean().default(false),
      /** cap radiance at this value */
      cap: z.number().positive().nullable().default(null),
    })
    .strict(),
  z
    .object({
      step: z.literal('saturation_mask'),
      /** DN at or above which a pixel is saturated (DMSP stable lights top-code at 63) */
      threshold: z.number().default(63),
    })
    .strict(),
  z
    .object({
      step: z.literal('vanui'),
      /** NTL_max in VANUI = (1 − NDVI) · NTL / NTL_max */
      ntl_max: z.number().positive().default(63),
    })
    .strict(),
  z
    .object({
      step: z.literal('seam'),
      /** odd neighbourhood edge in pixels (7 ≈ 3.5 km at 30″) */
      window: z.number().int().min(3).default(7),
      /** fit a, b per block of this many pixels (the paper: ~150 km moving windows); 0 = one global fit */
      region: z.number().int().min(0).default(0),
      /** blocks with fewer pseudo-light pixels use the global fit */
      min_plp: z.number().int().min(3).default(30),
      /** the 3×3 mean after the correction */
      smooth: z.boolean().default(true),
      /** rescale to the input total (not in SEAM) */
      renormalise: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      step: z.literal('pareto'),
      /** Pareto shape */
      alpha: z.number().positive().default(1.5),
      /** values ≥ lower are replaced */
      lower: z.number().positive().default(55),
      /** upper truncation */
      upper: z.number().positive().default(2000),
      /** rank by an auxiliary raster `pareto_rank` on the same grid (radiance-calibrated / VIIRS); else by DN */
      rank_by_aux: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      step: z.literal('dmsp_like'),
      /** a stored harmonisation fit (ntl calibrate harmonise): VIIRS radiance → DMSP-like DN */
      model: z.enum(HARMONISE_MODELS),
      /** the fit's parameters by name (a, b; sigmoid also c, d) */
      params: z.record(z.string(), z.number()),
      clamp: z.number().positive().nullable().default(63),
    })
    .strict(),
  z
    .object({
      step: z.literal('continuity'),
      /** Liu inter-annual rule against the corrected previous year (sequential) or the uncorrected one (original) */
      variant: z.enum(['sequential', 'original']).default('sequential'),
    })
    .strict(),
]);
export type CalibrateStep = z.output<typeof STEP_SCHEMA>;

export interface CalibrateChain {
  /** Apply every per-window step in order. Output: Float32Array, NaN = no-data. */
  readonly apply: WindowTransform;
  /** Auxiliary rasters the runner must open on the same grid and pass as ctx.aux windows. */
  readonly aux: readonly string[];
  /** The inter-annual continuity variant when the list has a `continuity` step (run over all years' windows). */
  readonly continuity: ContinuityVariant | null;
  /** SEAM blooming correction parameters when the list has a `seam` step (whole-grid, after the window steps). */
  readonly seam: Extract<CalibrateStep, { step: 'seam' }> | null;
  /** Pareto top-code imputation (whole-grid, after SEAM): ranks need every pixel. */
  readonly pareto: Extract<CalibrateStep, { step: 'pareto' }> | null;
  /** The resolved steps with their coefficients, for run.json. */
  readonly record: readonly Record<string, unknown>[];
  /** Output range when the whole chain maps an 8/16-bit input of `dtype` to whole numbers only; else null. */
  readonly integralRange: (dtype: string, nodata: number | null) => { min: number; max: number } | null;
  /** The per-window steps only, leaving `seam` / `pareto` to the caller (writeCalibratedRaster streams them). */
  readonly applyWindowSteps: WindowTransform;
  /** Same result as `apply`, always step by window (no fusion); for cross-checks. */
  readonly applyStepwise: WindowTransform;
  /** VIIRS counts accumulated while applying (negatives set to 0, background, capped). */
  readonly counts: DenoiseCounts;
  /**
   * When the whole chain is pointwise and the input is uint8: its 256-value table (float32 bits) and a function
   * that adds the counts of a histogram of raw values (pixels per value) to `counts` — a writer can then expand
   * tiles itself (writeRowsLookup, rawHistogram); else null.
   */
  readonly byteLookup: (
    dtype: string,
    nodata: number | null,
  ) => { readonly table: Float32Array; readonly countHistogram: (hist: ArrayLike<number>) => void } | null;
}

export function parseCalibrateSteps(list: unknown, where: string): CalibrateStep[] {
  if (!Array.isArray(list)) throw new NtlError(`${where}: calibrate must be a list of { step: … } entries`);
  return list.map((entry, i) => parseCalibrateStep(entry, i, where));
}

/** One entry (0-based `index` in its list, for the message). */
export function parseCalibrateStep(entry: unknown, index: number, where: string): CalibrateStep {
  const r = STEP_SCHEMA.safeParse(entry);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'step';
    throw new NtlError(
      `${where}: calibrate entry ${index + 1} (${JSON.stringify(entry)}): ${path}: ${issue?.message ?? 'invalid'}; steps are intercalibrate, composite, viirs_denoise, saturation_mask, vanui, seam, pareto, dmsp_like, continuity`,
    );
  }
  return r.data;
}

export function buildCalibrateChain(list: unknown, where: string): CalibrateChain {
  const steps = parseCalibrateSteps(list, where);
  const counts = newDenoiseCounts();
  const fns: ((band: CalWindow, ctx: StepContext) => Float32Array)[] = [];
  /** Scalar form of each step while every step so far is pointwise; null once one is not. */
  let scalars: ScalarStep[] | null = [];
  const aux = new Set<string>();
  const record: Record<string, unknown>[] = [];
  let continuity: ContinuityVariant | null = null;
  let seam: Extract<CalibrateStep, { step: 'seam' }> | null = null;
  let pareto: Extract<CalibrateStep, { step: 'pareto' }> | null = null;
  let lastIntercal: Extract<CalibrateStep, { step: 'intercalibrate' }> | null = null;
  for (const s of steps) {
    switch (s.step) {
      case 'intercalibrate': {
        const coefficients: Coefficients = s.coefficients
          ? { kind: 'poly2', ...s.coefficients, r2: null }
          : lookupCoefficients(loadTable(s.table), s.satellite, s.year);
        const p = { coefficients, clamp: s.clamp };
        fns.push((b, c) => intercalibrateWindow(b, c, p));
        scalars?.push((v) => (v !== v || v === DMSP_NODATA ? NaN : intercalibrateValue(v, p)));
        lastIntercal = s;
        record.push({ ...s, table: s.coefficients ? 'user-fitted' : s.table, coefficients, citation: s.coefficients ? null : loadTable(s.table).citation });
        break;
      }
      case 'composite': {
        aux.add('composite');
        scalars = null;
        let otherCoefs: Coefficients | null = null;
        let clamp: number | null = null;
        if (s.satellite !== undefined) {
          if (!lastIntercal)
            throw new NtlError(`${where}: composite with satellite: ${s.satellite} must follow an intercalibrate step (it reuses its table and year)`);
          otherCoefs = lookupCoefficients(loadTable(lastIntercal.table), s.satellite, lastIntercal.year);
          clamp = lastIntercal.clamp;
        }
        const oc = otherCoefs;
        fns.push((b, c) => {
          const other = c.aux?.composite;
          if (!oc || !other) return compositeWindow(b, c, s.rule);
          const cal = intercalibrateWindow(other, { nodata: c.nodata }, { coefficients: oc, clamp });
          return compositeWindow(b, { ...c, aux: { ...c.aux, composite: { ...other, data: cal } } }, s.rule);
        });
        record.push({ ...s, coefficients: otherCoefs });
        break;
      }
      case 'viirs_denoise': {
        if (s.dmsp_mask) {
          aux.add('dmsp_mask');
          scalars = null;
        }
        const p = { threshold: s.threshold, dmspMask: s.dmsp_mask, cap: s.cap };
        fns.push((b, c) => denoiseWindow(b, c, p, counts));
        scalars?.push((v, k) => denoiseValue(v, p, k));
        record.push({ ...s });
        break;
      }
      case 'saturation_mask': {
        const t = s.threshold;
        fns.push((b, c) => {
          const out = new Float32Array(b.rows * b.width);
          for (let i = 0; i < out.length; i++) {
            const v = b.data[i] as number;
            out[i] = saturatedValue(c.nodata !== null && v === c.nodata ? NaN : v, t);
          }
          return out;
        });
        scalars?.push((v) => saturatedValue(v, t));
        record.push({ ...s });
        break;
      }
      case 'vanui':
        aux.add('ndvi');
        scalars = null;
        fns.push((b, c) => vanuiWindow(b, c, s.ntl_max));
        record.push({ ...s, citation: 'Zhang, Schaaf & Seto (2013), RSE 129: 32-41' });
        break;
      case 'dmsp_like': {
        const missing = PARAM_NAMES[s.model].filter((k) => typeof s.params[k] !== 'number');
        if (missing.length)
          throw new NtlError(`${where}: dmsp_like (${s.model}) needs parameters ${PARAM_NAMES[s.model].join(', ')}; missing ${missing.join(', ')}`);
        const f = (v: number) => {
          if (v !== v) return NaN;
          if (!(v > 0)) return 0; // dark (and negative) radiance → DN 0: every model needs ln x
          const d = predict(s.model, s.params, v);
          return Math.min(Math.max(d, 0), s.clamp ?? Infinity);
        };
        fns.push((b, c) => {
          const out = new Float32Array(b.rows * b.width);
          for (let i = 0; i < out.length; i++) {
            const v = b.data[i] as number;
            out[i] = f(c.nodata !== null && v === c.nodata ? NaN : v);
          }
          return out;
        });
        scalars?.push(f);
        record.push({ ...s });
        break;
      }
      case 'pareto':
        if (s.rank_by_aux) aux.add('pareto_rank');
        pareto = s;
        record.push({
          ...s,
          citation: s.rank_by_aux ? 'Bluhm & Krause (2022), J. Dev. Econ.' : 'Pareto-adjusted (ranked by DN; Bluhm & Krause 2022 parameters)',
        });
        break;
      case 'seam':
        // SEAM needs the neighbourhood of every pixel, so it runs on the whole grid (seam.ts), not per window
        seam = s;
        record.push({ ...s, citation: 'Cao et al. (2019), RSE 224: 401-411' });
        break;
      case 'continuity':
        continuity = s.variant;
        record.push({ ...s });
        break;
    }
  }
  const fused = scalars && scalars.length > 0 ? new FusedChain(scalars) : null;
  /** Every step in order on one window; null when the chain has no window step. */
  const runSteps = (band: CalWindow, ctx: StepContext): Float32Array | null => {
    let cur: CalWindow = band;
    let c: StepContext = ctx;
    let out: Float32Array | null = null;
    for (const f of fns) {
      out = f(cur, c);
      cur = { ...band, data: out };
      c = { ...ctx, nodata: null }; // after the first step, NaN is the only no-data
    }
    return out;
  };
  const apply: WindowTransform = (band, ctx, into) => {
    if (fused) return fused.apply(band.data, band.rows * band.width, ctx.nodata, counts, into);
    const out = runSteps(band, ctx);
    if (out) return out;
    const copy = new Float32Array(band.rows * band.width);
    for (let i = 0; i < copy.length; i++) {
      const v = band.data[i] as number;
      copy[i] = ctx.nodata !== null && v === ctx.nodata ? NaN : v;
    }
    return copy;
  };
  /** The step-by-step path, kept for tests that check the fused one against it. */
  const applyStepwise: WindowTransform = (band, ctx) => runSteps(band, ctx) ?? apply(band, ctx);
  // A window-by-window consumer (the pipeline's zonal stage) would silently skip the whole-grid steps: refuse.
  const guarded: WindowTransform = (band, ctx, into) => {
    if (seam || pareto) {
      throw new NtlError(
        `${where}: the ${seam ? 'seam' : 'pareto'} step needs the whole raster at once and cannot run window by window here; write the corrected raster with \`ntl calibrate ${seam ? 'seam' : 'pareto'} …\` and use that file as the input`,
      );
    }
    return apply(band, ctx, into);
  };
  const integralRange = (dtype: string, nodata: number | null) => (fused && !seam && !pareto ? fused.integralRange(dtype, nodata) : null);
  const byteLookup = (dtype: string, nodata: number | null) => {
    if (!fused || seam || pareto || dtype !== 'uint8') return null;
    const l = fused.byteLookup(nodata);
    return { table: l.table, countHistogram: (hist: ArrayLike<number>) => l.countHistogram(hist, counts) };
  };
  return { apply: guarded, applyWindowSteps: apply, integralRange, applyStepwise, byteLookup, aux: [...aux], continuity, seam, pareto, record, counts };
}
