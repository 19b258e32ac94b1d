/**
 * Metres from coordinates. Projected CRS: planar, times the unit's metre factor. Lon/lat: snap distances use a
 * local equirectangular frame per query segment (scales from the ellipsoid's radii of curvature at the
 * segment's mid-latitude — exact to O((distance/R)²), i.e. below a micrometre at snap distances), and border
 * lengths are ellipsoidal geodesic lengths of each segment (Vincenty's inverse formula, 0.1 mm; within 0.9 µm of
 * GeographicLib on every China border edge and 2.8× faster, so kept: src/spatial/README.md).
 */
import type { CrsDef } from '../geo/crs.js';
import { isGeographicProj, projParams } from '../geo/proj-params.js';

const RAD = Math.PI / 180;

export interface Metric {
  readonly geographic: boolean;
  /** Ellipsoid semi-major axis (m) and first eccentricity squared (lon/lat only). */
  readonly a: number;
  readonly es: number;
  /** Metres per coordinate unit (projected only; 1 for lon/lat). */
  readonly toMeter: number;
}

export function metricOf(crs: CrsDef): Metric {
  const p = projParams(crs.proj4);
  const geographic = isGeographicProj(p);
  return { geographic, a: p.a, es: p.es, toMeter: geographic ? 1 : p.toMeter };
}

/** Metres per degree of longitude (kx) and latitude (ky) at latitude `lat` degrees. */
export function degreeScales(m: Metric, lat: number): { kx: number; ky: number } {
  const s = Math.sin(lat * RAD);
  const w = 1 - m.es * s * s;
  const n = m.a / Math.sqrt(w);
  const mer = (m.a * (1 - m.es)) / (w * Math.sqrt(w));
  return { kx: n * Math.cos(lat * RAD) * RAD, ky: mer * RAD };
}

/** Length in metres of the segment (x0,y0)→(x1,y1) in the metric's coordinates. */
export function segmentLengthM(m: Metric, x0: number, y0: number, x1: number, y1: number): number {
  if (!m.geographic) return Math.hypot(x1 - x0, y1 - y0) * m.toMeter;
  return vincentyInverse(m.a, m.es, y0, x0, y1, x1);
}

/** Vincenty (1975) inverse: ellipsoidal geodesic distance in metres between two lon/lat points (degrees). */
export function vincentyInverse(a: number, es: number, lat1: number, lon1: number, lat2: number, lon2: number): number {
  if (lat1 === lat2 && lon1 === lon2) return 0;
  const f = 1 - Math.sqrt(1 - es);
  const b = a * (1 - f);
  const L = (lon2 - lon1) * RAD;
  const U1 = Math.atan((1 - f) * Math.tan(lat1 * RAD));
  const U2 = Math.atan((1 - f) * Math.tan(lat2 * RAD));
  const sinU1 = Math.sin(U1),
    cosU1 = Math.cos(U1),
    sinU2 = Math.sin(U2),
    cosU2 = Math.cos(U2);
  let lambda = L;
  let sinSigma = 0,
    cosSigma = 0,
    sigma = 0,
    cos2Alpha = 0,
    cos2SigmaM = 0;
  for (let iter = 0; iter < 200; iter++) {
    const sinL = Math.sin(lambda),
      cosL = Math.cos(lambda);
    sinSigma = Math.hypot(cosU2 * sinL, cosU1 * sinU2 - sinU1 * cosU2 * cosL);
    if (sinSigma === 0) return 0;
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cos2Alpha : 0;
    const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - prev) < 1e-13) break;
  }
  const uSq = (cos2Alpha * (a * a - b * b)) / (b * b);
  const A = 1 + (uSq / 16384) * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
  const B = (uSq / 1024) * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
  const dSigma =
    B *
    sinSigma *
    (cos2SigmaM +
      (B / 4) * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
  return b * A * (sigma - dSigma);
}
