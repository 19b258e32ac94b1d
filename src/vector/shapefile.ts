/**
 * Shapefile reader: .shp + .shx geometry, .dbf attributes decoded per .cpg / --encoding / detection,
 * .prj coordinate system.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { NtlError } from '../errors.js';
import { crsFromPrj } from '../geo/parse-crs.js';
import type { CrsDef } from '../geo/crs.js';
import { asciiFieldNames, isDeleted, parseDbfHeader, readRecord, textSamples } from './dbf.js';
import { decideEncoding, normaliseEncoding, type DeclaredEncoding } from './encoding.js';
import type { RawFeature, RawZones } from './raw.js';
import { readShpFile } from './shp.js';

export interface ShapefileOptions {
  readonly idField: string;
  readonly encoding?: string;
  /** false when the caller supplies the CRS (--zones-crs), so the .prj is not needed. */
  readonly needCrs: boolean;
  /**
   * The attribute fields the caller reads besides the id field. 'all': every field is decoded and the text encoding
   * is judged on the whole table. A list: only the id field and these are decoded, and the encoding is judged on
   * their values alone (no judgement when those are ASCII) — unless a field name is not ASCII, when the whole table
   * is judged as with 'all'.
   */
  readonly fields: 'all' | readonly string[];
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

  const geometries = readShpFile(shpPath, readFileSync(shxPath));
  const dbfBytes = readFileSync(dbfPath);
  const warnings: string[] = [];
  const wanted = opts.fields === 'all' ? undefined : new Set([opts.idField, ...opts.fields]);
  const encoding = chooseEncoding(shpPath, dbfPath, dbfBytes, opts.encoding, warnings, wanted);
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
  const decoded = wanted === undefined ? table.fields : table.fields.filter((f) => wanted.has(f.name));
  const features: RawFeature[] = [];
  const raw: Record<string, string> = {};
  let deleted = 0;
  for (let i = 0; i < geometries.length; i++) {
    if (isDeleted(table, i)) {
      deleted++;
      continue; // GDAL skips records marked deleted
    }
    const attributes = readRecord(table, i, encoding, raw, decoded);
    const idText = idKnown && raw[opts.idField] !== '' ? (raw[opts.idField] as string) : null;
    const rings = geometries[i];
    features.push({ attributes, idText, geometry: rings ? { kind: 'rings', rings } : null });
  }
  if (deleted > 0) warnings.push(`${dbfPath}: skipped ${deleted} record(s) marked deleted`);
  return { fields, features, crs: opts.needCrs ? readPrj(shpPath) : null, warnings };
}

function readPrj(shpPath: string): CrsDef {
  const prjPath = sidecar(shpPath, '.prj');
  if (prjPath === null) {
    throw new NtlError(`${shpPath} has no .prj: its coordinate system is unknown; pass --zones-crs EPSG:4326 (or the right CRS)`);
  }
  return crsFromPrj(readFileSync(prjPath, 'utf8'), prjPath);
}

/**
 * --encoding (or the manifest's encoding) > .cpg > the DBF's language-driver byte > evidence from the bytes
 * (encoding.ts decideEncoding). Returns an iconv-lite name; notes for the user go to `warnings`. `wanted`: the fields
 * that will be decoded (all when undefined); only their values are evidence, provided every field name is ASCII.
 */
function chooseEncoding(
  shpPath: string,
  dbfPath: string,
  dbf: Uint8Array,
  userEncoding: string | undefined,
  warnings: string[],
  wanted: ReadonlySet<string> | undefined,
): string {
  let declared: DeclaredEncoding | null = null;
  if (userEncoding !== undefined && userEncoding.trim() !== '') {
    const user = normaliseEncoding(userEncoding);
    if (user === null) throw new NtlError(`unknown text encoding "${userEncoding}" (--encoding); use e.g. utf-8, gbk, gb18030, cp1252`);
    declared = { encoding: user, source: `--encoding ${userEncoding}` };
  }
  const cpgPath = sidecar(shpPath, '.cpg');
  if (cpgPath !== null) {
    const named = readFileSync(cpgPath, 'latin1').trim();
    const fromCpg = normaliseEncoding(named);
    if (declared !== null) {
      if (fromCpg !== declared.encoding) warnings.push(`${cpgPath} says "${named}" but --encoding ${userEncoding} was used`);
    } else if (fromCpg === null) {
      throw new NtlError(`${cpgPath} names an encoding "${named}" that is not known; pass --encoding gbk|utf-8|...`);
    } else {
      declared = { encoding: fromCpg, source: `${basename(cpgPath)} ("${named}")` };
    }
  }
  const probe = parseDbfHeader(dbf, dbfPath);
  const only = wanted !== undefined && asciiFieldNames(probe) ? wanted : undefined;
  const decision = decideEncoding(textSamples(probe, only), dbfPath, probe.ldid, declared);
  if (decision.warning !== null) warnings.push(decision.warning);
  return decision.encoding;
}
