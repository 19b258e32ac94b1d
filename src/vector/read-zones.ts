/** readZones: open a Shapefile or GeoJSON boundary file as a ZoneSet. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { crsFromUserString } from '../geo/parse-crs.js';
import { assembleZones } from './assemble.js';
import { parseGeoJson } from './geojson.js';
import type { RawZones } from './raw.js';
import { readShapefile } from './shapefile.js';
import type { ZoneSet } from './types.js';

export interface ReadZonesOptions {
  /** Attribute holding the zone id (e.g. "county_cd"). */
  readonly idField: string;
  /** DBF text encoding when there is no .cpg (or to override it): "utf-8", "gbk", "cp1252", ... */
  readonly encoding?: string;
  /** The CRS of the coordinates (--zones-crs): "EPSG:4326", a proj4 string or WKT; overrides .prj / GeoJSON. */
  readonly crs?: string;
  /**
   * The attribute fields the caller reads besides the id field (zone.attributes holds at least these). 'all'
   * (the default): every field, with the DBF text encoding judged on the whole table. A list (e.g. [] for ids only):
   * a shapefile decodes just the id field and these, and its encoding is judged on their text alone.
   */
  readonly fields?: 'all' | readonly string[];
}

export async function readZones(path: string, opts: ReadZonesOptions): Promise<ZoneSet> {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new NtlError(`zones file ${path} does not exist; check the path`);
  }
  const userCrs = opts.crs !== undefined && opts.crs.trim() !== '' ? crsFromUserString(opts.crs) : null;
  const ext = extname(path).toLowerCase();
  let raw: RawZones;
  if (ext === '.shp') {
    raw = readShapefile(path, { idField: opts.idField, encoding: opts.encoding, needCrs: userCrs === null, fields: opts.fields ?? 'all' });
  } else if (ext === '.geojson' || ext === '.json') {
    raw = parseGeoJson(readFileSync(path, 'utf8'), path, opts.idField, userCrs === null);
  } else {
    throw new NtlError(`zones file ${path}: unsupported type "${ext}"; use a Shapefile (.shp) or GeoJSON (.geojson/.json)`);
  }
  const crs = userCrs ?? raw.crs;
  if (crs === null) throw new NtlError(`${path}: its coordinate system is unknown; pass --zones-crs EPSG:4326 (or the right CRS)`);
  const { zones, warnings } = assembleZones(raw, path, opts.idField);
  return { path, idField: opts.idField, fields: raw.fields, crs, zones, warnings };
}
