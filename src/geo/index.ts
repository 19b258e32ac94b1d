/** Coordinate systems: parsing, comparison, areas. */
export { WGS84, sameCrs, type CrsDef } from './crs.js';
export { crsFromEpsg, crsFromPrj, crsFromUserString, epsgCodeFromName } from './parse-crs.js';
export { geodesicAreaKm2, densify } from './area.js';
