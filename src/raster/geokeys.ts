/**
 * GeoKeys (GeoTIFF 1.0/1.1) → CrsDef. EPSG codes come from the small table in epsg.ts; user-defined
 * projected systems (ProjectedCSType 32767) are assembled into a proj4 string from the projection keys,
 * e.g. the "WGS_1984_Albers" grid that MATLAB/ArcGIS write.
 */
import { NtlError } from '../errors.js';
import type { CrsDef } from '../geo/crs.js';
import { EPSG_CODES_TEXT, epsgCrs, epsgEntry } from '../geo/epsg.js';

export const KEY = {
  GTModelType: 1024,
  GTRasterType: 1025,
  GTCitation: 1026,
  GeographicType: 2048,
  GeogCitation: 2049,
  GeogGeodeticDatum: 2050,
  GeogLinearUnits: 2052,
  GeogAngularUnits: 2054,
  GeogEllipsoid: 2056,
  GeogSemiMajorAxis: 2057,
  GeogSemiMinorAxis: 2058,
  GeogInvFlattening: 2059,
  GeogPrimeMeridianLong: 2061,
  ProjectedCSType: 3072,
  PCSCitation: 3073,
  Projection: 3074,
  ProjCoordTrans: 3075,
  ProjLinearUnits: 3076,
  ProjLinearUnitSize: 3077,
  ProjStdParallel1: 3078,
  ProjStdParallel2: 3079,
  ProjNatOriginLong: 3080,
  ProjNatOriginLat: 3081,
  ProjFalseEasting: 3082,
  ProjFalseNorthing: 3083,
  ProjFalseOriginLong: 3084,
  ProjFalseOriginLat: 3085,
  ProjFalseOriginEasting: 3086,
  ProjFalseOriginNorthing: 3087,
  ProjCenterLong: 3088,
  ProjCenterLat: 3089,
  ProjCenterEasting: 3090,
  ProjCenterNorthing: 3091,
  ProjScaleAtNatOrigin: 3092,
  ProjScaleAtCenter: 3093,
} as const;

export type GeoKeyValue = number | number[] | string;

/** Parse GeoKeyDirectory + its double/ascii parameter tags into key → value. */
export function parseGeoKeys(dir: Float64Array, doubles?: Float64Array, ascii?: string): Map<number, GeoKeyValue> {
  const keys = new Map<number, GeoKeyValue>();
  const n = dir[3];
  for (let i = 0; i < n; i++) {
    const k = 4 + 4 * i;
    if (k + 3 >= dir.length) break;
    const id = dir[k],
      loc = dir[k + 1],
      count = dir[k + 2],
      off = dir[k + 3];
    if (loc === 0) keys.set(id, off);
    else if (loc === 34736 && doubles) {
      const v = Array.from(doubles.subarray(off, off + count));
      keys.set(id, v.length === 1 ? v[0] : v);
    } else if (loc === 34737 && ascii !== undefined) {
      keys.set(id, ascii.slice(off, off + count).replace(/[|\0]+$/, ''));
    }
  }
  return keys;
}

const USER_DEFINED = 32767;

function num(keys: Map<number, GeoKeyValue>, id: number): number | undefined {
  const v = keys.get(id);
  return typeof v === 'number' ? v : Array.isArray(v) ? v[0] : undefined;
}

/** proj4 datum/ellipsoid part of a user-defined geographic system. */
function datumPart(keys: Map<number, GeoKeyValue>, path: string): string {
  const geog = num(keys, KEY.GeographicType);
  if (geog !== undefined && geog !== USER_DEFINED) {
    const e = epsgEntry(geog);
    if (!e || !e.geographic) throw unknownEpsg(geog, path);
    return e.proj4.replace('+proj=longlat ', '').replace(' +no_defs', '');
  }
  const datum = num(keys, KEY.GeogGeodeticDatum);
  if (datum === 6326) return '+datum=WGS84';
  if (datum === 6269) return '+datum=NAD83';
  if (datum === 6490 || datum === 6258) return '+ellps=GRS80';
  const ell = num(keys, KEY.GeogEllipsoid);
  const named: Record<number, string> = { 7030: 'WGS84', 7019: 'GRS80', 7044: 'GRS80', 7022: 'intl', 7024: 'krass', 7008: 'clrk66' };
  if (ell !== undefined && named[ell]) return `+ellps=${named[ell]}`;
  const a = num(keys, KEY.GeogSemiMajorAxis);
  const rf = num(keys, KEY.GeogInvFlattening);
  const b = num(keys, KEY.GeogSemiMinorAxis);
  if (a !== undefined && rf !== undefined) return rf === 0 ? `+a=${a} +b=${a}` : `+a=${a} +rf=${rf}`;
  if (a !== undefined && b !== undefined) return `+a=${a} +b=${b}`;
  return '+datum=WGS84'; // GeoTIFF default when nothing is said
}

function unknownEpsg(code: number, path: string): NtlError {
  return new NtlError(
    `${path} uses EPSG:${code}, which this tool cannot convert without a PROJ database (built in: ${EPSG_CODES_TEXT}). ` +
      'Reproject the raster, e.g. gdalwarp -t_srs EPSG:4326 in.tif out.tif, or to a UTM / CGCS2000 Gauss-Kruger zone.',
  );
}

/** CrsDef from GeoKeys; null when the file has no CRS keys at all. */
export function crsFromGeoKeys(keys: Map<number, GeoKeyValue>, path: string): CrsDef | null {
  const model = num(keys, KEY.GTModelType);
  const pcs = num(keys, KEY.ProjectedCSType);
  const geog = num(keys, KEY.GeographicType);
  const citation = [KEY.PCSCitation, KEY.GTCitation, KEY.GeogCitation]
    .map((k) => keys.get(k))
    .find((v): v is string => typeof v === 'string' && v !== '' && v.toLowerCase() !== 'unknown');

  if (pcs !== undefined && pcs !== USER_DEFINED) {
    const crs = epsgCrs(pcs);
    if (!crs) throw unknownEpsg(pcs, path);
    return crs;
  }
  if (model === 1 || pcs === USER_DEFINED || keys.has(KEY.ProjCoordTrans)) {
    const proj4 = userProjected(keys, path);
    const label = typeof citation === 'string' && citation ? citation : 'user-defined projection';
    return { proj4, epsg: null, geographic: false, label };
  }
  if (geog !== undefined && geog !== USER_DEFINED) {
    const crs = epsgCrs(geog);
    if (!crs) throw unknownEpsg(geog, path);
    return { ...crs, geographic: true };
  }
  if (model === 2 || geog === USER_DEFINED || keys.has(KEY.GeogGeodeticDatum) || keys.has(KEY.GeogEllipsoid)) {
    const d = datumPart(keys, path);
    return { proj4: `+proj=longlat ${d} +no_defs`, epsg: null, geographic: true, label: citation || 'user-defined geographic' };
  }
  return null;
}

const TRANSFORMS: Record<number, string> = {
  1: 'Transverse Mercator',
  7: 'Mercator',
  8: 'Lambert conformal conic (2SP)',
  9: 'Lambert conformal conic (1SP)',
  10: 'Lambert azimuthal equal area',
  11: 'Albers equal area',
  17: 'Equirectangular',
};

function userProjected(keys: Map<number, GeoKeyValue>, path: string): string {
  // ProjectionGeoKey may name an EPSG conversion instead of spelling out parameters: UTM zones
  // (16001-16060 north, 16101-16160 south), as GDAL writes for a UTM projection on a non-WGS84 datum.
  const projection = num(keys, KEY.Projection);
  if (projection !== undefined && ((projection > 16000 && projection <= 16060) || (projection > 16100 && projection <= 16160))) {
    const zone = projection % 100;
    return `+proj=utm +zone=${zone}${projection > 16100 ? ' +south' : ''} ${datumPart(keys, path)} +units=m +no_defs`;
  }
  const ct = num(keys, KEY.ProjCoordTrans);
  if (ct === undefined || !TRANSFORMS[ct]) {
    throw new NtlError(
      `${path} has a user-defined projection with ProjCoordTransGeoKey=${ct ?? 'missing'}, which is not supported ` +
        `(supported: ${Object.values(TRANSFORMS).join(', ')}). Reproject it, e.g. gdalwarp -t_srs EPSG:4326 in.tif out.tif.`,
    );
  }
  const angular = num(keys, KEY.GeogAngularUnits);
  const deg = (v: number | undefined) => (v === undefined ? undefined : angular === 9101 ? (v * 180) / Math.PI : v);
  const linear = num(keys, KEY.ProjLinearUnits);
  const unitSize =
    linear === 9002 ? 0.3048 : linear === 9003 ? 1200 / 3937 : linear === 9001 || linear === undefined ? 1 : (num(keys, KEY.ProjLinearUnitSize) ?? 1);
  const units = linear === 9002 ? '+units=ft' : linear === 9003 ? '+units=us-ft' : unitSize === 1 ? '+units=m' : `+to_meter=${unitSize}`;
  const first = (...ids: number[]) => {
    for (const id of ids) {
      const v = num(keys, id);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const lat0 = deg(first(KEY.ProjNatOriginLat, KEY.ProjFalseOriginLat, KEY.ProjCenterLat)) ?? 0;
  const lon0 = deg(first(KEY.ProjNatOriginLong, KEY.ProjFalseOriginLong, KEY.ProjCenterLong)) ?? 0;
  // false easting/northing are in the projection's linear unit; proj4 wants metres
  const x0 = (first(KEY.ProjFalseEasting, KEY.ProjFalseOriginEasting, KEY.ProjCenterEasting) ?? 0) * unitSize;
  const y0 = (first(KEY.ProjFalseNorthing, KEY.ProjFalseOriginNorthing, KEY.ProjCenterNorthing) ?? 0) * unitSize;
  const k = first(KEY.ProjScaleAtNatOrigin, KEY.ProjScaleAtCenter) ?? 1;
  const sp1 = deg(num(keys, KEY.ProjStdParallel1));
  const sp2 = deg(num(keys, KEY.ProjStdParallel2));
  let p: string;
  switch (ct) {
    case 1:
      p = `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k}`;
      break;
    case 7:
      p = sp1 !== undefined ? `+proj=merc +lon_0=${lon0} +lat_ts=${sp1}` : `+proj=merc +lon_0=${lon0} +k=${k}`;
      break;
    case 8:
      p = `+proj=lcc +lat_0=${lat0} +lon_0=${lon0} +lat_1=${sp1 ?? lat0} +lat_2=${sp2 ?? sp1 ?? lat0}`;
      break;
    case 9:
      p = `+proj=lcc +lat_1=${lat0} +lat_0=${lat0} +lon_0=${lon0} +k_0=${k}`;
      break;
    case 10:
      p = `+proj=laea +lat_0=${lat0} +lon_0=${lon0}`;
      break;
    case 11:
      p = `+proj=aea +lat_0=${lat0} +lon_0=${lon0} +lat_1=${sp1 ?? 0} +lat_2=${sp2 ?? 0}`;
      break;
    default:
      p = `+proj=eqc +lat_ts=${sp1 ?? 0} +lat_0=${lat0} +lon_0=${lon0}`;
      break;
  }
  return `${p} +x_0=${x0} +y_0=${y0} ${datumPart(keys, path)} ${units} +no_defs`;
}
