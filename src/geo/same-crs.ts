/** Do two CRS definitions describe the same coordinate system? Compares what proj4js parses, not the text. */
import type { CrsDef } from './types.js';
import { projParams, type ProjParams } from './proj-params.js';

const ANGLE_TOL = 1e-12; // radians (~6 µm on the ground)
const LEN_TOL = 1e-6; // metres
const REL_TOL = 1e-12;

export function sameCrs(a: CrsDef, b: CrsDef): boolean {
  if (a === b || a.proj4 === b.proj4) return true;
  if (a.epsg !== null && b.epsg !== null && a.epsg === b.epsg) return true;
  let pa: ProjParams;
  let pb: ProjParams;
  try {
    pa = projParams(a.proj4);
    pb = projParams(b.proj4);
  } catch {
    return false;
  }
  return sameParams(pa, pb);
}

/** utm/etmerc/tmerc all end up as transverse Mercator with derived long0/x0/y0/k0. */
function family(name: string): string {
  if (name === 'utm' || name === 'etmerc' || name === 'tmerc') return 'tmerc';
  if (name === 'identity') return 'longlat';
  return name;
}

export function sameParams(a: ProjParams, b: ProjParams): boolean {
  if (family(a.projName) !== family(b.projName)) return false;
  if (!near(a.a, b.a, LEN_TOL) || !near(a.es, b.es, REL_TOL, true)) return false;
  if (a.axis !== b.axis || !near(a.fromGreenwich, b.fromGreenwich, ANGLE_TOL)) return false;
  if (!sameDatum(a, b)) return false;
  if (family(a.projName) === 'longlat') return true;
  // Standard parallels only mean something for the conics; WKT parsers fill them in for others.
  const conic = a.projName === 'aea' || a.projName === 'lcc' || a.projName === 'eqdc';
  return (
    nearOpt(a.lat0, b.lat0, 0, ANGLE_TOL) &&
    nearOpt(a.long0, b.long0, 0, ANGLE_TOL) &&
    (!conic || (nearOpt(a.lat1, b.lat1, undefined, ANGLE_TOL) && nearOpt(a.lat2, b.lat2, undefined, ANGLE_TOL))) &&
    nearOpt(a.latTs, b.latTs, 0, ANGLE_TOL) &&
    nearOpt(a.x0, b.x0, 0, LEN_TOL) &&
    nearOpt(a.y0, b.y0, 0, LEN_TOL) &&
    nearOpt(a.k0, b.k0, 1, REL_TOL) &&
    near(a.toMeter, b.toMeter, REL_TOL, true)
  );
}

function sameDatum(a: ProjParams, b: ProjParams): boolean {
  if ((a.nadgrids ?? '') !== (b.nadgrids ?? '')) return false;
  const pa = padParams(a.datumParams);
  const pb = padParams(b.datumParams);
  return pa.every((v, i) => near(v, pb[i] as number, 1e-9));
}

function padParams(p: readonly number[]): number[] {
  const out = [0, 0, 0, 0, 0, 0, 0];
  p.forEach((v, i) => {
    if (i < 7) out[i] = Number.isFinite(v) ? v : 0;
  });
  return out;
}

/** Absolute tolerance for angles and lengths; relative (to max(1,|x|)) for a, es, k0 and unit factors. */
function near(x: number, y: number, tol: number, relative = false): boolean {
  const scale = relative ? Math.max(1, Math.abs(x), Math.abs(y)) : 1;
  return x === y || Math.abs(x - y) <= tol * scale;
}

function nearOpt(x: number | undefined, y: number | undefined, dflt: number | undefined, tol: number): boolean {
  const xv = x ?? dflt;
  const yv = y ?? dflt;
  if (xv === undefined || yv === undefined) return xv === yv;
  return near(xv, yv, tol);
}
