/**
 * Minimal TIFF/BigTIFF header + first-IFD parser over a ByteSource (a local file or an HTTP range reader).
 *
 * Hand-written rather than geotiff.js's parser because we need only the first IFD and ~25 tags, we want
 * every failure (not a TIFF, truncated header, tag beyond EOF) to name the file and the byte offset, and we
 * want the block offset/bytecount arrays as flat typed arrays for the band planner.
 */
import type { ByteSource } from './byte-source.js';
import { NtlError } from '../errors.js';

export const TAG = {
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  PlanarConfiguration: 284,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SampleFormat: 339,
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  ModelTransformation: 34264,
  GeoKeyDirectory: 34735,
  GeoDoubleParams: 34736,
  GeoAsciiParams: 34737,
  GdalMetadata: 42112,
  GdalNodata: 42113,
  JPEGTables: 347,
  LercParameters: 50674,
} as const;

const WANTED = new Set<number>(Object.values(TAG));

/** A tag value: numbers for numeric types, a string for ASCII. */
export type TagValue = Float64Array | string;

export interface TiffIfd {
  readonly littleEndian: boolean;
  readonly bigTiff: boolean;
  readonly fileSize: number;
  readonly tags: ReadonlyMap<number, TagValue>;
}

/** Bytes per element of each TIFF field type. */
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

/** What a file that is not a TIFF looks like, from its first bytes: the usual wrong downloads and wrong files. */
export function describeNonTiff(head: Uint8Array): string | null {
  const text = new TextDecoder('latin1')
    .decode(head)
    .replace(/^\uFEFF|^\u00ef\u00bb\u00bf/, '')
    .replace(/^\s+/, '');
  if (/^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<(html|head|body)[\s>])/i.test(text)) {
    return 'it is an HTML page — a login, error or landing page saved in place of the raster; download the file itself again (ntl fetch checks this)';
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'it is gzip-compressed; unpack it first (gunzip), then give the .tif inside';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'it is a zip archive; unpack it first, then give the .tif inside';
  if (text.startsWith('ustar', 257)) return 'it is a tar archive; unpack it first, then give the .tif inside';
  if (/^[{[]/.test(text)) return 'it looks like JSON text';
  if (!head.includes(0) && /^[\x20-\x7e\t\r\n]+$/.test(text.slice(0, 40))) {
    return `it is text starting "${text.slice(0, 40).replace(/\s+/g, ' ').trim()}" (a table or a note, not a raster)`;
  }
  return null;
}

export async function readFirstIfd(src: ByteSource): Promise<TiffIfd> {
  const path = src.name;
  const fileSize = src.size;
  const readAt = (offset: number, length: number, what: string) => src.read(offset, length, what, true);
  const notTiff = (why: string) => new NtlError(`${path} is not a GeoTIFF (${why}). Give a .tif written by GDAL, QGIS, ArcGIS, R terra or similar.`);
  if (fileSize === 0) throw notTiff('the file is empty, 0 bytes: an interrupted download or export');
  if (fileSize < 8) throw notTiff(`only ${fileSize} bytes long, too short for a TIFF header`);
  const head = await readAt(0, Math.min(16, fileSize), 'the TIFF header');
  const order = String.fromCharCode(head[0], head[1]);
  if (order !== 'II' && order !== 'MM') {
    const looks = describeNonTiff(await readAt(0, Math.min(512, fileSize), 'the TIFF header'));
    throw notTiff(`it does not start with the TIFF byte-order mark II or MM${looks ? `; ${looks}` : ''}`);
  }
  const le = order === 'II';
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = hv.getUint16(2, le);
  if (magic !== 42 && magic !== 43) throw notTiff(`TIFF version ${magic}, expected 42 or 43 (BigTIFF)`);
  const big = magic === 43;
  if (big && head.length < 16) throw notTiff('truncated BigTIFF header');
  const ifdOffset = big ? Number(hv.getBigUint64(8, le)) : hv.getUint32(4, le);
  if (ifdOffset < 8 || ifdOffset >= fileSize) {
    throw new NtlError(
      `${path}: file is truncated or corrupt: its first image directory is at byte ${ifdOffset} but the file has ${fileSize} bytes. Fetch or write the file again.`,
    );
  }
  const countSize = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  const cntBuf = await readAt(ifdOffset, countSize, 'the image directory');
  const cv = new DataView(cntBuf.buffer, cntBuf.byteOffset, cntBuf.byteLength);
  const n = big ? Number(cv.getBigUint64(0, le)) : cv.getUint16(0, le);
  // Check declared sizes against the file before allocating: a corrupt count must not become a 4 GB buffer.
  if (ifdOffset + countSize + n * entrySize > fileSize) {
    throw new NtlError(
      `${path}: file is truncated or corrupt: its image directory lists ${n} entries, which run past the end of the file (${fileSize} bytes). Fetch or write the file again.`,
    );
  }
  const entries = await readAt(ifdOffset + countSize, n * entrySize, 'the image directory');
  const ev = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
  const tags = new Map<number, TagValue>();
  for (let i = 0; i < n; i++) {
    const e = i * entrySize;
    const tag = ev.getUint16(e, le);
    if (!WANTED.has(tag)) continue;
    const type = ev.getUint16(e + 2, le);
    const count = big ? Number(ev.getBigUint64(e + 4, le)) : ev.getUint32(e + 4, le);
    const size = TYPE_SIZE[type];
    if (size === undefined) continue; // unknown field type: libtiff ignores such entries too
    const bytes = size * count;
    const inlineCap = big ? 8 : 4;
    const valuePos = e + (big ? 12 : 8);
    let raw: Uint8Array;
    if (bytes <= inlineCap) {
      raw = entries.slice(valuePos, valuePos + bytes);
    } else {
      const off = big ? Number(ev.getBigUint64(valuePos, le)) : ev.getUint32(valuePos, le);
      if (!Number.isSafeInteger(off + bytes) || off + bytes > fileSize) {
        throw new NtlError(
          `${path}: file is truncated or corrupt: TIFF tag ${tag} declares ${count} values at byte ${off}, past the end of the file (${fileSize} bytes). Fetch or write the file again.`,
        );
      }
      raw = await readAt(off, bytes, `the values of TIFF tag ${tag}`);
    }
    tags.set(tag, decodeValues(raw, type, count, le));
  }
  return { littleEndian: le, bigTiff: big, fileSize, tags };
}

function decodeValues(raw: Uint8Array, type: number, count: number, le: boolean): TagValue {
  if (type === 2) {
    let s = '';
    for (let i = 0; i < raw.length; i++) s += String.fromCharCode(raw[i]);
    return s;
  }
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(type === 5 || type === 10 ? count : count);
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 1:
      case 7:
        out[i] = v.getUint8(i);
        break;
      case 6:
        out[i] = v.getInt8(i);
        break;
      case 3:
        out[i] = v.getUint16(2 * i, le);
        break;
      case 8:
        out[i] = v.getInt16(2 * i, le);
        break;
      case 4:
      case 13:
        out[i] = v.getUint32(4 * i, le);
        break;
      case 9:
        out[i] = v.getInt32(4 * i, le);
        break;
      case 5:
        out[i] = v.getUint32(8 * i, le) / v.getUint32(8 * i + 4, le);
        break;
      case 10:
        out[i] = v.getInt32(8 * i, le) / v.getInt32(8 * i + 4, le);
        break;
      case 11:
        out[i] = v.getFloat32(4 * i, le);
        break;
      case 12:
        out[i] = v.getFloat64(8 * i, le);
        break;
      case 16:
      case 18:
        out[i] = Number(v.getBigUint64(8 * i, le));
        break;
      case 17:
        out[i] = Number(v.getBigInt64(8 * i, le));
        break;
    }
  }
  return out;
}

export function tagNumbers(ifd: TiffIfd, tag: number): Float64Array | undefined {
  const v = ifd.tags.get(tag);
  return typeof v === 'string' ? undefined : v;
}

export function tagNumber(ifd: TiffIfd, tag: number, fallback: number): number {
  const v = tagNumbers(ifd, tag);
  return v && v.length > 0 ? v[0] : fallback;
}

export function tagString(ifd: TiffIfd, tag: number): string | undefined {
  const v = ifd.tags.get(tag);
  return typeof v === 'string' ? v : undefined;
}
