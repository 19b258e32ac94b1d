/**
 * The few EPSG codes we know by heart (no PROJ database in the browser-free proj4js world).
 * Definitions are the ones `gdalsrsinfo -o proj4 EPSG:n` prints (GDAL 3.6), so transforms agree with GDAL.
 */

/** proj4 definition for an EPSG code, or null when the code is not built in. */
export function epsgToProj4(code: number): string | null {
  if (code === 4326) return '+proj=longlat +datum=WGS84 +no_defs';
  // CGCS2000 (China Geodetic Coordinate System 2000): GRS80 ellipsoid, coincides with WGS84 to ~cm.
  if (code === 4490) return '+proj=longlat +ellps=GRS80 +no_defs';
  if (code === 3857) {
    return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs';
  }
  if (code >= 32601 && code <= 32660) return `+proj=utm +zone=${code - 32600} +datum=WGS84 +units=m +no_defs`;
  if (code >= 32701 && code <= 32760) return `+proj=utm +zone=${code - 32700} +south +datum=WGS84 +units=m +no_defs`;
  // CGCS2000 Gauss-Kruger families (common in Chinese statistical yearbook shapefiles).
  if (code >= 4491 && code <= 4501) return gk(6 * (code - 4491 + 13) - 3, (code - 4491 + 13) * 1e6 + 5e5);
  if (code >= 4502 && code <= 4512) return gk(75 + 6 * (code - 4502), 5e5);
  if (code >= 4513 && code <= 4533) return gk(3 * (code - 4513 + 25), (code - 4513 + 25) * 1e6 + 5e5);
  if (code >= 4534 && code <= 4554) return gk(75 + 3 * (code - 4534), 5e5);
  return null;
}

function gk(lon0: number, x0: number): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}

/** Short human name for a built-in code. */
export function epsgLabel(code: number): string {
  if (code === 4326) return 'EPSG:4326 (WGS 84)';
  if (code === 4490) return 'EPSG:4490 (CGCS2000)';
  if (code === 3857) return 'EPSG:3857 (WGS 84 / Pseudo-Mercator)';
  if (code >= 32601 && code <= 32660) return `EPSG:${code} (WGS 84 / UTM zone ${code - 32600}N)`;
  if (code >= 32701 && code <= 32760) return `EPSG:${code} (WGS 84 / UTM zone ${code - 32700}S)`;
  if (code >= 4491 && code <= 4554) return `EPSG:${code} (CGCS2000 / Gauss-Kruger)`;
  return `EPSG:${code}`;
}
