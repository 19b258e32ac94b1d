import type { CrsDef } from './types.js';

export type { CrsDef } from './types.js';

export const WGS84: CrsDef = {
  proj4: '+proj=longlat +datum=WGS84 +no_defs',
  epsg: 4326,
  geographic: true,
  label: 'EPSG:4326 (WGS 84)',
};

export { sameCrs } from './same-crs.js';
