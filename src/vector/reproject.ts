/**
 * reprojectZones: move a ZoneSet into another CRS with proj4. Edges are densified first (in the source CRS)
 * so that a straight source edge follows its true path in the target: no source segment longer than
 * 0.01° (≈ 1.1 km) for geographic sources or 1 km for projected ones, unless the caller says otherwise.
 * Rings are re-oriented afterwards (outer CCW, holes CW), since a projection may mirror them.
 */
import proj4 from 'proj4';
import { NtlError } from '../errors.js';
import { densify } from '../geo/area.js';
import { sameCrs, type CrsDef } from '../geo/crs.js';
import { projParams } from '../geo/proj-params.js';
import { cleanRing, newNotes, orientRing } from './rings.js';
import type { PolygonRings, Ring, Zone, ZoneSet } from './types.js';

export const DEFAULT_MAX_SEGMENT_DEG = 0.01;
export const DEFAULT_MAX_SEGMENT_M = 1000;

export interface ReprojectOptions {
  /** Longest source segment (degrees) for geographic sources; Infinity = no densification. */
  readonly maxSegmentDeg?: number;
  /** Longest source segment (metres) for projected sources; Infinity = no densification. */
  readonly maxSegmentM?: number;
}

export function reprojectZones(set: ZoneSet, target: CrsDef, opts: ReprojectOptions = {}): ZoneSet {
  if (sameCrs(set.crs, target)) return set;
  const step = set.crs.geographic
    ? (opts.maxSegmentDeg ?? DEFAULT_MAX_SEGMENT_DEG)
    : (opts.maxSegmentM ?? DEFAULT_MAX_SEGMENT_M) / projParams(set.crs.proj4).toMeter;
  const conv = proj4(set.crs.proj4, target.proj4);
  const dropped: string[] = [];
  const zones: Zone[] = set.zones.map((z) => {
    const notes = newNotes();
    const parts: PolygonRings[] = [];
    for (const rings of z.parts) {
      const out: Ring[] = [];
      for (let k = 0; k < rings.length; k++) {
        const moved = transformRing(densify(rings[k] as Ring, step), conv, z.id, set, target);
        // Points that collapse onto each other in the target are merged; a ring can only vanish if degenerate.
        const clean = cleanRing(moved, notes);
        if (clean === null) {
          if (k === 0) break;
          continue;
        }
        out.push(orientRing(clean, k === 0));
      }
      if (out.length > 0) parts.push(out);
    }
    if (notes.dropped > 0) dropped.push(z.id);
    return { id: z.id, attributes: z.attributes, parts };
  });
  const warnings = [...set.warnings];
  if (dropped.length > 0) {
    warnings.push(`${set.path}: ring(s) became degenerate in ${target.label} and were dropped in zone(s): ${dropped.slice(0, 10).join(', ')}`);
  }
  return { path: set.path, idField: set.idField, fields: set.fields, crs: target, zones, warnings };
}

function transformRing(r: Float64Array, conv: proj4.Converter, id: string, set: ZoneSet, target: CrsDef): Float64Array {
  const p = [0, 0];
  for (let i = 0; i < r.length; i += 2) {
    p[0] = r[i] as number;
    p[1] = r[i + 1] as number;
    const [x, y] = conv.forward(p);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new NtlError(
        `${set.path}: zone ${id} cannot be transformed from ${set.crs.label} to ${target.label} ` +
          `(point ${r[i]}, ${r[i + 1]} falls outside the projection); check the zones' CRS (--zones-crs)`,
      );
    }
    r[i] = x as number;
    r[i + 1] = y as number;
  }
  return r;
}
