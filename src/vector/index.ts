export { readZones, type ReadZonesOptions } from './read-zones.js';
export type { Zone, ZoneSet, Ring, PolygonRings, AttributeValue } from './types.js';
