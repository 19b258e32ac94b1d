/**
 * Step 4 — SEAM blooming correction (Cao, Hu, Zhu, Shi, Zhuo & Chen 2019, "A simple self-adjusting model for
 * correcting the blooming effects in DMSP-OLS nighttime light images", RSE 224: 401–411).
 * No auxiliary data: pixels lit but touching the dark background are taken to hold no light of their own
 * ("pseudo light pixels", PLPs), so their DN is pure blooming, regressed on the light of brighter neighbours:
 *   R_i = Σ_{j in window, j ≠ i, DN_j > DN_i} DN_j / d_ij²     (d in pixels; 7×7 ≈ 3.5 km at 30″)
 *   DN_PLP = b + a·R_PLP (OLS)      DN_i' = DN_i − b − a·R_i for lit pixels, then a 3×3 mean over lit pixels,
 *   negatives → 0. Dark pixels stay 0, no-data (NaN) stays no-data.
 * Deviations from the paper, all parameters: the paper fits a and b in ~150 km *moving* windows; here `region`
 * > 0 fits them in fixed non-overlapping blocks of `region` pixels (falling back to the global fit where a block
 * has fewer than `minPlp` PLPs), `region` 0 fits once over the image (as the public re-implementation does). A
 * fit with a ≤ 0 (no blooming signal) leaves its block unchanged (not smoothed either). `renormalise` (not in SEAM; Abrahams et al.
 * 2018 do it) rescales the result to the input's total, for users who want blooming relocated, not removed.
 * `seamCorrect` is the whole-grid reference (in memory); `ntl calibrate seam` runs seam-stream.ts, which streams
 * strips with halos in two passes and is tested bitwise equal to it.
 */
import { NtlError } from '../errors.js';

export interface SeamParams {
  /** Odd neighbourhood edge in pixels for R (default 7). */
  readonly window: number;
  /** Block edge in pixels for local fits; 0 = one global fit. */
  readonly region: number;
  readonly minPlp: number;
  /** Apply the paper's 3×3 mean to corrected lit pixels. */
  readonly smooth: boolean;
  readonly renormalise: boolean;
}
export const SEAM_DEFAULTS: SeamParams = { window: 7, region: 0, minPlp: 30, smooth: true, renormalise: false };

export interface SeamFit {
  readonly row0: number;
  readonly col0: number;
  readonly a: number;
  readonly b: number;
  readonly n: number;
  readonly r2: number;
  readonly source: 'block' | 'global';
}
export interface SeamResult {
  readonly image: Float32Array;
  readonly global: SeamFit;
  /** One per block when region > 0. */
  readonly blocks: readonly SeamFit[];
  readonly plpCount: number;
  readonly totalIn: number;
  readonly totalOut: number;
}

export interface Ols {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  sxy: number;
  syy: number;
}
export const newOls = (): Ols => ({ n: 0, sx: 0, sy: 0, sxx: 0, sxy: 0, syy: 0 });
export function addOls(o: Ols, x: number, y: number): void {
  o.n++;
  o.sx += x;
  o.sy += y;
  o.sxx += x * x;
  o.sxy += x * y;
  o.syy += y * y;
}
function solveOls(o: Ols): { a: number; b: number; r2: number } | null {
  const sxx = o.sxx - (o.sx * o.sx) / o.n,
    sxy = o.sxy - (o.sx * o.sy) / o.n,
    syy = o.syy - (o.sy * o.sy) / o.n;
  if (o.n < 3 || !(sxx > 1e-12 * Math.max(1, o.sxx))) return null;
  const a = sxy / sxx,
    b = (o.sy - a * o.sx) / o.n;
  return { a, b, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1 };
}

/** R_i for every lit pixel (0 elsewhere). */
export function neighbourLight(img: Float32Array, width: number, height: number, window: number): Float64Array {
  const h = (window - 1) >> 1;
  const R = new Float64Array(img.length);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const v = img[r * width + c] as number;
      if (!(v > 0)) continue;
      let s = 0;
      for (let dr = -h; dr <= h; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= height) continue;
        for (let dc = -h; dc <= h; dc++) {
          const cc = c + dc;
          if (cc < 0 || cc >= width || (dr === 0 && dc === 0)) continue;
          const u = img[rr * width + cc] as number;
          if (u > v) s += u / (dr * dr + dc * dc);
        }
      }
      R[r * width + c] = s;
    }
  }
  return R;
}

/** Lit pixels with at least one valid 8-neighbour at 0. */
export function pseudoLightPixels(img: Float32Array, width: number, height: number): Uint8Array {
  const plp = new Uint8Array(img.length);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (!((img[r * width + c] as number) > 0)) continue;
      search: for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr,
            cc = c + dc;
          if ((dr || dc) && rr >= 0 && rr < height && cc >= 0 && cc < width && img[rr * width + cc] === 0) {
            plp[r * width + c] = 1;
            break search;
          }
        }
      }
    }
  }
  return plp;
}

export function checkSeamParams(p: SeamParams): void {
  if (!(p.window >= 3 && p.window % 2 === 1)) throw new NtlError(`SEAM: window ${p.window} must be an odd number ≥ 3 (7 ≈ 3.5 km at 30″)`);
  if (!(p.region >= 0 && Number.isInteger(p.region))) throw new NtlError(`SEAM: region ${p.region} must be a whole number of pixels (0 = one global fit)`);
}

export function seamCorrect(img: Float32Array, width: number, height: number, p: SeamParams = SEAM_DEFAULTS): SeamResult {
  if (img.length !== width * height) throw new NtlError(`internal: SEAM got ${img.length} cells for ${width} × ${height}`);
  if (!(p.window >= 3 && p.window % 2 === 1)) throw new NtlError(`SEAM: window ${p.window} must be an odd number ≥ 3 (7 ≈ 3.5 km at 30″)`);
  if (!(p.region >= 0 && Number.isInteger(p.region))) throw new NtlError(`SEAM: region ${p.region} must be a whole number of pixels (0 = one global fit)`);
  const R = neighbourLight(img, width, height, p.window);
  const plp = pseudoLightPixels(img, width, height);
  const g = newOls();
  const bw = p.region > 0 ? Math.ceil(width / p.region) : 1,
    bh = p.region > 0 ? Math.ceil(height / p.region) : 1;
  const blockOls = Array.from({ length: bw * bh }, newOls);
  const blockOf = (r: number, c: number) => (p.region > 0 ? Math.floor(r / p.region) * bw + Math.floor(c / p.region) : 0);
  let plpCount = 0,
    totalIn = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c,
        v = img[i] as number;
      if (v === v) totalIn += v;
      if (plp[i] !== 1) continue;
      plpCount++;
      addOls(g, R[i] as number, v);
      addOls(blockOls[blockOf(r, c)]!, R[i] as number, v);
    }
  }
  const { global, blocks, coef } = resolveFits(g, blockOls, bw, p);
  const corrected = new Float32Array(img.length);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c,
        v = img[i] as number;
      if (!(v > 0)) {
        corrected[i] = v;
        continue;
      }
      const k = coef[blockOf(r, c)]!;
      corrected[i] = k.a > 0 ? v - k.b - k.a * (R[i] as number) : v;
    }
  }
  // smooth only where a correction was made: a block left unchanged (a ≤ 0) keeps its input values exactly
  const corrects = (i: number) => coef[blockOf(Math.floor(i / width), i % width)]!.a > 0;
  const out = p.smooth && coef.some((k) => k.a > 0) ? smoothLit(corrected, img, width, height, corrects) : corrected;
  let totalOut = 0;
  for (let i = 0; i < out.length; i++) {
    if ((out[i] as number) < 0) out[i] = 0;
    if (out[i] === out[i]) totalOut += out[i] as number;
  }
  if (p.renormalise && totalOut > 0) {
    const f = totalIn / totalOut;
    totalOut = 0;
    for (let i = 0; i < out.length; i++)
      if (out[i] === out[i]) {
        out[i] = (out[i] as number) * f;
        totalOut += out[i] as number;
      }
  }
  return { image: out, global, blocks, plpCount, totalIn, totalOut };
}

/** The global and per-block fits from their accumulated sums, and the coefficients each block applies. */
export function resolveFits(
  g: Ols,
  blockOls: readonly Ols[],
  bw: number,
  p: SeamParams,
): { global: SeamFit; blocks: SeamFit[]; coef: { a: number; b: number }[] } {
  const gs = solveOls(g);
  const global: SeamFit = { row0: 0, col0: 0, a: gs?.a ?? 0, b: gs?.b ?? 0, n: g.n, r2: gs?.r2 ?? 0, source: 'global' };
  const blocks: SeamFit[] = [];
  const coef: { a: number; b: number }[] = blockOls.map((o, k) => {
    const s = p.region > 0 && o.n >= p.minPlp ? solveOls(o) : null;
    const fit: SeamFit = s
      ? { row0: Math.floor(k / bw) * p.region, col0: (k % bw) * p.region, a: s.a, b: s.b, n: o.n, r2: s.r2, source: 'block' }
      : { ...global, row0: Math.floor(k / bw) * p.region, col0: (k % bw) * p.region, n: o.n };
    if (p.region > 0) blocks.push(fit);
    return fit.a > 0 && (s !== null || gs !== null) ? { a: fit.a, b: fit.b } : { a: 0, b: 0 };
  });
  return { global, blocks, coef };
}

/** 3×3 mean of corrected values over the lit (input DN > 0) neighbours, for lit pixels; others unchanged. */
export function smoothLit(v: Float32Array, img: Float32Array, width: number, height: number, corrects: (i: number) => boolean): Float32Array {
  const out = Float32Array.from(v);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (!((img[r * width + c] as number) > 0) || !corrects(r * width + c)) continue;
      let s = 0,
        n = 0;
      for (let dr = -1; dr <= 1; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= height) continue;
        for (let dc = -1; dc <= 1; dc++) {
          const cc = c + dc;
          if (cc < 0 || cc >= width || !((img[rr * width + cc] as number) > 0)) continue;
          s += v[rr * width + cc] as number;
          n++;
        }
      }
      out[r * width + c] = s / n;
    }
  }
  return out;
}
