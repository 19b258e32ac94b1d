/**
 * Polygon area in km² for the zonal `area_km2` statistic.
 *
 * Geographic coordinates: area on the CRS's ellipsoid. Each point is mapped to the authalic sphere (authalic
 * latitude, same longitude: an exactly equal-area map of the ellipsoid onto a sphere of radius R_q) and the
 * spherical excess of the ring is summed edge by edge. Edges are great circles on that sphere, which differ
 * from ellipsoidal geodesics by O(f·L³/R) in area — below 1e-9 relative for county-sized edges (≤ a few km);
 * checked against terra::expanse (GeographicLib) in test/vector-area.test.ts.
 * Projected coordinates: planar area when the projection is equal-area, else the vertices (edges densified to
 * 1 km) are taken back to lon/lat on the CRS's own ellipsoid and measured as above.
 */
import proj4 from 'proj4';
import { NtlError } from '../errors.js';
import type { PolygonRings, Ring } from '../vector/types.js';
import type { CrsDef } from './crs.js';
import { isEqualAreaProj, isGeographicProj, projParams } from './proj-params.js';

const RAD = Math.PI / 180;

export function geodesicAreaKm2(parts: readonly PolygonRings[], crs: CrsDef): number {
  const p = projParams(crs.proj4);
  if (isGeographicProj(p)) return ellipsoidalArea(parts, p.a, p.es) / 1e6;
  if (isEqualAreaProj(p)) return partsArea(parts, (r) => Math.abs(planarArea(r))) * p.toMeter * p.toMeter / 1e6;
  const inverse = proj4(crs.proj4);
  const step = 1000 / p.toMeter;
  const toLonLat = (r: Ring): Ring => {
    const d = densify(r, step);
    for (let i = 0; i < d.length; i += 2) {
      const [lon, lat] = inverse.inverse([d[i] as number, d[i + 1] as number]);
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        throw new NtlError(`cannot compute area: point (${d[i]}, ${d[i + 1]}) has no lon/lat in ${crs.label}`);
      }
      d[i] = lon as number;
      d[i + 1] = lat as number;
    }
    return d;
  };
  return ellipsoidalArea(parts.map((rings) => rings.map(toLonLat)), p.a, p.es) / 1e6;
}

/** Σ over parts of |outer| − Σ|holes|. */
function partsArea(parts: readonly PolygonRings[], ringArea: (r: Ring) => number): number {
  let total = 0;
  for (const rings of parts) {
    rings.forEach((r, k) => {
      total += k === 0 ? ringArea(r) : -ringArea(r);
    });
  }
  return total;
}

/** Area in m² of lon/lat (degree) polygons on the ellipsoid (a, e²). */
export function ellipsoidalArea(parts: readonly PolygonRings[], a: number, es: number): number {
  const auth = authalic(a, es);
  return partsArea(parts, (r) => Math.abs(sphericalExcess(r, auth.xi)) * auth.r2);
}

interface Authalic {
  /** R_q², the authalic sphere's radius squared. */
  readonly r2: number;
  /** latitude (radians) → authalic latitude (radians). */
  readonly xi: (phi: number) => number;
}

function authalic(a: number, es: number): Authalic {
  if (es === 0) return { r2: a * a, xi: (phi) => phi };
  const e = Math.sqrt(es);
  const q = (s: number): number => (1 - es) * (s / (1 - es * s * s) - Math.log((1 - e * s) / (1 + e * s)) / (2 * e));
  const qp = q(1);
  return { r2: (a * a * qp) / 2, xi: (phi) => Math.asin(Math.max(-1, Math.min(1, q(Math.sin(phi)) / qp))) };
}

/** Signed spherical excess (steradians) of a closed ring of lon/lat degrees; edges are great circles. */
function sphericalExcess(r: Ring, xi: (phi: number) => number): number {
  let sum = 0;
  let lon1 = (r[0] as number) * RAD;
  let t1 = Math.tan(xi((r[1] as number) * RAD) / 2);
  for (let i = 2; i < r.length; i += 2) {
    const lon2 = (r[i] as number) * RAD;
    const t2 = Math.tan(xi((r[i + 1] as number) * RAD) / 2);
    let dl = lon2 - lon1;
    if (dl > Math.PI) dl -= 2 * Math.PI;
    else if (dl < -Math.PI) dl += 2 * Math.PI;
    // Area of the spherical quadrilateral between the edge and the equator (signed by direction).
    sum += 2 * Math.atan2(Math.tan(dl / 2) * (t1 + t2), 1 + t1 * t2);
    lon1 = lon2;
    t1 = t2;
  }
  return sum;
}

function planarArea(r: Ring): number {
  const x0 = r[0] as number;
  const y0 = r[1] as number;
  let s = 0;
  for (let i = 2; i + 2 < r.length; i += 2) {
    s += ((r[i] as number) - x0) * ((r[i + 3] as number) - y0) - ((r[i + 2] as number) - x0) * ((r[i + 1] as number) - y0);
  }
  return s / 2;
}

/** Insert evenly spaced points so that no segment is longer than `step` (in coordinate units). */
export function densify(r: Ring, step: number): Float64Array {
  if (!(step > 0) || !Number.isFinite(step)) return Float64Array.from(r);
  let n = 1;
  for (let i = 2; i < r.length; i += 2) {
    n += Math.max(1, Math.ceil(Math.hypot((r[i] as number) - (r[i - 2] as number), (r[i + 1] as number) - (r[i - 1] as number)) / step));
  }
  const out = new Float64Array(2 * n);
  out[0] = r[0] as number;
  out[1] = r[1] as number;
  let o = 2;
  for (let i = 2; i < r.length; i += 2) {
    const x0 = r[i - 2] as number, y0 = r[i - 1] as number, x1 = r[i] as number, y1 = r[i + 1] as number;
    const k = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
    for (let j = 1; j < k; j++) {
      out[o++] = x0 + ((x1 - x0) * j) / k;
      out[o++] = y0 + ((y1 - y0) * j) / k;
    }
    out[o++] = x1;
    out[o++] = y1;
  }
  return out;
}
