/**
 * GeoJSON reader (RFC 7946): FeatureCollection or a single Feature with Polygon/MultiPolygon geometry.
 * No `crs` member means EPSG:4326; the legacy `crs` member naming an EPSG code / CRS84 is honoured.
 */
import { NtlError } from '../errors.js';
import { WGS84, type CrsDef } from '../geo/crs.js';
import { crsFromEpsg, epsgCodeFromName } from '../geo/parse-crs.js';
import type { RawFeature, RawGeometry, RawZones } from './raw.js';
import type { AttributeValue } from './types.js';

/** `needCrs` false when the caller supplies the CRS (--zones-crs), so a `crs` member is not even read. */
export function parseGeoJson(text: string, file: string, idField: string, needCrs = true): RawZones {
  if (text.trim() === '') throw new NtlError(`${file} is empty; it must hold the zone polygons (GeoJSON FeatureCollection)`);
  if (/^(II\*\0|MM\0\*|II\+\0|MM\0\+)/.test(text)) {
    throw new NtlError(
      `${file} is a GeoTIFF raster, not GeoJSON; zones are polygons (a .geojson or .shp boundary file) — is it the raster, given in place of the zones?`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new NtlError(`${file} is not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')}); check the file is complete GeoJSON`);
  }
  if (!isObject(doc)) throw new NtlError(`${file} is not a GeoJSON object; expected a FeatureCollection`);
  let features: unknown[];
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) throw new NtlError(`${file}: the FeatureCollection has no "features" array`);
    features = doc.features;
  } else if (doc.type === 'Feature') {
    features = [doc];
  } else if (typeof doc.type === 'string' && GEOMETRY_TYPES.has(doc.type)) {
    throw new NtlError(
      `${file} is a bare ${doc.type} geometry with no properties, so it has no "${idField}" field; ` +
        'wrap it in a Feature with properties (or a FeatureCollection)',
    );
  } else {
    throw new NtlError(`${file}: GeoJSON type "${String(doc.type)}" is not a FeatureCollection or Feature`);
  }
  if (features.length === 0) throw new NtlError(`${file} has no features; it must contain the zone polygons`);

  const fields: string[] = [];
  const seen = new Set<string>();
  const out: RawFeature[] = [];
  features.forEach((f, i) => {
    if (!isObject(f) || f.type !== 'Feature') throw new NtlError(`${file}: feature ${i + 1} is not a GeoJSON Feature`);
    const props = isObject(f.properties) ? f.properties : {};
    const attributes: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(props)) {
      if (!seen.has(k)) {
        seen.add(k);
        fields.push(k);
      }
      attributes[k] = toAttribute(v);
    }
    const idValue = props[idField];
    const idText = typeof idValue === 'string' ? idValue : typeof idValue === 'number' ? String(idValue) : null;
    out.push({ attributes, idText, geometry: geometryOf(f.geometry, file, i) });
  });
  return { fields, features: out, crs: needCrs ? crsMember(doc.crs, file) : null, warnings: [] };
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toAttribute(v: unknown): AttributeValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return v === undefined ? null : JSON.stringify(v);
}

function geometryOf(g: unknown, file: string, i: number): RawGeometry {
  if (g === null || g === undefined) return null;
  if (!isObject(g)) throw badGeometry(file, i, 'it is not an object');
  const polygons: Float64Array[][] = [];
  collect(g, polygons, file, i);
  return { kind: 'polygons', polygons };
}

function collect(g: Record<string, unknown>, polygons: Float64Array[][], file: string, i: number): void {
  switch (g.type) {
    case 'Polygon':
      polygons.push(polygonRings(g.coordinates, file, i));
      return;
    case 'MultiPolygon':
      if (!Array.isArray(g.coordinates)) throw badGeometry(file, i, 'MultiPolygon coordinates are not an array');
      for (const p of g.coordinates) polygons.push(polygonRings(p, file, i));
      return;
    case 'GeometryCollection':
      if (!Array.isArray(g.geometries)) throw badGeometry(file, i, 'GeometryCollection has no geometries array');
      for (const m of g.geometries) if (isObject(m)) collect(m, polygons, file, i);
      return;
    default:
      throw new NtlError(`${file}: feature ${i + 1} has ${String(g.type)} geometry, but zones must be Polygon or MultiPolygon; use a polygon boundary file`);
  }
}

function polygonRings(coords: unknown, file: string, i: number): Float64Array[] {
  if (!Array.isArray(coords)) throw badGeometry(file, i, 'Polygon coordinates are not an array');
  return coords.map((ring) => {
    if (!Array.isArray(ring)) throw badGeometry(file, i, 'a ring is not an array of positions');
    const out = new Float64Array(2 * ring.length);
    ring.forEach((pos: unknown, k: number) => {
      if (!Array.isArray(pos) || typeof pos[0] !== 'number' || typeof pos[1] !== 'number') {
        throw badGeometry(file, i, `position ${k + 1} of a ring is not [x, y]`);
      }
      out[2 * k] = pos[0];
      out[2 * k + 1] = pos[1];
    });
    return out;
  });
}

function badGeometry(file: string, i: number, why: string): NtlError {
  return new NtlError(`${file}: feature ${i + 1} has malformed geometry (${why}); fix or re-export the file`);
}

/** The legacy (2008) `crs` member: {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4326"}}. */
function crsMember(crs: unknown, file: string): CrsDef {
  if (crs === undefined || crs === null) return WGS84;
  const name = isObject(crs) && isObject(crs.properties) ? crs.properties.name : undefined;
  const code = typeof name === 'string' ? epsgCodeFromName(name) : null;
  if (code === null) {
    throw new NtlError(
      `${file}: cannot read its "crs" member (${JSON.stringify(crs).slice(0, 80)}); remove it if the data is WGS84 lon/lat, or pass --zones-crs`,
    );
  }
  return crsFromEpsg(code, `${file} "crs" member`);
}
