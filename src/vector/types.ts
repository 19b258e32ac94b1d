/** Boundary contract: what the vector readers hand to zonal/, spatial/ and panel/. */
import type { CrsDef } from '../geo/crs.js';

/** Interleaved x,y coordinates; closed (last point equals first), at least 4 points, no repeated consecutive points. */
export type Ring = Float64Array;
/** One polygon: the outer ring first (counter-clockwise, positive signed area), then holes (clockwise). */
export type PolygonRings = readonly Ring[];

export type AttributeValue = string | number | boolean | null;

export interface Zone {
  /** The id field's value as text, exactly as in the source (e.g. "430102"). Unique within a ZoneSet. */
  readonly id: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Polygon parts (a MultiPolygon has several). Empty parts are dropped; a zone may have zero parts (null geometry). */
  readonly parts: readonly PolygonRings[];
}

export interface ZoneSet {
  readonly path: string;
  readonly idField: string;
  readonly fields: readonly string[];
  readonly crs: CrsDef;
  readonly zones: readonly Zone[];
  /** Notes for the user (e.g. "repaired 1 unclosed ring in zone 430102"). */
  readonly warnings: readonly string[];
}
