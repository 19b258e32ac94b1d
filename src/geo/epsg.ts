/**
 * The one EPSG table: the codes we can turn into proj4 strings without a PROJ database (the ones night-light
 * work meets). Both paths read it: a GeoTIFF's GeoKeys (src/raster/geokeys.ts) and what users and files say
 * (`--zones-crs EPSG:n`, .prj WKT with an EPSG authority; src/geo/parse-crs.ts), so a code that opens in one
 * opens in the other. Strings are spelled as GDAL/PROJ export them (`gdalsrsinfo -o proj4 EPSG:n`, GDAL 3.6;
 * checked in test/e2e/raster-units.test.ts against test/fixtures/raster/manifest.json).
 */
import type { CrsDef } from './types.js';

export interface EpsgEntry {
  readonly proj4: string;
  readonly geographic: boolean;
  readonly name: string;
}

const GEOGRAPHIC: Readonly<Record<number, EpsgEntry>> = {
  4326: { proj4: '+proj=longlat +datum=WGS84 +no_defs', geographic: true, name: 'WGS 84' },
  // CGCS2000 (China Geodetic Coordinate System 2000): GRS80 ellipsoid, coincides with WGS84 to ~cm.
  4490: { proj4: '+proj=longlat +ellps=GRS80 +no_defs', geographic: true, name: 'China Geodetic Coordinate System 2000' },
  4269: { proj4: '+proj=longlat +datum=NAD83 +no_defs', geographic: true, name: 'NAD83' },
  4258: { proj4: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs', geographic: true, name: 'ETRS89' },
};

const CGCS = '+ellps=GRS80 +units=m +no_defs';

/** The built-in definition of an EPSG code, or null when the code is not built in. */
export function epsgEntry(code: number): EpsgEntry | null {
  const g = GEOGRAPHIC[code];
  if (g) return g;
  if (code === 3857) {
    return {
      proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
      geographic: false,
      name: 'WGS 84 / Pseudo-Mercator',
    };
  }
  if ((code > 32600 && code <= 32660) || (code > 32700 && code <= 32760)) {
    const zone = code % 100;
    const south = code > 32700;
    return {
      proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`,
      geographic: false,
      name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`,
    };
  }
  // CGCS2000 Gauss-Kruger families (EPSG 4491-4554; common in Chinese statistical yearbook shapefiles).
  const tm = (lon0: number, x0: number, name: string): EpsgEntry => ({
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 ${CGCS}`,
    geographic: false,
    name: `CGCS2000 / ${name}`,
  });
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4491 + 13;
    return tm(6 * zone - 3, zone * 1e6 + 500000, `Gauss-Kruger zone ${zone}`);
  }
  if (code >= 4502 && code <= 4512) {
    const lon0 = 75 + 6 * (code - 4502);
    return tm(lon0, 500000, `Gauss-Kruger CM ${lon0}E`);
  }
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4513 + 25;
    return tm(3 * zone, zone * 1e6 + 500000, `3-degree Gauss-Kruger zone ${zone}`);
  }
  if (code >= 4534 && code <= 4554) {
    const lon0 = 75 + 3 * (code - 4534);
    return tm(lon0, 500000, `3-degree Gauss-Kruger CM ${lon0}E`);
  }
  return null;
}

/** The codes of the table in words, for "not built in" messages. */
export const EPSG_CODES_TEXT = '4326, 4490, 4269, 4258, 3857, UTM 32601-32660/32701-32760, CGCS2000 Gauss-Kruger 4491-4554';

/** proj4 definition for an EPSG code, or null when the code is not built in. */
export function epsgToProj4(code: number): string | null {
  return epsgEntry(code)?.proj4 ?? null;
}

/** "EPSG:4490 (China Geodetic Coordinate System 2000)": the label of a built-in code (GeoTIFF and user paths alike). */
export function epsgLabel(code: number): string {
  const e = epsgEntry(code);
  return e ? `EPSG:${code} (${e.name})` : `EPSG:${code}`;
}

/** The CrsDef of a built-in EPSG code (the lookup both the GeoTIFF and the --zones-crs paths use), or null. */
export function epsgCrs(code: number): CrsDef | null {
  const e = epsgEntry(code);
  return e ? { proj4: e.proj4, epsg: code, geographic: e.geographic, label: epsgLabel(code) } : null;
}
