/**
 * Turn what users and files say about a CRS (.prj WKT, "EPSG:4326", proj4 strings, GeoJSON crs names)
 * into a CrsDef. Well-known systems get their EPSG code and GDAL's proj4 definition; anything else goes
 * through proj4js's WKT parser.
 */
import { NtlError } from '../errors.js';
import { WGS84, type CrsDef } from './crs.js';
import { EPSG_CODES_TEXT, epsgCrs } from './epsg.js';
import { isGeographicProj, projParams, type ProjParams } from './proj-params.js';
import { sameParams } from './same-crs.js';

export function crsFromEpsg(code: number, where = ''): CrsDef {
  const crs = epsgCrs(code);
  if (crs === null) {
    throw new NtlError(
      `EPSG:${code}${where ? ` (${where})` : ''} is not one of the built-in codes (${EPSG_CODES_TEXT}); ` +
        `pass its proj4 string or WKT instead, e.g. from \`gdalsrsinfo -o proj4 EPSG:${code}\``,
    );
  }
  return code === 4326 ? WGS84 : crs;
}

/** The --zones-crs value: "EPSG:n", "n", a proj4 string, WKT, or an OGC CRS URN/CRS84 name. */
export function crsFromUserString(s: string): CrsDef {
  const text = s.trim();
  if (text === '') throw new NtlError('the CRS is empty; pass e.g. --zones-crs EPSG:4326, a proj4 string, or WKT');
  const code = epsgCodeFromName(text);
  if (code !== null) return crsFromEpsg(code);
  if (text.startsWith('+')) return crsFromProj4(text, `"${text}"`);
  if (/^[A-Z_]+\s*\[/i.test(text)) return crsFromWkt(text, 'the --zones-crs WKT');
  throw new NtlError(`cannot read the CRS "${text}": pass an EPSG code (EPSG:4326), a proj4 string (+proj=...) or WKT`);
}

/**
 * CRS names as GeoJSON's legacy `crs` member and users write them: EPSG:4326, 4326,
 * urn:ogc:def:crs:EPSG::4326, urn:ogc:def:crs:OGC:1.3:CRS84, CRS84, http://www.opengis.net/def/crs/EPSG/0/4326.
 */
export function epsgCodeFromName(name: string): number | null {
  const t = name.trim();
  if (/^(urn:ogc:def:crs:OGC:(1\.3)?:)?CRS84$/i.test(t) || /opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84$/i.test(t)) return 4326;
  const m = /^(?:EPSG:|urn:ogc:def:crs:EPSG:[\d.]*:)(\d+)$/i.exec(t) ?? /^(\d{4,6})$/.exec(t) ?? /opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(t);
  return m ? Number(m[1]) : null;
}

/** A .prj file's WKT (ESRI or OGC WKT1, or WKT2). `prjPath` is named in errors. */
export function crsFromPrj(wkt: string, prjPath = 'the .prj file'): CrsDef {
  const text = wkt.replace(/^\uFEFF/, '').trim();
  if (text === '') throw unreadablePrj(prjPath, 'it is empty');
  return crsFromWkt(text, prjPath);
}

function crsFromWkt(text: string, where: string): CrsDef {
  const root = /^\s*([A-Z_]+)\s*\[\s*"([^"]*)"/i.exec(text);
  const kind = root?.[1]?.toUpperCase() ?? '';
  const name = root?.[2] ?? '';
  const code = rootEpsgCode(text);
  if (code !== null && epsgCrs(code) !== null) return crsFromEpsg(code);

  let p: ProjParams;
  try {
    // Vector files store x = east, y = north whatever the WKT's AXIS order says (as GDAL treats them).
    p = { ...projParams(text), axis: 'enu' };
  } catch (e) {
    throw unreadablePrj(where, `proj4 cannot parse it (${(e as Error).message ?? e})`);
  }
  const geographic = isGeographicProj(p) || kind.startsWith('GEOG');
  const wellKnown = wellKnownCode(name, p, geographic);
  if (wellKnown !== null) return crsFromEpsg(wellKnown);
  const rebuilt = proj4StringFromParams(p);
  return {
    // proj4js accepts WKT as a definition too, so an unrebuildable one is kept verbatim.
    proj4: rebuilt ?? text,
    epsg: code,
    geographic,
    label: name || (code !== null ? `EPSG:${code}` : kind || 'custom CRS'),
  };
}

function crsFromProj4(text: string, where: string): CrsDef {
  let p: ProjParams;
  try {
    p = projParams(text);
  } catch (e) {
    throw new NtlError(`cannot read the proj4 string ${where}: ${(e as Error).message ?? e}`);
  }
  const geographic = isGeographicProj(p);
  const wgs = projParams(WGS84.proj4);
  if (geographic && sameParams(p, wgs)) return WGS84;
  return { proj4: text, epsg: null, geographic, label: text.length > 60 ? `${text.slice(0, 57)}...` : text };
}

/** EPSG authority of the WKT's root element (the last AUTHORITY/ID before the final bracket). */
function rootEpsgCode(text: string): number | null {
  const m = /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(text) ?? /\bID\s*\[\s*"EPSG"\s*,\s*(\d+)\s*(?:,[^\]]*)?\]\s*\]\s*$/i.exec(text);
  return m ? Number(m[1]) : null;
}

const WGS84_A = 6378137;
const WGS84_RF = 298.257223563;
const GRS80_RF = 298.257222101;

/** Recognise WGS84 / CGCS2000 geographic, WGS84 UTM and Web Mercator by name and ellipsoid. */
function wellKnownCode(name: string, p: ProjParams, geographic: boolean): number | null {
  const ellipsoidIs = (rf: number): boolean => p.a === WGS84_A && p.rf !== undefined && Math.abs(p.rf - rf) < 1e-9;
  const noShift = p.datumParams.every((v) => v === 0 || !Number.isFinite(v));
  if (geographic && p.fromGreenwich === 0) {
    if (ellipsoidIs(WGS84_RF) && noShift) return 4326;
    if (ellipsoidIs(GRS80_RF) && /CGCS.?2000|China.?Geodetic.?Coordinate.?System.?2000/i.test(name)) return 4490;
    return null;
  }
  const utm = /WGS[ _]?(?:19)?84[ _/]+UTM[ _]zone[ _](\d{1,2})([NS])/i.exec(name);
  if (utm && ellipsoidIs(WGS84_RF)) {
    const zone = Number(utm[1]);
    if (zone >= 1 && zone <= 60) return (utm[2]?.toUpperCase() === 'N' ? 32600 : 32700) + zone;
  }
  if (/Pseudo[-_ ]?Mercator|Web[_ ]Mercator/i.test(name) && p.a === WGS84_A) return 3857;
  return null;
}

const D = 180 / Math.PI;
const REBUILDABLE = new Set(['longlat', 'aea', 'lcc', 'tmerc', 'etmerc', 'merc', 'laea', 'eqc', 'cea', 'sinu', 'moll']);

/** A proj4 string equivalent to the parsed parameters, or null when we cannot be sure it is. */
export function proj4StringFromParams(p: ProjParams): string | null {
  if (!REBUILDABLE.has(p.projName) || p.nadgrids !== undefined || p.axis !== 'enu' || p.fromGreenwich !== 0) return null;
  const parts = [`+proj=${p.projName === 'etmerc' ? 'tmerc' : p.projName}`];
  const deg = (v: number | undefined, key: string): void => {
    if (v !== undefined && Number.isFinite(v)) parts.push(`+${key}=${Number((v * D).toPrecision(15))}`);
  };
  const num = (v: number | undefined, key: string): void => {
    if (v !== undefined && Number.isFinite(v)) parts.push(`+${key}=${v}`);
  };
  if (p.projName !== 'longlat') {
    deg(p.lat0, 'lat_0');
    deg(p.long0, 'lon_0');
    deg(p.lat1, 'lat_1');
    deg(p.lat2, 'lat_2');
    deg(p.latTs, 'lat_ts');
    num(p.k0, 'k_0');
    num(p.x0, 'x_0');
    num(p.y0, 'y_0');
  }
  parts.push(`+a=${p.a}`);
  if (p.rf !== undefined && Number.isFinite(p.rf) && p.rf > 0) parts.push(`+rf=${p.rf}`);
  else parts.push(`+b=${p.b}`);
  const shift = p.datumParams.map((v) => (Number.isFinite(v) ? v : 0));
  if (shift.length === 3 || shift.length === 7) parts.push(`+towgs84=${shift.join(',')}`);
  if (p.projName !== 'longlat') parts.push(`+to_meter=${p.toMeter}`);
  parts.push('+no_defs');
  const s = parts.join(' ');
  try {
    return sameParams(projParams(s), p) ? s : null;
  } catch {
    return null;
  }
}

function unreadablePrj(where: string, why: string): NtlError {
  return new NtlError(
    `cannot read the coordinate system in ${where}: ${why}; pass it explicitly with --zones-crs ` + '(e.g. --zones-crs EPSG:4326, a proj4 string or WKT)',
  );
}
