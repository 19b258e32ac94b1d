/**
 * "Every zone came out empty" is never a result: it means the inputs do not meet (zones elsewhere, x/y swapped,
 * a wrong CRS label) or the raster holds nothing but no-data there. `assertNotAllEmpty` turns that into one error
 * that prints the raster's and the zones' extents in the same CRS and the likely cause. Callers that expect it
 * (`--allow-empty`) skip the check.
 */
import proj4 from 'proj4';
import { NtlError } from '../errors.js';
import { WGS84, type CrsDef } from '../geo/crs.js';
import type { RasterInfo } from '../raster/types.js';
import type { Zone } from '../vector/types.js';
import type { ZonalResult } from '../zonal/types.js';

export interface Extent {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export interface EmptyCheckInput {
  readonly result: ZonalResult;
  readonly raster: RasterInfo;
  readonly rasterCrs: CrsDef;
  /** The zones as read (their own CRS) and in the raster's CRS. */
  readonly zonesPath: string;
  readonly zonesCrs: CrsDef;
  readonly zonesOwn: readonly Zone[];
  readonly zonesInRaster: readonly Zone[];
  /** What the message starts with, e.g. "series viirs, year 2015, file data/x.tif"; empty for none. */
  readonly where: string;
  /** How to accept empty rows anyway, e.g. "pass --allow-empty"; null when there is no such switch. */
  readonly allowHint: string | null;
  /** How to count no-data as zero here; default "pass --nodata-as-zero". */
  readonly nodataHint?: string;
}

export function rasterExtent(info: RasterInfo): Extent {
  const [x0, pw, , y0, , ph] = info.geoTransform;
  const x1 = x0 + pw * info.width,
    y1 = y0 + ph * info.height;
  return { minX: Math.min(x0, x1), maxX: Math.max(x0, x1), minY: Math.min(y0, y1), maxY: Math.max(y0, y1) };
}

export function zonesExtent(zones: readonly Zone[]): Extent | null {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const z of zones) {
    for (const p of z.parts) {
      for (const r of p) {
        for (let i = 0; i < r.length; i += 2) {
          const x = r[i] as number,
            y = r[i + 1] as number;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
  }
  return Number.isFinite(minX) ? { minX, minY, maxX, maxY } : null;
}

const overlaps = (a: Extent, b: Extent): boolean => a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;
const swapped = (e: Extent): Extent => ({ minX: e.minY, maxX: e.maxY, minY: e.minX, maxY: e.maxX });
/** Coordinates that can be longitude/latitude in degrees. */
const degreeLike = (e: Extent): boolean => e.minX >= -360 && e.maxX <= 360 && e.minY >= -90 && e.maxY <= 90;

/** An extent in one number format: 4 decimals for degree-sized numbers, fewer for metres. */
export function showExtent(e: Extent): string {
  const big = Math.max(Math.abs(e.minX), Math.abs(e.maxX), Math.abs(e.minY), Math.abs(e.maxY));
  const d = big >= 1e4 ? 0 : big >= 1000 ? 1 : 4;
  const f = (v: number): string => v.toFixed(d);
  return `x ${f(e.minX)} to ${f(e.maxX)}, y ${f(e.minY)} to ${f(e.maxY)}`;
}

const num = (v: number): string => String(Number(v.toPrecision(6)));

/** The extent `e` (in `from`) in `to`, from points along its edges; null when proj4 cannot place them. */
function transformExtent(e: Extent, from: CrsDef, to: CrsDef): Extent | null {
  try {
    const conv = proj4(from.proj4, to.proj4);
    const pts: [number, number][] = [];
    for (let k = 0; k <= 8; k++) {
      const fx = e.minX + ((e.maxX - e.minX) * k) / 8,
        fy = e.minY + ((e.maxY - e.minY) * k) / 8;
      pts.push([fx, e.minY], [fx, e.maxY], [e.minX, fy], [e.maxX, fy]);
    }
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const p of pts) {
      const [x, y] = conv.forward(p);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      minX = Math.min(minX, x as number);
      maxX = Math.max(maxX, x as number);
      minY = Math.min(minY, y as number);
      maxY = Math.max(maxY, y as number);
    }
    return Number.isFinite(minX) ? { minX, minY, maxX, maxY } : null;
  } catch {
    return null;
  }
}

/** The likely reason why zones (extent `z`, in the raster's CRS) miss the raster (extent `r`). */
function likelyCause(input: EmptyCheckInput, r: Extent, z: Extent): string {
  const { rasterCrs, zonesCrs, raster, zonesPath } = input;
  const own = zonesExtent(input.zonesOwn);
  // 1. x and y exchanged (lat/lon written as lon/lat), in the raster's CRS or in the zones' own CRS.
  if (overlaps(swapped(z), r)) {
    return (
      `the zones' x and y look exchanged: with x and y swapped they would overlap the raster (${showExtent(swapped(z))}); ` +
      `were latitude and longitude written in the wrong order? fix the coordinates of ${zonesPath}`
    );
  }
  if (own && zonesCrs.geographic && !rasterCrs.geographic) {
    const t = transformExtent(swapped(own), zonesCrs, rasterCrs);
    if (t && overlaps(t, r)) {
      return `the zones' longitude and latitude look exchanged: with them swapped the zones would overlap the raster; fix the coordinates of ${zonesPath}`;
    }
  }
  // 2. The raster's CRS label does not match its numbers.
  if (!rasterCrs.geographic && degreeLike(r) && Math.abs(raster.geoTransform[1]) < 1) {
    const inDegrees = transformExtent(own ?? z, zonesCrs, WGS84);
    const fits = inDegrees !== null && overlaps(inDegrees, r);
    return (
      `the raster's coordinates look like degrees (${showExtent(r)}, pixel size ${num(raster.geoTransform[1])}) but it is labelled ` +
      `${rasterCrs.label}, a CRS in metres${fits ? ', and read as EPSG:4326 it would cover the zones' : ''}: its CRS label is probably wrong; ` +
      `fix it with \`gdal_edit.py -a_srs EPSG:4326 ${raster.path}\` (or the right CRS)`
    );
  }
  if (rasterCrs.geographic && !degreeLike(r)) {
    const fits = own !== null && !zonesCrs.geographic && overlaps(own, r);
    return (
      `the raster is labelled ${rasterCrs.label} (degrees) but its coordinates (${showExtent(r)}) cannot be degrees` +
      `${fits ? `; they match the zones' own CRS ${zonesCrs.label}` : ''}: its CRS label is probably wrong; fix it with ` +
      `\`gdal_edit.py -a_srs ${fits && zonesCrs.epsg ? `EPSG:${zonesCrs.epsg}` : '<the right CRS>'} ${raster.path}\``
    );
  }
  // 3. The zones' CRS label does not match their numbers.
  if (own && !zonesCrs.geographic && degreeLike(own)) {
    return (
      `the zones' coordinates look like degrees (${showExtent(own)}) but their CRS is ${zonesCrs.label}, in metres: ` +
      `the .prj / crs of ${zonesPath} is probably wrong; pass --zones-crs EPSG:4326 (or the right CRS)`
    );
  }
  if (own && zonesCrs.geographic && !degreeLike(own)) {
    return (
      `the zones are labelled ${zonesCrs.label} (degrees) but their coordinates (${showExtent(own)}) cannot be degrees: ` +
      `pass --zones-crs with their real (projected) CRS`
    );
  }
  // 4. Nothing wrong with the labels: the two files cover different places.
  const rDeg = rasterCrs.geographic ? null : transformExtent(r, rasterCrs, WGS84);
  const zDeg = rasterCrs.geographic ? null : transformExtent(z, rasterCrs, WGS84);
  const lonlat = rDeg && zDeg ? ` (in lon/lat: raster ${showExtent(rDeg)}, zones ${showExtent(zDeg)})` : '';
  return `the zones are elsewhere${lonlat}: check that the raster and the boundary file cover the same region`;
}

/** Throws when no zone has a value (see the module comment). */
export function assertNotAllEmpty(input: EmptyCheckInput): void {
  const { result, raster, rasterCrs } = input;
  const where = input.where === '' ? '' : `${input.where}: `;
  const empty = result.empty;
  if (!empty || result.rows.length === 0) return;
  const nEmpty = empty.noGeometry.length + empty.outside.length + empty.nodataOnly.length;
  if (nEmpty < result.rows.length) return;
  const allow = input.allowHint ? `; ${input.allowHint} to write the empty rows anyway` : '';
  if (empty.noGeometry.length === result.rows.length) {
    throw new NtlError(
      `${where}none of the ${result.rows.length} zones in ${input.zonesPath} has a geometry (all null shapes); nothing to summarise — re-export the boundary file with its polygons${allow}`,
    );
  }
  if (empty.nodataOnly.length === 0) {
    const r = rasterExtent(raster);
    const z = zonesExtent(input.zonesInRaster) as Extent;
    throw new NtlError(
      `${where}no zone of ${input.zonesPath} touches the raster ${raster.path}, so every row would be empty: ` +
        `the raster covers ${showExtent(r)} and the zones ${showExtent(z)}, both in ${rasterCrs.label}; ` +
        `likely cause: ${likelyCause(input, r, z)}${allow}`,
    );
  }
  const nodata = raster.nodata === null ? 'NaN' : `${raster.nodata} or NaN`;
  throw new NtlError(
    `${where}every zone of ${input.zonesPath} that touches ${raster.path} covers only no-data cells (${nodata}), so every row ` +
      `would be empty: if dark cells are stored as no-data (8-bit VIIRS-like products), ${input.nodataHint ?? 'pass --nodata-as-zero'}; otherwise check ` +
      `the band and the file${allow}`,
  );
}
