/**
 * Raw features → zones: id checks, geometry hygiene (rings.ts), one consistent nesting of each zone's rings
 * (nesting.ts), self-intersection classification (validity.ts), and the warnings/errors the user sees.
 */
import { NtlError } from '../errors.js';
import type { RawFeature, RawGeometry, RawZones } from './raw.js';
import { groupShapefileRings, newNotes, polygonFromRings, type RingNotes } from './rings.js';
import type { PolygonRings, Zone } from './types.js';
import { nestRings } from './nesting.js';
import { findDefects } from './validity.js';

const LIST_MAX = 10;

export interface Assembled {
  readonly zones: Zone[];
  readonly warnings: string[];
}

export function assembleZones(raw: RawZones, file: string, idField: string): Assembled {
  if (raw.features.length === 0) throw new NtlError(`${file} has no features; it must contain the zone polygons`);
  if (!raw.fields.includes(idField)) {
    throw new NtlError(`${file} has no field "${idField}" for zone ids; available fields: ${raw.fields.join(', ')}; pass one of them as the id field`);
  }
  checkIds(raw.features, file, idField);

  const warnings = [...raw.warnings];
  const zones: Zone[] = [];
  const unclosed: string[] = [],
    spikes: string[] = [],
    dropped: string[] = [],
    emptied: string[] = [];
  const orphans: string[] = [],
    touching: string[] = [],
    broken: string[] = [],
    renested: string[] = [],
    nullShapes: string[] = [];
  const near = (p: [number, number] | null): string => (p ? ` near (${p[0].toFixed(6)}, ${p[1].toFixed(6)})` : '');
  for (const f of raw.features) {
    const id = f.idText as string;
    const notes = newNotes();
    const built = buildParts(f.geometry, notes);
    if (notes.unclosed) unclosed.push(id);
    if (notes.spikes) spikes.push(id);
    if (notes.dropped) dropped.push(id);
    if (built.orphanHoles) orphans.push(id);
    if (ringCount(f.geometry) === 0) nullShapes.push(id);
    else if (built.parts.length === 0) emptied.push(id);
    // One reading of the rings for every statistic (nesting.ts): holes inside their own outer ring, nothing nested.
    const nested = nestRings(built.parts);
    if (nested.repeated !== null) {
      broken.push(`${id}${near(nested.repeated)} (a ring given twice)`);
      continue;
    }
    const parts = nested.parts;
    if (nested.changes.length > 0) renested.push(`${id} (${nested.changes.join('; ')})`);
    const partOf = parts.flatMap((rings, p) => rings.map(() => p));
    const d = findDefects(parts.flat(), parts.length > 1 ? partOf : undefined);
    if (d.crossings + d.overlaps > 0) {
      broken.push(`${id}${near(d.where)}`);
      continue;
    }
    if (d.touches > 0) touching.push(id);
    zones.push({ id, attributes: f.attributes, parts });
  }
  if (broken.length > 0) {
    throw new NtlError(
      `${file}: ${broken.length} zone(s) have self-intersecting boundaries that cannot be repaired unambiguously ` +
        `(edges cross, e.g. a bow-tie, a hole crossing its outer ring or two parts overlapping): ${list(broken)}; fix the file, e.g. ` +
        `\`ogr2ogr -makevalid fixed.shp ${file}\` (GDAL ≥ 3.1) or QGIS "Fix geometries"`,
    );
  }
  const note = (ids: string[], what: string): void => {
    if (ids.length) warnings.push(`${file}: ${what} in ${ids.length} zone(s): ${list(ids)}`);
  };
  note(unclosed, 'closed unclosed ring(s)');
  note(spikes, 'removed zero-width spike(s) (edges doubling back on themselves)');
  note(dropped, 'dropped degenerate ring(s) (fewer than 4 points or zero area)');
  note(emptied, 'no polygon left after dropping degenerate rings; the zone will have empty statistics');
  note(orphans, 'treated hole ring(s) not inside any outer ring as outer rings');
  if (renested.length > 0) {
    warnings.push(
      `${file}: ${renested.length} zone(s) have rings that do not nest as given; re-read by containment (a ring inside an ` +
        `odd number of the zone's other rings is a hole), so area_km2 and every coverage-based statistic use the same ` +
        `polygon: ${list(renested)}`,
    );
  }
  if (nullShapes.length > 0) {
    warnings.push(`${file}: ${nullShapes.length} zone(s) have no geometry (null shape): ${list(nullShapes)}; they are kept with empty statistics`);
    // (an empty Polygon/MultiPolygon or a shape with no parts counts as null: there is nothing to measure)
  }
  note(touching, 'ring(s) touch themselves at a point (kept; area and coverage are unaffected)');
  return { zones, warnings };
}

function ringCount(g: RawGeometry): number {
  if (g === null) return 0;
  return g.kind === 'rings' ? g.rings.length : g.polygons.reduce((n, p) => n + p.length, 0);
}

function buildParts(g: RawGeometry, notes: RingNotes): { parts: PolygonRings[]; orphanHoles: number } {
  if (g === null) return { parts: [], orphanHoles: 0 };
  // (the reader's ring arrays are used up here: nothing reads the raw features after assembly)
  if (g.kind === 'rings') return groupShapefileRings(g.rings as Float64Array[], notes, true);
  const parts: PolygonRings[] = [];
  for (const rings of g.polygons) {
    if (rings.length === 0) continue;
    const p = polygonFromRings(rings, notes);
    if (p !== null) parts.push(p);
  }
  return { parts, orphanHoles: 0 };
}

function checkIds(features: readonly RawFeature[], file: string, idField: string): void {
  const missing: number[] = [];
  const seen = new Map<string, number>();
  const dups = new Set<string>();
  features.forEach((f, i) => {
    if (f.idText === null || f.idText === '') {
      missing.push(i + 1);
      return;
    }
    if (seen.has(f.idText)) dups.add(f.idText);
    else seen.set(f.idText, i);
  });
  if (missing.length > 0) {
    throw new NtlError(
      `${file}: ${missing.length} feature(s) have no value in the id field "${idField}" (feature ${list(missing.map(String))}); ` +
        'fill them in or choose another id field',
    );
  }
  if (dups.size > 0) {
    throw new NtlError(
      `${file}: the id field "${idField}" has duplicate values: ${list([...dups])}; ids must be unique — ` +
        'choose another id field or merge/rename the duplicates',
    );
  }
}

function list(items: readonly string[]): string {
  const head = items.slice(0, LIST_MAX).join(', ');
  return items.length > LIST_MAX ? `${head}, … (${items.length - LIST_MAX} more)` : head;
}
