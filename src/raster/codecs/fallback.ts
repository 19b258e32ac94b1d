/**
 * Block decoding for the TIFF codecs our own decoders lack. Our IFD parser, block planner and worker pool stay
 * in charge; only the decompression of one block is delegated, inside the same decode task (in a worker or
 * inline). What works in Node, checked against GDAL's decoding of GDAL-written fixtures:
 *
 * - JPEG (7): geotiff.js's decoder (`getDecoder` from its compression registry) — pure JS, no DOM or canvas.
 *   8-bit baseline/progressive, any number of components stored as such (greyscale, PHOTOMETRIC=RGB,
 *   band-interleaved), with or without a JPEGTables tag. JPEG is lossy and decoders differ in IDCT rounding:
 *   values agree with GDAL (libjpeg-turbo) to within 1 DN. YCbCr JPEG (GDAL's PHOTOMETRIC=YCBCR) is refused
 *   when opening (open.ts): geotiff.js returns raw subsampled YCbCr, and GDAL's colour conversion and chroma
 *   upsampling could not be matched.
 * - LERC (34887) with its optional DEFLATE or ZSTD layer (GDAL's LERC, LERC_DEFLATE, LERC_ZSTD): the `lerc`
 *   package (Esri's JS decoder, the one geotiff.js wraps) called directly, bit-exact. geotiff.js's own LERC
 *   decoder is not used: it returns the whole input buffer when LERC stored a block's bytes uncompressed
 *   (wrong pixels for such uint8 blocks), and it drops LERC's validity mask, where libtiff/GDAL give NaN.
 *
 * WebP (50001) is not offered: geotiff.js decodes it with createImageBitmap and a canvas, which Node lacks.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { decompress as Decompress } from 'fzstd';
import type { getDecoder as GetDecoder } from 'geotiff';
import type { BlockFormat } from './types.js';
import { CorruptDataError } from './lzw.js';

// fzstd is required on the first ZSTD block, not imported: most rasters are not ZSTD, and every decoder thread
// would load it at start.
const require = createRequire(import.meta.url);
let zstd: typeof Decompress | undefined;
const zstdDecompress: typeof Decompress = (src, out) => (zstd ??= (require('fzstd') as { decompress: typeof Decompress }).decompress)(src, out);

/** TIFF compressions decoded here, with their names for RasterInfo.compression and messages. */
export const FALLBACK_CODECS: Readonly<Record<number, string>> = { 7: 'jpeg', 34887: 'lerc' };

/** LERC's optional second layer (the LercParameters tag, 50674: [version, additional compression]), as GDAL names it. */
export const LERC_LAYER_NAMES: Readonly<Record<number, string>> = { 0: 'lerc', 1: 'lerc_deflate', 2: 'lerc_zstd' };

export function isFallbackCodec(compression: number): boolean {
  return FALLBACK_CODECS[compression] !== undefined;
}

interface JpegDecoder {
  decodeBlock(buffer: ArrayBuffer): ArrayBuffer;
}

interface LercResult {
  width: number;
  height: number;
  dimCount?: number;
  pixels: (Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array)[];
  mask: Uint8Array | null;
}

interface LercModule {
  decode(input: ArrayBuffer, options?: { returnPixelInterleavedDims?: boolean }): LercResult;
}

/** JPEG decoders by JPEGTables (per thread: each worker loads its own). */
const jpegDecoders = new Map<string, JpegDecoder>();
const MAX_CACHED = 16;
let lerc: LercModule | null = null;

const tablesKey = (fmt: BlockFormat) => (fmt.jpegTables ? Buffer.from(fmt.jpegTables).toString('base64') : '');

/** Load (once per thread, and per JPEGTables for JPEG) what decodeFallback needs for this format. */
export async function prepareFallback(fmt: BlockFormat): Promise<void> {
  if (fmt.compression === 34887) {
    // @ts-expect-error lerc (CommonJS) ships no types: LercModule above declares the part used
    lerc ??= ((await import('lerc')) as { default: LercModule }).default;
    return;
  }
  const key = tablesKey(fmt);
  if (jpegDecoders.has(key)) return;
  const getDecoder = await loadGetDecoder();
  // Block size, bits and predictor only feed geotiff.js's predictor step, which decodeBlock does not run.
  const params = {
    tileWidth: 0,
    tileHeight: 0,
    planarConfiguration: 1,
    bitsPerSample: 8,
    predictor: 1,
    ...(fmt.jpegTables ? { JPEGTables: fmt.jpegTables } : {}),
  };
  let decoder: JpegDecoder;
  try {
    decoder = (await getDecoder(7, params)) as unknown as JpegDecoder; // parses JPEGTables
  } catch (e) {
    throw new CorruptDataError(`JPEGTables tag: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (jpegDecoders.size >= MAX_CACHED) jpegDecoders.delete(jpegDecoders.keys().next().value!);
  jpegDecoders.set(key, decoder);
}

let getDecoderPromise: Promise<typeof GetDecoder> | null = null;

/**
 * geotiff.js's getDecoder, loaded from the module that defines it (geotiff's compression registry) rather than
 * through the package entry: the entry also loads geotiff.js's worker Pool and with it the `web-worker` package,
 * whose Node build takes any worker_threads thread for one of its own children and fails there
 * ("Cannot destructure property 'mod' of 'threads.workerData'") — and our decode workers are such threads.
 */
function loadGetDecoder(): Promise<typeof GetDecoder> {
  getDecoderPromise ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('geotiff'); // <geotiff>/dist-node/geotiff.js
    const registry = join(dirname(entry), '..', 'dist-module', 'compression', 'index.js');
    if (!existsSync(registry)) {
      throw new Error(
        `geotiff.js's decoder registry is not at ${registry}: the installed geotiff lays out its files differently than the version in package.json; run npm install`,
      );
    }
    return ((await import(pathToFileURL(registry).href)) as { getDecoder: typeof GetDecoder }).getDecoder;
  })();
  return getDecoderPromise;
}

/**
 * Decode one block (prepared with prepareFallback) into `out`: blockWidth × rows × interleaved samples in file
 * byte order, no predictor. Returns the bytes written. A decoder failure, or output of the wrong shape, is a
 * CorruptDataError.
 */
export function decodeFallback(src: Uint8Array, fmt: BlockFormat, blockWidth: number, rows: number, out: Uint8Array): number {
  return fmt.compression === 7 ? decodeJpeg(src, fmt, blockWidth, rows, out) : decodeLerc(src, fmt, blockWidth, rows, out);
}

function decodeJpeg(src: Uint8Array, fmt: BlockFormat, blockWidth: number, rows: number, out: Uint8Array): number {
  const decoder = jpegDecoders.get(tablesKey(fmt));
  if (!decoder) throw new Error('internal: JPEG decoder not prepared');
  checkJpegFrame(src, blockWidth, rows, fmt.interleaved);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(decoder.decodeBlock(ownBuffer(src)));
  } catch (e) {
    throw new CorruptDataError(`JPEG decoder: ${e instanceof Error ? e.message : String(e)}`);
  }
  // frame width (= block width) × frame rows × components; keep the block's rows
  if (bytes.length < out.length) throw new CorruptDataError(`JPEG block decoded to ${bytes.length} bytes, expected ${out.length}`);
  out.set(bytes.subarray(0, out.length));
  return out.length;
}

/**
 * A JPEG block's frame header (SOF) must fit the block before it is decoded, since the decoder allocates
 * whatever a corrupt header claims. libtiff writes strips and tiles as JPEG images of the block's width and rows.
 */
function checkJpegFrame(src: Uint8Array, blockWidth: number, rows: number, comps: number): void {
  for (let i = 0; i + 9 < src.length; i++) {
    if (src[i] !== 0xff) continue;
    const m = src[i + 1];
    if (m === 0xda) break; // start of scan before any frame header
    if (m < 0xc0 || m > 0xcf || m === 0xc4 || m === 0xc8 || m === 0xcc) continue;
    const precision = src[i + 4];
    const h = (src[i + 5] << 8) | src[i + 6];
    const w = (src[i + 7] << 8) | src[i + 8];
    const n = src[i + 9];
    if (m > 0xc2) throw new CorruptDataError(`JPEG frame type SOF${m - 0xc0} (lossless or arithmetic coding) is not supported`);
    if (precision !== 8) throw new CorruptDataError(`JPEG frame has ${precision}-bit samples; only 8-bit JPEG is supported`);
    if (w !== blockWidth || h < rows || h > rows + 16 || n !== comps) {
      throw new CorruptDataError(`JPEG frame is ${w} × ${h} pixels with ${n} component(s), the block ${blockWidth} × ${rows} with ${comps}`);
    }
    return;
  }
  throw new CorruptDataError('JPEG block has no frame header (SOF marker)');
}

function decodeLerc(src: Uint8Array, fmt: BlockFormat, blockWidth: number, rows: number, out: Uint8Array): number {
  if (!lerc) throw new Error('internal: LERC decoder not prepared');
  let blob: Uint8Array;
  try {
    if (fmt.lercAddCompression === 1) blob = inflateSync(src, { maxOutputLength: Math.min(2 ** 31 - 1, out.length * 2 + 65536) });
    else if (fmt.lercAddCompression === 2) blob = zstdDecompress(src);
    else blob = src;
  } catch (e) {
    throw new CorruptDataError(`LERC ${LERC_LAYER_NAMES[fmt.lercAddCompression ?? 0]} layer: ${(e as Error).message}`);
  }
  checkLercHeader(blob, blockWidth, rows, fmt.interleaved);
  let r: LercResult;
  try {
    r = lerc.decode(ownBuffer(blob), { returnPixelInterleavedDims: true });
  } catch (e) {
    throw new CorruptDataError(`LERC decoder: ${e instanceof Error ? e.message : String(e)}`); // it throws strings
  }
  const depth = r.dimCount ?? 1;
  if (r.pixels.length !== 1 || depth !== fmt.interleaved || r.width !== blockWidth || r.height < rows) {
    throw new CorruptDataError(
      `LERC block is ${r.width} × ${r.height} × ${depth} in ${r.pixels.length} plane(s), the block ${blockWidth} × ${rows} × ${fmt.interleaved} in one`,
    );
  }
  const px = r.pixels[0];
  if (px.BYTES_PER_ELEMENT !== fmt.bytesPerSample) {
    throw new CorruptDataError(`LERC block holds ${px.BYTES_PER_ELEMENT}-byte samples, the file declares ${fmt.bytesPerSample}-byte ones`);
  }
  // libtiff/GDAL: pixels LERC marks invalid are NaN in float data (integer data keep the decoded value, 0)
  if (r.mask && (px instanceof Float32Array || px instanceof Float64Array)) {
    for (let p = 0; p < blockWidth * rows; p++) if (r.mask[p] === 0) px.fill(NaN, p * depth, (p + 1) * depth);
  }
  // LERC hands back what libtiff gave its encoder: samples in file byte order, swapped by block-decode for
  // big-endian files — after the NaN fill, as libtiff does (there a NaN reads back as 6.9e-41, as in GDAL)
  out.set(new Uint8Array(px.buffer, px.byteOffset, blockWidth * rows * depth * px.BYTES_PER_ELEMENT));
  return out.length;
}

/** "Lerc2 " header: the block size must match before the decoder allocates what a corrupt header claims. */
function checkLercHeader(blob: Uint8Array, blockWidth: number, rows: number, depth: number): void {
  const magic = String.fromCharCode(...blob.subarray(0, 6));
  if (magic !== 'Lerc2 ' || blob.length < 30) throw new CorruptDataError('LERC block does not start with a Lerc2 header');
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const version = v.getInt32(6, true);
  let at = 10 + (version >= 3 ? 4 : 0);
  const h = v.getInt32(at, true),
    w = v.getInt32(at + 4, true);
  at += 8;
  const d = version >= 4 ? v.getInt32(at, true) : 1;
  if (w !== blockWidth || h < rows || h > rows + 16 || d !== depth) {
    throw new CorruptDataError(`LERC header says ${w} × ${h} × ${d}, the block is ${blockWidth} × ${rows} × ${depth}`);
  }
}

/** A copy of the bytes in an ArrayBuffer of their own (the decoders read a whole ArrayBuffer; Buffer.slice is a view). */
function ownBuffer(u: Uint8Array): ArrayBuffer {
  const b = new ArrayBuffer(u.length);
  new Uint8Array(b).set(u);
  return b;
}
