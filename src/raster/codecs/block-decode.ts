/**
 * Decode one TIFF block (tile or strip) into little-endian samples of one band:
 * decompress → (predictor 3 | byte swap → predictor 2) → extract the band from pixel-interleaved data.
 * JPEG and LERC blocks are decompressed by geotiff.js's decoders (./fallback.ts); they take no predictor (open.ts
 * sets it to 1) and, like libtiff, a big-endian file's LERC samples come out in file order and are swapped here.
 */
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { decompress as Decompress } from 'fzstd';
import { CorruptDataError, lzwDecode } from './lzw.js';
import { packbitsDecode } from './packbits.js';
import { swapBytes, undoFloatingPoint, undoHorizontal } from './predictor.js';
import { decodeFallback, FALLBACK_CODECS } from './fallback.js';
import type { BlockFormat } from './types.js';

// fzstd is required on the first ZSTD block, not imported: most rasters are not ZSTD, and every decoder thread
// would load it at start.
const require = createRequire(import.meta.url);
let zstd: typeof Decompress | undefined;
const zstdDecompress: typeof Decompress = (src, out) => (zstd ??= (require('fzstd') as { decompress: typeof Decompress }).decompress)(src, out);

/** TIFF Compression tag values we decode (our own decoders, then geotiff.js's), and their names for messages. */
export const SUPPORTED_CODECS: Readonly<Record<number, string>> = {
  1: 'none',
  5: 'lzw',
  8: 'deflate',
  32946: 'deflate',
  50000: 'zstd',
  32773: 'packbits',
  ...FALLBACK_CODECS,
};

/** Names of codecs we recognise but do not decode, for the error message (with why, where there is more to say). */
export const UNSUPPORTED_CODECS: Readonly<Record<number, string>> = {
  2: 'CCITT RLE',
  3: 'CCITT Fax3',
  4: 'CCITT Fax4',
  6: 'old-style JPEG',
  34925: 'LZMA',
  50001: 'WebP',
  34712: 'JPEG 2000',
  50002: 'JPEG XL',
  52546: 'JPEG XL',
  32809: 'ThunderScan',
  34676: 'SGI LogLuv',
  34677: 'SGI LogL',
  32908: 'Pixar log',
  32909: 'Pixar log',
  33003: 'JPEG 2000 (Aperio)',
};

export type { BlockFormat } from './types.js';

export { CorruptDataError };

/**
 * Decode a block of `blockWidth` × `rows` pixels. Returns a fresh, 8-byte-aligned buffer of
 * blockWidth × rows × bytesPerSample bytes holding the chosen band only.
 */
export function decodeBlock(src: Uint8Array, fmt: BlockFormat, blockWidth: number, rows: number): Uint8Array {
  const bps = fmt.bytesPerSample;
  const rowSamples = blockWidth * fmt.interleaved;
  const expected = rowSamples * rows * bps;
  let raw: Uint8Array = new Uint8Array(expected);
  let got: number;
  switch (fmt.compression) {
    case 1:
      got = Math.min(src.length, expected);
      raw.set(src.subarray(0, got));
      break;
    case 5:
      got = lzwDecode(src, raw);
      break;
    case 8:
    case 32946: {
      let out: Uint8Array;
      try {
        // one output chunk of the expected size: no concatenation inside zlib
        // maxOutputLength: a few KB of deflate can claim gigabytes; past twice the block size it is corrupt
        out = inflateSync(src, { chunkSize: Math.max(64, expected), maxOutputLength: Math.min(2 ** 31 - 1, expected * 2 + 65536) });
      } catch (e) {
        throw new CorruptDataError((e as Error).message);
      }
      got = Math.min(out.length, expected);
      if (out.byteOffset % 8 === 0 && got === expected) raw = new Uint8Array(out.buffer, out.byteOffset, expected);
      else raw.set(out.subarray(0, got));
      break;
    }
    case 50000: {
      try {
        const out = zstdDecompress(src);
        got = Math.min(out.length, expected);
        raw.set(out.subarray(0, got));
      } catch (e) {
        throw new CorruptDataError((e as Error).message);
      }
      break;
    }
    case 32773:
      got = packbitsDecode(src, raw);
      break;
    case 7:
    case 34887:
      got = decodeFallback(src, fmt, blockWidth, rows, raw);
      break;
    default:
      throw new Error(`unsupported compression ${fmt.compression}`); // filtered out when opening
  }
  if (got < expected) throw new CorruptDataError(`decoded ${got} of ${expected} bytes`);

  if (fmt.predictor === 3) {
    undoFloatingPoint(raw, bps, rowSamples, fmt.interleaved);
  } else {
    if (!fmt.littleEndian && bps > 1) swapBytes(raw, bps);
    if (fmt.predictor === 2) undoHorizontal(raw, bps, rowSamples, fmt.interleaved);
  }
  if (fmt.interleaved > 1) raw = extractSample(raw, bps, fmt.interleaved, fmt.sampleIndex);
  return raw;
}

function extractSample(raw: Uint8Array, bps: number, spp: number, s: number): Uint8Array {
  const n = raw.length / (bps * spp);
  const out = new Uint8Array(n * bps);
  if (bps === 1) {
    for (let i = 0, j = s; i < n; i++, j += spp) out[i] = raw[j];
  } else if (bps === 2) {
    const a = new Uint16Array(raw.buffer, raw.byteOffset, n * spp),
      o = new Uint16Array(out.buffer);
    for (let i = 0, j = s; i < n; i++, j += spp) o[i] = a[j];
  } else if (bps === 4) {
    const a = new Uint32Array(raw.buffer, raw.byteOffset, n * spp),
      o = new Uint32Array(out.buffer);
    for (let i = 0, j = s; i < n; i++, j += spp) o[i] = a[j];
  } else {
    // 8-byte samples copied as two 32-bit words: keeps NaN payloads bit-exact
    const a = new Uint32Array(raw.buffer, raw.byteOffset, 2 * n * spp),
      o = new Uint32Array(out.buffer);
    for (let i = 0, j = 2 * s; i < 2 * n; i += 2, j += 2 * spp) {
      o[i] = a[j];
      o[i + 1] = a[j + 1];
    }
  }
  return out;
}
