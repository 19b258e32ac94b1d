/**
 * In-memory RasterSource for tests and benchmarks: either a whole PixelArray, or a generator that fills
 * each band on demand (so a China-sized raster costs one band of memory). Bands are aligned to
 * multiples of `bandHeight`, like a striped/tiled file, and clipped to the requested window.
 */
import type { BandWindow, GeoTransform, PixelArray, PixelDtype, RasterInfo, RasterSource, RowBand } from '../../src/raster/types.js';
import { WGS84, type CrsDef } from '../../src/geo/crs.js';

export interface MemoryRasterOptions {
  readonly width: number;
  readonly height: number;
  readonly geoTransform: GeoTransform;
  readonly dtype?: PixelDtype;
  readonly nodata?: number | null;
  readonly bandHeight?: number;
  readonly crs?: CrsDef | null;
  /** Whole raster, row-major (width × height). */
  readonly data?: PixelArray;
  /** Or: fill `out` (row-major, rows × width) with rows [row0, row0+rows) and cols [col0, col0+width). */
  readonly generate?: (row0: number, rows: number, col0: number, width: number, out: PixelArray) => void;
}

const ctor: Record<PixelDtype, new (n: number) => PixelArray> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

export function memoryRaster(o: MemoryRasterOptions): RasterSource & { bandsServed: () => number } {
  const dtype = o.dtype ?? 'float64';
  const bandHeight = o.bandHeight ?? 16;
  let served = 0;
  const info: RasterInfo = {
    path: 'memory.tif',
    width: o.width,
    height: o.height,
    bandCount: 1,
    band: 1,
    dtype,
    geoTransform: o.geoTransform,
    crs: o.crs === undefined ? WGS84 : o.crs,
    nodata: o.nodata ?? null,
    blockWidth: o.width,
    blockHeight: bandHeight,
    tiled: false,
    compression: 'none',
    bigTiff: false,
  };
  async function* bands(w?: BandWindow): AsyncIterable<RowBand> {
    const r0 = w?.rowStart ?? 0,
      r1 = w?.rowEnd ?? o.height;
    const c0 = w?.colStart ?? 0,
      c1 = w?.colEnd ?? o.width;
    const width = c1 - c0;
    for (let b = Math.floor(r0 / bandHeight) * bandHeight; b < r1; b += bandHeight) {
      const row0 = Math.max(b, r0),
        rows = Math.min(b + bandHeight, r1) - row0;
      const data = new ctor[dtype](rows * width);
      if (o.generate) o.generate(row0, rows, c0, width, data);
      else if (o.data) {
        for (let r = 0; r < rows; r++) data.set(o.data.subarray((row0 + r) * o.width + c0, (row0 + r) * o.width + c1), r * width);
      }
      served++;
      yield { row0, rows, col0: c0, width, data };
    }
  }
  return { info, bands, close: async () => {}, bandsServed: () => served };
}
