/**
 * Step 1 — DMSP-OLS inter-calibration: DN' = f(DN) per satellite-year, applied to lit pixels only.
 * 0 stays 0 (the polynomials map 0 to a non-zero constant), 255 / no-data stays no-data (NaN out),
 * negatives are clamped to 0, and values above `clamp` (63 when asked) are clamped.
 */
import type { Coefficients } from './tables.js';
import { isMissing, type CalWindow, type StepContext } from './types.js';

/** The published model, unclamped (for tests against the tables). */
export function applyCoefficients(dn: number, c: Coefficients): number {
  if (c.kind === 'poly2') return c.c0 + c.c1 * dn + c.c2 * dn * dn;
  return c.a * Math.pow(dn + 1, c.b) - 1; // Wu 2013: DN'+1 = a·(DN+1)^b
}

/** V4 stable_lights: "areas with zero cloud-free observations are represented by the value 255". */
export const DMSP_NODATA = 255;

export interface IntercalibrateParams {
  readonly coefficients: Coefficients;
  /** Upper clamp (63 to stay in the DMSP range); null keeps values above 63. */
  readonly clamp: number | null;
}

export function intercalibrateValue(dn: number, p: IntercalibrateParams): number {
  if (dn <= 0) return 0;
  let v = applyCoefficients(dn, p.coefficients);
  if (v < 0) v = 0;
  if (p.clamp !== null && v > p.clamp) v = p.clamp;
  return v;
}

export function intercalibrateWindow(band: CalWindow, ctx: StepContext, p: IntercalibrateParams): Float32Array {
  const src = band.data;
  const n = band.rows * band.width;
  const out = new Float32Array(n);
  // DN is an integer 1..63 in practice: a lookup table makes the quadratic exact and cheap.
  const lut = new Float64Array(256);
  for (let d = 0; d < 256; d++) lut[d] = intercalibrateValue(d, p);
  for (let i = 0; i < n; i++) {
    const v = src[i] as number;
    if (isMissing(v, ctx.nodata) || v === DMSP_NODATA) out[i] = NaN;
    else if (v >= 0 && v < 256 && v === (v | 0)) out[i] = lut[v] as number;
    else out[i] = intercalibrateValue(v, p);
  }
  return out;
}
