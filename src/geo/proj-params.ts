/**
 * What proj4js makes of a definition (proj4 string or WKT): the numeric parameters we compare and rebuild
 * proj4 strings from. proj4js keeps angles in radians and lengths in metres (or the CRS unit for x0/y0).
 */
import proj4 from 'proj4';

export interface ProjParams {
  readonly projName: string;
  readonly a: number;
  readonly es: number;
  readonly rf: number | undefined;
  readonly b: number;
  readonly lat0: number | undefined;
  readonly long0: number | undefined;
  readonly lat1: number | undefined;
  readonly lat2: number | undefined;
  readonly latTs: number | undefined;
  readonly x0: number | undefined;
  readonly y0: number | undefined;
  readonly k0: number | undefined;
  readonly zone: number | undefined;
  readonly utmSouth: boolean;
  readonly toMeter: number;
  readonly datumType: number;
  readonly datumParams: readonly number[];
  readonly fromGreenwich: number;
  readonly axis: string;
  readonly nadgrids: string | undefined;
}

interface RawProj {
  names?: readonly string[];
  projName?: string;
  a?: number;
  es?: number;
  rf?: number;
  b?: number;
  lat0?: number;
  long0?: number;
  lat1?: number;
  lat2?: number;
  lat_ts?: number;
  x0?: number;
  y0?: number;
  k0?: number;
  zone?: number;
  utmSouth?: boolean;
  to_meter?: number;
  units?: string;
  from_greenwich?: number;
  axis?: string;
  nadgrids?: string;
  datum?: { datum_type?: number; datum_params?: readonly number[] };
}

const SHORT_NAMES = new Set([
  'longlat',
  'aea',
  'lcc',
  'tmerc',
  'etmerc',
  'utm',
  'merc',
  'laea',
  'eqc',
  'cea',
  'sinu',
  'moll',
  'eqearth',
  'stere',
  'sterea',
  'omerc',
  'poly',
  'eqdc',
  'robin',
  'mill',
  'gnom',
  'ortho',
  'geos',
  'krovak',
  'somerc',
  'cass',
]);
const UNIT_TO_METER: Record<string, number> = { m: 1, km: 1000, ft: 0.3048, 'us-ft': 1200 / 3937, metre: 1, meter: 1 };

/** Parse with proj4js; throws (proj4's own message) when it cannot. */
export function projParams(def: string): ProjParams {
  const p = new proj4.Proj(def) as unknown as RawProj;
  if (typeof p.projName !== 'string' || !Number.isFinite(p.a)) throw new Error('no projection name or ellipsoid');
  // WKT gives long names ("Albers", "Gauss_Kruger"); the registry entry's names include the proj4 short name.
  const projName = (p.names ?? []).find((n) => SHORT_NAMES.has(n)) ?? p.projName;
  const geographic = projName === 'longlat' || projName === 'identity';
  const toMeter = geographic ? 1 : (p.to_meter ?? (p.units ? UNIT_TO_METER[p.units.toLowerCase()] : undefined) ?? 1);
  return {
    projName,
    a: p.a as number,
    es: p.es ?? 0,
    rf: p.rf,
    b: p.b ?? NaN,
    lat0: p.lat0,
    long0: p.long0,
    lat1: p.lat1,
    lat2: p.lat2,
    latTs: p.lat_ts,
    x0: p.x0,
    y0: p.y0,
    k0: p.k0,
    zone: p.zone,
    utmSouth: p.utmSouth === true,
    toMeter,
    datumType: p.datum?.datum_type ?? -1,
    datumParams: (p.datum?.datum_params ?? []).map(Number),
    fromGreenwich: p.from_greenwich ?? 0,
    axis: p.axis ?? 'enu',
    nadgrids: p.nadgrids,
  };
}

export function isGeographicProj(p: ProjParams): boolean {
  return p.projName === 'longlat' || p.projName === 'identity';
}

/** Projections that preserve area, so planar area in them is true area. */
const EQUAL_AREA = new Set(['aea', 'laea', 'cea', 'moll', 'sinu', 'eqearth']);
export function isEqualAreaProj(p: ProjParams): boolean {
  return EQUAL_AREA.has(p.projName);
}
