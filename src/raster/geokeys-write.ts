/**
 * CrsDef → GeoKeys for writing: an EPSG code when the CRS has one, else a user-defined geographic or
 * projected system spelled out from its proj4 parameters (the inverse of geokeys.ts), e.g. the
 * "WGS_1984_Albers" grid of the DMSP-like product.
 */
import { NtlError } from '../errors.js';
import type { CrsDef } from '../geo/crs.js';
import { KEY } from './geokeys.js';

export interface GeoKeyBlock {
  readonly directory: Uint16Array;
  readonly doubles: Float64Array | null;
  readonly ascii: string | null;
}

const USER = 32767;
const TRANSFORM_CODES: Record<string, number> = { tmerc: 1, utm: 1, merc: 7, lcc: 8, laea: 10, aea: 11, eqc: 17 };

function proj4Params(proj4: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const tok of proj4.trim().split(/\s+/)) {
    const t = tok.replace(/^\+/, '');
    const eq = t.indexOf('=');
    if (eq < 0) m.set(t, '');
    else m.set(t.slice(0, eq), t.slice(eq + 1));
  }
  return m;
}

export function geoKeysForCrs(crs: CrsDef | null, where: string): GeoKeyBlock {
  const keys: [number, number, number, number][] = [];
  const doubles: number[] = [];
  let ascii = '';
  const short = (k: number, v: number) => keys.push([k, 0, 1, v]);
  const dbl = (k: number, v: number) => {
    keys.push([k, 34736, 1, doubles.length]);
    doubles.push(v);
  };
  const text = (k: number, s: string) => {
    const t = `${s}|`;
    keys.push([k, 34737, t.length, ascii.length]);
    ascii += t;
  };
  short(KEY.GTRasterType, 1); // PixelIsArea
  if (crs === null) {
    // no CRS known: georeferenced but unlabelled, as the input was
  } else if (crs.epsg !== null) {
    short(KEY.GTModelType, crs.geographic ? 2 : 1);
    short(crs.geographic ? KEY.GeographicType : KEY.ProjectedCSType, crs.epsg);
  } else {
    const p = proj4Params(crs.proj4);
    const proj = p.get('proj') ?? '';
    const num = (k: string, d = 0) => (p.has(k) ? Number(p.get(k)) : d);
    const datum = p.get('datum');
    const ellps = p.get('ellps');
    const geogKeys = () => {
      if (datum === 'WGS84' || (ellps === 'WGS84' && !p.has('towgs84'))) short(KEY.GeographicType, 4326);
      else {
        short(KEY.GeographicType, USER);
        short(KEY.GeogGeodeticDatum, USER);
        const named: Record<string, number> = { GRS80: 7019, intl: 7022, krass: 7024, clrk66: 7008 };
        if (ellps && named[ellps]) short(KEY.GeogEllipsoid, named[ellps]);
        else if (p.has('a')) {
          short(KEY.GeogEllipsoid, USER);
          dbl(KEY.GeogSemiMajorAxis, num('a'));
          if (p.has('rf')) dbl(KEY.GeogInvFlattening, num('rf'));
          else dbl(KEY.GeogSemiMinorAxis, num('b', num('a')));
        } else throw unsupported(crs, where);
        short(KEY.GeogAngularUnits, 9102);
      }
    };
    if (proj === 'longlat' || proj === 'latlong') {
      short(KEY.GTModelType, 2);
      geogKeys();
      text(KEY.GTCitation, crs.label);
    } else {
      const ct = TRANSFORM_CODES[proj];
      if (ct === undefined) throw unsupported(crs, where);
      short(KEY.GTModelType, 1);
      text(KEY.GTCitation, crs.label);
      geogKeys();
      short(KEY.ProjectedCSType, USER);
      if (proj === 'utm') {
        const zone = num('zone');
        short(KEY.Projection, (p.has('south') ? 16100 : 16000) + zone);
      } else {
        short(KEY.Projection, USER);
        short(KEY.ProjCoordTrans, ct);
        const units = p.get('units') ?? 'm';
        if (units !== 'm') throw unsupported(crs, where);
        short(KEY.ProjLinearUnits, 9001);
        if (proj === 'aea' || proj === 'lcc') {
          dbl(KEY.ProjStdParallel1, num('lat_1'));
          dbl(KEY.ProjStdParallel2, num('lat_2', num('lat_1')));
          dbl(KEY.ProjFalseOriginLong, num('lon_0'));
          dbl(KEY.ProjFalseOriginLat, num('lat_0'));
          dbl(KEY.ProjFalseOriginEasting, num('x_0'));
          dbl(KEY.ProjFalseOriginNorthing, num('y_0'));
        } else {
          if (proj === 'merc' && p.has('lat_ts')) dbl(KEY.ProjStdParallel1, num('lat_ts'));
          dbl(KEY.ProjNatOriginLong, num('lon_0'));
          dbl(KEY.ProjNatOriginLat, num('lat_0'));
          dbl(KEY.ProjFalseEasting, num('x_0'));
          dbl(KEY.ProjFalseNorthing, num('y_0'));
          if (proj === 'tmerc' || proj === 'merc') dbl(KEY.ProjScaleAtNatOrigin, num('k', num('k_0', 1)));
        }
      }
    }
  }
  keys.sort((a, b) => a[0] - b[0]);
  const directory = new Uint16Array(4 + 4 * keys.length);
  directory.set([1, 1, 0, keys.length]);
  keys.forEach((k, i) => directory.set(k, 4 + 4 * i));
  return { directory, doubles: doubles.length ? Float64Array.from(doubles) : null, ascii: ascii || null };
}

function unsupported(crs: CrsDef, where: string): NtlError {
  return new NtlError(
    `cannot write the CRS of ${where} (${crs.label}: ${crs.proj4}) as GeoTIFF keys; supported: EPSG codes, longlat, ` +
      'Albers, Lambert conformal/azimuthal, transverse Mercator/UTM, Mercator, equirectangular in metres. Reproject the input first (gdalwarp -t_srs EPSG:4326).',
  );
}
