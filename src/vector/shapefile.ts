/**
 * Shapefile reader: .shp + .shx geometry, .dbf attributes decoded per .cpg / --encoding / detection,
 * .prj coordinate system.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { NtlError } from '../errors.js';
import { crsFromPrj } from '../geo/parse-crs.js';
import type { CrsDef } from '../geo/crs.js';
import { characterBytes, isDeleted, parseDbfHeader, readRecord, type DbfTable } from './dbf.js';
import { detectEncoding, normaliseEncoding } from './encoding.js';
import type { RawFeature, RawZones } from './raw.js';
import { readShp } from './shp.js';

export interface ShapefileOptions {
  readonly idField: string;
  readonly encoding?: string;
  /** false when the caller supplies the CRS (--zones-crs), so the .prj is not needed. */
  readonly needCrs: boolean;
}

/** The sidecar file next to `shpPath` with extension `ext` (any letter case), or null. */
function sidecar(shpPath: string, ext: string): string | null {
  const dir = dirname(shpPath);
  const stem = basename(shpPath, extname(shpPath));
  for (const e of [ext, ext.toUpperCase()]) {
    const p = join(dir, stem + e);
    if (existsSync(p)) return p;
  }
  return null;
}

export function readShapefile(shpPath: string, opts: ShapefileOptions): RawZones {
  const shxPath = sidecar(shpPath, '.shx');
  const dbfPath = sidecar(shpPath, '.dbf');
  const missing = (ext: string, what: string): NtlError =>
    new NtlError(
      `${shpPath}: the ${ext} file (${what}) is missing next to it; a shapefile needs its .shp, .shx and .dbf ` +
        '(and .prj) files side by side — copy all of them, or convert the data to GeoJSON',
    );
  if (shxPath === null) throw missing('.shx', 'record index');
  if (dbfPath === null) throw missing('.dbf', 'attribute table');

  const geometries = readShp(readFileSync(shpPath), readFileSync(shxPath), shpPath);
  const dbfBytes = readFileSync(dbfPath);
  const warnings: string[] = [];
  const encoding = chooseEncoding(shpPath, dbfPath, dbfBytes, opts.encoding, warnings);
  const table = parseDbfHeader(dbfBytes, dbfPath, encoding);
  if (table.recordCount !== geometries.length) {
    throw new NtlError(
      `${shpPath}: the .shp has ${geometries.length} shapes but ${dbfPath} has ${table.recordCount} records; ` +
        'the parts do not belong together — re-export the shapefile',
    );
  }
  const fields = table.fields.map((f) => f.name);
  if (geometries.length === 0) throw new NtlError(`${shpPath} has no features; it must contain the zone polygons`);
  const idKnown = fields.includes(opts.idField);
  const features: RawFeature[] = [];
  const raw: Record<string, string> = {};
  let deleted = 0;
  for (let i = 0; i < geometries.length; i++) {
    if (isDeleted(table, i)) {
      deleted++;
      continue; // GDAL skips records marked deleted
    }
    const attributes = readRecord(table, i, encoding, raw);
    const idText = idKnown && raw[opts.idField] !== '' ? (raw[opts.idField] as string) : null;
    const rings = geometries[i];
    features.push({ attributes, idText, geometry: rings ? { kind: 'rings', rings } : null });
  }
  if (deleted > 0) warnings.push(`${dbfPath}: skipped ${deleted} record(s) marked deleted`);
  checkDecoding(table, features, dbfPath, encoding);
  return { fields, features, crs: opts.needCrs ? readPrj(shpPath) : null, warnings };
}

function readPrj(shpPath: string): CrsDef {
  const prjPath = sidecar(shpPath, '.prj');
  if (prjPath === null) {
    throw new NtlError(
      `${shpPath} has no .prj: its coordinate system is unknown; pass --zones-crs EPSG:4326 (or the right CRS)`,
    );
  }
  return crsFromPrj(readFileSync(prjPath, 'utf8'), prjPath);
}

/** .cpg says → (overridden by --encoding) ; no .cpg → --encoding → detection. Returns an iconv-lite name. */
function chooseEncoding(shpPath: string, dbfPath: string, dbf: Uint8Array, userEncoding: string | undefined, warnings: string[]): string {
  let user: string | null = null;
  if (userEncoding !== undefined && userEncoding.trim() !== '') {
    user = normaliseEncoding(userEncoding);
    if (user === null) throw new NtlError(`unknown text encoding "${userEncoding}" (--encoding); use e.g. utf-8, gbk, gb18030, cp1252`);
  }
  const cpgPath = sidecar(shpPath, '.cpg');
  if (cpgPath !== null) {
    const named = readFileSync(cpgPath, 'latin1').trim();
    const fromCpg = normaliseEncoding(named);
    if (user !== null) {
      if (fromCpg !== user) warnings.push(`${cpgPath} says "${named}" but --encoding ${userEncoding} was used`);
      return user;
    }
    if (fromCpg === null) {
      throw new NtlError(`${cpgPath} names an encoding "${named}" that is not known; pass --encoding gbk|utf-8|...`);
    }
    return fromCpg;
  }
  if (user !== null) return user;
  const probe = parseDbfHeader(dbf, dbfPath);
  return detectEncoding(characterBytes(probe), probe.ldid, dbfPath);
}

/** Undecodable bytes (U+FFFD) in text means the encoding is wrong: say which field and show a record. */
function checkDecoding(table: DbfTable, features: readonly RawFeature[], dbfPath: string, encoding: string): void {
  for (const f of table.fields) {
    if (f.name.includes('\uFFFD')) {
      throw new NtlError(`${dbfPath}: decoding as ${encoding} garbles the field name "${f.name}"; wrong encoding? pass --encoding gbk|utf-8|...`);
    }
  }
  const textFields = table.fields.filter((f) => f.type === 'C').map((f) => f.name);
  for (let i = 0; i < features.length; i++) {
    const attrs = (features[i] as RawFeature).attributes;
    for (const name of textFields) {
      const v = attrs[name];
      if (typeof v === 'string' && v.includes('\uFFFD')) {
        throw new NtlError(
          `${dbfPath}: decoding as ${encoding} gives undecodable bytes in field "${name}" (record ${i + 1}: "${v}"); ` +
            'wrong encoding? pass the right one, e.g. --encoding gbk|utf-8|cp1252',
        );
      }
    }
  }
}
