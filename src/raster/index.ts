/**
 * raster/ — streaming GeoTIFF reader.
 *
 * `openRaster(path, { band, threads })` parses the first IFD (tiff-ifd.ts: TIFF and BigTIFF, either byte
 * order), turns the georeferencing tags into a GDAL-order geotransform (georef.ts) and the GeoKeys into a
 * CrsDef (geokeys.ts, epsg.ts), reads GDAL_NODATA the way GDAL's mask does (nodata.ts), and returns a
 * RasterSource whose `bands(window)` yields row bands aligned to the file's blocks: each band is one or more
 * whole tile rows / strips, only blocks touching the window are read (contiguous blocks in one read) and
 * decoded once, by a shared pool of worker threads (pool.ts, decode-worker.ts) that write the cropped rows
 * straight into the band's SharedArrayBuffer. At most two bands are in flight (the one the consumer holds and
 * the prefetched next one), so memory does not grow with raster size.
 *
 * Codecs (codecs/): none, LZW (own decoder), DEFLATE/Adobe deflate (node:zlib), ZSTD (fzstd), PackBits;
 * predictors 2 and 3; 8/16/32-bit integers and 32/64-bit floats; chunky or planar multi-band.
 * Everything a user can get wrong surfaces as one NtlError naming the file and what to do.
 *
 * Semantics worth knowing: `info.nodata` is in the band's domain (float32 values rounded to float32; null
 * when no pixel could equal it, e.g. "-128" on a Byte band, as GDAL's mask treats it); NaN nodata means
 * "NaN pixels are missing" and consumers treat NaN as no-data always. Signed 8-bit bands are read as uint8
 * like GDAL 3.6 (info.signedByte flags them). Band data are plain (non-shared) typed arrays owned by the
 * consumer. `threads: 0` decodes on the calling thread; idle workers never keep the process alive.
 *
 * Every read goes through a ByteSource (byte-source.ts): a local file, or — when the path is an http(s) URL — a
 * remote one read in place with range requests (http-source.ts: merged ranges, a byte-bounded LRU cache, retries,
 * the `ntl fetch` token rule). Given a ReadHint, a remote source fetches only the blocks touching its `cells`.
 */
export { openRaster, openRasterBands, readRasterInfo, planBands, type OpenRasterOptions } from './open.js';
export { shutdownDecodePool } from './pool.js';
export { parseNodataText, nodataForDtype } from './nodata.js';
export { epsgEntry } from '../geo/epsg.js';
export { RangeCache, type RemoteOptions, type RemotePin, type RemoteReport } from './http-source.js';
export type { BandWindow, CellRect, GeoTransform, ReadHint, PixelArray, PixelDtype, RasterInfo, RasterSource, RowBand } from './types.js';
export { GeoTiffWriter, writeGeoTiff, type GeoTiffSpec, type WritableDtype } from './write-geotiff.js';
