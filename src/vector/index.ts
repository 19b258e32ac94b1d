/** Boundaries: read Shapefile/GeoJSON zones, reproject them, measure their area. */
export { readZones, type ReadZonesOptions } from './read-zones.js';
export { reprojectZones, type ReprojectOptions, DEFAULT_MAX_SEGMENT_DEG, DEFAULT_MAX_SEGMENT_M } from './reproject.js';
export { geodesicAreaKm2 } from '../geo/area.js';
export { signedArea2 } from './rings.js';
export type { Zone, ZoneSet, Ring, PolygonRings, AttributeValue } from './types.js';
