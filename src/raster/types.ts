/** Raster reading contract: what every consumer (zonal, calibrate, maps) relies on. */
import type { CrsDef } from '../geo/crs.js';

export type PixelDtype = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';
export type PixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** GDAL order: [originX, pixelWidth, rowRotation, originY, colRotation, pixelHeight (negative for north-up)]. */
export type GeoTransform = readonly [number, number, number, number, number, number];

export interface RasterInfo {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bandCount: number;
  /** 1-based band that this source reads. */
  readonly band: number;
  readonly dtype: PixelDtype;
  readonly geoTransform: GeoTransform;
  /** null when the file has a geotransform but no GeoKeys CRS (the caller must be told the CRS). */
  readonly crs: CrsDef | null;
  /** GDAL_NODATA value, already converted to the band's dtype domain; null when none/unrepresentable. */
  readonly nodata: number | null;
  /** Block size: tiles, or (width × rowsPerStrip) for striped files. */
  readonly blockWidth: number;
  readonly blockHeight: number;
  readonly tiled: boolean;
  /** e.g. "none", "lzw", "deflate", "zstd", "packbits". */
  readonly compression: string;
  readonly bigTiff: boolean;
  /**
   * Optional (added by the raster module): true when an 8-bit band is tagged signed (SampleFormat=2, GDAL's
   * PIXELTYPE=SIGNEDBYTE). Like GDAL 3.6 we still read it as uint8; a consumer that wants int8 reinterprets.
   */
  readonly signedByte?: boolean;
  /** Optional: the raw GDAL_NODATA tag text, for diagnostics when `nodata` is null (e.g. "-128" on a Byte band). */
  readonly nodataText?: string;
  /** Optional: this band's description from the GDAL_METADATA tag (GDAL's band description), when it has one. */
  readonly description?: string;
}

/** A horizontal slab of pixels: rows [row0, row0+rows) × cols [col0, col0+width), row-major. */
export interface RowBand {
  readonly row0: number;
  readonly rows: number;
  readonly col0: number;
  readonly width: number;
  readonly data: PixelArray;
}

/** Half-open cell rectangle: rows [row0, row1) × cols [col0, col1). */
export interface CellRect {
  readonly row0: number;
  readonly row1: number;
  readonly col0: number;
  readonly col1: number;
}

export interface BandWindow {
  /** Row range [rowStart, rowEnd), col range [colStart, colEnd); defaults to the whole raster. */
  readonly rowStart?: number;
  readonly rowEnd?: number;
  readonly colStart?: number;
  readonly colEnd?: number;
}

/**
 * What a caller promises about its reads, so a source can skip work (a remote raster fetches fewer bytes, a local one decodes fewer blocks).
 * `cells`: the only cells the caller will look at (e.g. the zonal engine's zone windows); blocks that touch none
 * of them may be left unread and undecoded, their cells then hold unspecified values (with `reuseBuffers`, those
 * of an earlier band). A view that derives a cell from its neighbours or from the whole band must not pass the
 * hint on (dropping it is always correct).
 */
export interface ReadHint {
  readonly cells?: readonly CellRect[];
  /** The caller is done with a band once it asks for the next, so the reader may reuse its buffer. */
  readonly reuseBuffers?: boolean;
}

export interface RasterSource {
  readonly info: RasterInfo;
  /**
   * Stream the window in row bands aligned to the file's blocks, top to bottom; each block is decoded
   * exactly once. Bands are yielded in order; memory stays bounded (a couple of bands in flight).
   */
  bands(window?: BandWindow, hint?: ReadHint): AsyncIterable<RowBand>;
  close(): Promise<void>;
  /** Optional: what the reader noticed while opening that the user should hear (e.g. a Black Marble tile placed by its name). */
  readonly warnings?: readonly string[];
}
