/** What a format reader hands to readZones before ids, geometry hygiene and CRS are settled. */
import type { CrsDef } from '../geo/crs.js';
import type { AttributeValue } from './types.js';

export type RawGeometry =
  | null
  /** Shapefile record: rings as stored, orientation says outer (CW) or hole (CCW). assembleZones reuses their arrays. */
  | { readonly kind: 'rings'; readonly rings: readonly Float64Array[] }
  /** GeoJSON: polygons, each outer ring first then holes. */
  | { readonly kind: 'polygons'; readonly polygons: readonly (readonly Float64Array[])[] };

export interface RawFeature {
  readonly attributes: Record<string, AttributeValue>;
  /** The id field's text as in the source; null when the feature has no value there. */
  readonly idText: string | null;
  readonly geometry: RawGeometry;
}

export interface RawZones {
  readonly fields: readonly string[];
  readonly features: readonly RawFeature[];
  /** The CRS the file declares; null when it declares none. */
  readonly crs: CrsDef | null;
  readonly warnings: readonly string[];
}
