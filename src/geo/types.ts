/** Types shared by the geo modules (kept apart so crs.ts and same-crs.ts do not import each other). */

/**
 * A coordinate reference system as the pipeline carries it: a proj4 definition string (what
 * proj4js needs to transform), plus what we know about where it came from.
 */
export interface CrsDef {
  /** proj4 definition, e.g. "+proj=longlat +datum=WGS84 +no_defs". */
  readonly proj4: string;
  /** EPSG code when the source named one, else null. */
  readonly epsg: number | null;
  /** true for lon/lat (degrees) systems. */
  readonly geographic: boolean;
  /** Human-readable label for messages, e.g. "EPSG:4326" or "Albers (WGS84)". */
  readonly label: string;
}
