/** Types shared by the block decoders (apart, so block-decode.ts and fallback.ts do not import each other). */

/** Everything about the file's block encoding a decoder needs (plain data: crosses the worker boundary). */
export interface BlockFormat {
  readonly compression: number;
  readonly predictor: number;
  readonly bytesPerSample: number;
  readonly littleEndian: boolean;
  /** Samples interleaved in each block: samplesPerPixel for PlanarConfiguration 1, else 1. */
  readonly interleaved: number;
  /** Which interleaved sample to keep (0-based), used when interleaved > 1. */
  readonly sampleIndex: number;
  /** JPEG: the JPEGTables tag (quantisation and Huffman tables shared by all blocks), when present. */
  readonly jpegTables?: Uint8Array;
  /** LERC: the second compression layer from the LercParameters tag (0 none, 1 DEFLATE, 2 ZSTD). */
  readonly lercAddCompression?: number;
}
