/**
 * Polygon area in km² for the zonal `area_km2` statistic.
 *
 * Geographic coordinates: the area on the CRS's ellipsoid of the polygon whose edges are ellipsoidal geodesics,
 * by GeographicLib (Karney 2013, `geographiclib-geodesic`): exact to round-off, the same algorithm as
 * terra::expanse and sf::st_area with s2 off (lwgeom). Checked against both in test/unit/vector-area.test.ts.
 * Projected coordinates: planar area when the projection is equal-area, else the vertices (edges densified to
 * 1 km) are taken back to lon/lat on the CRS's own ellipsoid and measured as above.
 */
import { createRequire } from 'node:module';
import type Geodesic from 'geographiclib-geodesic';
import proj4 from 'proj4';
import { NtlError } from '../errors.js';
import type { PolygonRings, Ring } from '../vector/types.js';
import type { CrsDef } from './crs.js';
import { isEqualAreaProj, isGeographicProj, projParams } from './proj-params.js';

export function geodesicAreaKm2(parts: readonly PolygonRings[], crs: CrsDef): number {
  const p = projParams(crs.proj4);
  if (isGeographicProj(p)) return ellipsoidalArea(parts, p.a, p.es) / 1e6;
  if (isEqualAreaProj(p)) return (partsArea(parts, (r) => Math.abs(planarArea(r))) * p.toMeter * p.toMeter) / 1e6;
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
  return (
    ellipsoidalArea(
      parts.map((rings) => rings.map(toLonLat)),
      p.a,
      p.es,
    ) / 1e6
  );
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
  const geod = geodesicOf(a, es);
  return partsArea(parts, (r) => ringArea(r, geod));
}

type Geod = InstanceType<typeof Geodesic.Geodesic.Geodesic>;

// geographiclib is required on first use, not imported: zonal statistics without area or weights never need it.
const require = createRequire(import.meta.url);
let geodesicLib: typeof Geodesic | undefined;
const geodesic = (): typeof Geodesic => (geodesicLib ??= require('geographiclib-geodesic') as typeof Geodesic);
let lastGeod: { a: number; es: number; geod: Geod } | null = null;

/** GeographicLib's solver for the ellipsoid (a, e²); the last one is kept (its set-up computes series coefficients). */
function geodesicOf(a: number, es: number): Geod {
  if (lastGeod === null || lastGeod.a !== a || lastGeod.es !== es) {
    lastGeod = { a, es, geod: new (geodesic().Geodesic.Geodesic)(a, 1 - Math.sqrt(1 - es)) };
  }
  return lastGeod.geod;
}

/** |area| in m² of one ring of lon/lat degrees (closing point optional); edges are geodesics. */
function ringArea(r: Ring, geod: Geod): number {
  let n = r.length / 2;
  if (n > 1 && r[0] === r[2 * n - 2] && r[1] === r[2 * n - 1]) n--;
  if (n < 3) return 0;
  const poly = geod.Polygon(false);
  for (let i = 0; i < n; i++) poly.AddPoint(r[2 * i + 1] as number, r[2 * i] as number);
  // sign = true: a clockwise ring gives minus its area (with false it would give the rest of the ellipsoid).
  return Math.abs(poly.Compute(false, true).area ?? 0);
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
    const x0 = r[i - 2] as number,
      y0 = r[i - 1] as number,
      x1 = r[i] as number,
      y1 = r[i + 1] as number;
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
