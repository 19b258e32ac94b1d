/**
 * Step 5 — fits over user polygons (Elvidge et al. 2009, 2014; Liu et al. 2012).
 * A cell belongs to a region when its exact polygon coverage is > 0.5 (`rule: 'coverage'`, default — a cell
 * mostly inside counts, one barely clipped does not) or when its centre is inside (`rule: 'centre'`, ArcGIS
 * Zonal Statistics semantics), using zonal/'s coverage code on the raster's own grid.
 *  fitIntercalibration: the Elvidge-type second-order regression of the *reference* DN on the *target* DN over an
 *    invariant region (DN_ref = c0 + c1·DN + c2·DN²; the reverse direction — "nlights" — is the pitfall), on cells
 *    valid (≠ 255, not no-data) in both, optionally only DN in [minDn, maxDn] (e.g. 3…62 to drop noise and
 *    saturated cells); reports R² and N. Output plugs into `intercalibrate` as `coefficients`.
 *  capFromCores: the VIIRS outlier cap = the maximum valid radiance inside reference city cores (北上广深).
 */
import { NtlError } from '../errors.js';
import type { PolygonRings } from '../vector/types.js';
import { centreCoverage, coverageFractions, gridFromTransform, windowForBBox } from '../zonal/index.js';
import type { RasterInfo } from '../raster/types.js';
import { DMSP_NODATA } from './intercalibrate.js';

export type RegionRule = 'coverage' | 'centre';

/** 1 for cells of the grid inside any of the polygons (by `rule`), else 0. */
export function regionMask(
  polygons: readonly (readonly PolygonRings[])[],
  info: Pick<RasterInfo, 'geoTransform' | 'width' | 'height' | 'path'>,
  rule: RegionRule = 'coverage',
): Uint8Array {
  const grid = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
  const mask = new Uint8Array(info.width * info.height);
  for (const parts of polygons) {
    let xmin = Infinity,
      ymin = Infinity,
      xmax = -Infinity,
      ymax = -Infinity;
    for (const poly of parts)
      for (const ring of poly)
        for (let i = 0; i < ring.length; i += 2) {
          const x = ring[i] as number,
            y = ring[i + 1] as number;
          if (x < xmin) xmin = x;
          if (x > xmax) xmax = x;
          if (y < ymin) ymin = y;
          if (y > ymax) ymax = y;
        }
    if (!(xmax >= xmin)) continue;
    const w = windowForBBox(grid, { xmin, ymin, xmax, ymax });
    const cov = rule === 'centre' ? centreCoverage(parts, grid, w) : coverageFractions(parts, grid, w);
    const cols = w.col1 - w.col0;
    for (let r = w.row0; r < w.row1; r++)
      for (let c = w.col0; c < w.col1; c++) {
        const f = cov[(r - w.row0) * cols + (c - w.col0)] as number;
        if (rule === 'centre' ? f > 0 : f > 0.5) mask[r * info.width + c] = 1;
      }
  }
  return mask;
}

export interface IntercalFit {
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  readonly r2: number;
  readonly n: number;
}

export function fitIntercalibration(
  reference: ArrayLike<number>,
  target: ArrayLike<number>,
  mask: Uint8Array,
  opts: { refNodata?: number | null; targetNodata?: number | null; minDn?: number; maxDn?: number } = {},
): IntercalFit {
  const bad = (v: number, nd: number | null | undefined) => v !== v || v === DMSP_NODATA || (nd !== null && nd !== undefined && v === nd);
  const lo = opts.minDn ?? -Infinity,
    hi = opts.maxDn ?? Infinity;
  // normal equations in x scaled to [0, 1] (DN/63) for conditioning
  const S = new Float64Array(9),
    b = new Float64Array(3);
  let n = 0,
    sy = 0,
    syy = 0;
  const pairs: [number, number][] = [];
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 1) continue;
    const x = target[i] as number,
      y = reference[i] as number;
    if (bad(x, opts.targetNodata) || bad(y, opts.refNodata) || x < lo || x > hi || y < lo || y > hi) continue;
    const u = x / 63,
      f = [1, u, u * u];
    for (let p = 0; p < 3; p++) {
      b[p] = b[p]! + f[p]! * y;
      for (let q = 0; q < 3; q++) S[p * 3 + q] = S[p * 3 + q]! + f[p]! * f[q]!;
    }
    n++;
    sy += y;
    syy += y * y;
    pairs.push([u, y]);
  }
  if (n < 4)
    throw new NtlError(
      `inter-calibration fit: only ${n} cells of the invariant region are valid in both images${Number.isFinite(lo) || Number.isFinite(hi) ? ` within DN ${lo}…${hi}` : ''}; need at least 4 — check the polygon overlaps the rasters and its CRS`,
    );
  const z = solve3(S, b);
  if (!z)
    throw new NtlError(
      `inter-calibration fit: the target DN inside the region take fewer than 3 distinct values; a quadratic cannot be fitted — choose a larger or brighter invariant region`,
    );
  let sse = 0;
  for (const [u, y] of pairs) {
    const r = y - (z[0]! + z[1]! * u + z[2]! * u * u);
    sse += r * r;
  }
  const sst = syy - (sy * sy) / n;
  return { c0: z[0]!, c1: z[1]! / 63, c2: z[2]! / (63 * 63), r2: sst > 0 ? 1 - sse / sst : NaN, n };
}

function solve3(A: Float64Array, b: Float64Array): Float64Array | null {
  const M = Float64Array.from(A),
    z = Float64Array.from(b);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(M[r * 3 + c]!) > Math.abs(M[p * 3 + c]!)) p = r;
    if (!(Math.abs(M[p * 3 + c]!) > 1e-12 * Math.abs(M[0]!))) return null;
    for (let k = 0; k < 3; k++) {
      const t = M[c * 3 + k]!;
      M[c * 3 + k] = M[p * 3 + k]!;
      M[p * 3 + k] = t;
    }
    {
      const t = z[c]!;
      z[c] = z[p]!;
      z[p] = t;
    }
    for (let r = c + 1; r < 3; r++) {
      const f = M[r * 3 + c]! / M[c * 3 + c]!;
      for (let k = c; k < 3; k++) M[r * 3 + k] = M[r * 3 + k]! - f * M[c * 3 + k]!;
      z[r] = z[r]! - f * z[c]!;
    }
  }
  for (let r = 2; r >= 0; r--) {
    let s = z[r]!;
    for (let k = r + 1; k < 3; k++) s -= M[r * 3 + k]! * z[k]!;
    z[r] = s / M[r * 3 + r]!;
  }
  return z;
}

/** Maximum valid value inside the mask (the cap); NtlError when the cores hold no valid cell. */
export function capFromCores(values: ArrayLike<number>, mask: Uint8Array, nodata: number | null): { cap: number; cells: number } {
  let cap = -Infinity,
    cells = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 1) continue;
    const v = values[i] as number;
    if (v !== v || (nodata !== null && v === nodata)) continue;
    cells++;
    if (v > cap) cap = v;
  }
  if (cells === 0 || !(cap > 0))
    throw new NtlError(
      `VIIRS cap from city cores: the core polygons cover ${cells} valid cells${cells ? ' and none is lit' : ''}; check their CRS and that they overlap the raster`,
    );
  return { cap, cells };
}
