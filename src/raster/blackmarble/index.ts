/**
 * raster/blackmarble — NASA Black Marble VNP46A3 (monthly) and VNP46A4 (annual) HDF5 tiles, read with h5wasm.
 *
 * `openBlackMarble(paths, { layer, snow, quality })` opens one or more tiles of one product and date as one
 * EPSG:4326 RasterSource of float32 radiance (nW·cm⁻²·sr⁻¹; NaN = no data): layout.ts says what the files
 * hold and where that is documented, tile.ts reads one tile (placement, fill values, scale factor, quality
 * flags, snow choice), mosaic.ts stitches the tiles' row bands together on the fly.
 */
export { openBlackMarble, type BlackMarbleSource, type OpenBlackMarbleOptions } from './mosaic.js';
export type { BlackMarbleOptions } from './tile.js';
export { DEFAULT_LAYER, QUALITY_LEVELS, SNOW, parseLayer, parseQuality, parseTileName, monthOfDoy, type Snow } from './layout.js';

/** Is this file name a Black Marble / HDF5 tile (.h5, .he5, .hdf5)? */
export function isHdf5Name(path: string): boolean {
  return /\.(h5|he5|hdf5)$/i.test(path);
}
