/**
 * Streaming tiled GeoTIFF writer: 256×256 tiles, DEFLATE (Adobe, tag 8), one band, uint8/int16/uint16/int32/
 * float32/float64, georeferencing (tiepoint + pixel scale, or ModelTransformation when rotated), GeoKeys for
 * the CRS and the GDAL_NODATA tag. Rows arrive top to bottom in any chunking; only one tile row (256 × width
 * values) is buffered, so memory does not grow with the raster. Output goes to a temporary sibling that is
 * renamed into place by finish(): a failure leaves no half-written file. Same input → identical bytes.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { deflate as deflateCb } from 'node:zlib';
import { NtlError } from '../errors.js';
import type { CrsDef } from '../geo/crs.js';
import { tempSiblingPath } from '../output/atomic.js';
import { geoKeysForCrs } from './geokeys-write.js';
import type { GeoTransform } from './types.js';

const deflate = promisify(deflateCb);

export type WritableDtype = 'uint8' | 'int16' | 'uint16' | 'int32' | 'float32' | 'float64';

export interface GeoTiffSpec {
  readonly width: number;
  readonly height: number;
  readonly dtype: WritableDtype;
  readonly geoTransform: GeoTransform;
  readonly crs: CrsDef | null;
  /** Written as GDAL_NODATA; NaN allowed for float types. NaN input values become this value. */
  readonly nodata: number | null;
  /** Tile edge in pixels (multiple of 16); default 256. */
  readonly tileSize?: number;
  /** zlib level 1–9; default 6. */
  readonly level?: number;
}

interface DtypeInfo { bits: number; format: 1 | 2 | 3; ctor: new (n: number) => ArrayLike<number> & { [i: number]: number; buffer: ArrayBufferLike; byteOffset: number; byteLength: number }; min: number; max: number }
const DTYPES: Record<WritableDtype, DtypeInfo> = {
  uint8: { bits: 8, format: 1, ctor: Uint8Array, min: 0, max: 255 },
  uint16: { bits: 16, format: 1, ctor: Uint16Array, min: 0, max: 65535 },
  int16: { bits: 16, format: 2, ctor: Int16Array, min: -32768, max: 32767 },
  int32: { bits: 32, format: 2, ctor: Int32Array, min: -2147483648, max: 2147483647 },
  float32: { bits: 32, format: 3, ctor: Float32Array, min: -Infinity, max: Infinity },
  float64: { bits: 64, format: 3, ctor: Float64Array, min: -Infinity, max: Infinity },
};

/** GDAL_NODATA text as GDAL writes it (shortest round-trip form; "nan"). */
export function nodataText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return String(v);
}

export class GeoTiffWriter {
  private readonly info: DtypeInfo;
  private readonly tile: number;
  private readonly tilesAcross: number;
  private readonly tilesDown: number;
  private readonly offsets: number[] = [];
  private readonly counts: number[] = [];
  private strip: ArrayLike<number> & { [i: number]: number };
  private stripRows = 0;
  private rowsDone = 0;
  private pos = 8;
  private closed = false;

  private constructor(readonly path: string, readonly spec: GeoTiffSpec, private readonly tmp: string, private readonly fh: FileHandle) {
    this.info = DTYPES[spec.dtype];
    this.tile = spec.tileSize ?? 256;
    this.tilesAcross = Math.ceil(spec.width / this.tile);
    this.tilesDown = Math.ceil(spec.height / this.tile);
    this.strip = new this.info.ctor(this.tile * spec.width);
  }

  static async create(path: string, spec: GeoTiffSpec): Promise<GeoTiffWriter> {
    if (!DTYPES[spec.dtype]) throw new NtlError(`cannot write ${path}: data type ${String(spec.dtype)} is not one of ${Object.keys(DTYPES).join(', ')}`);
    if (!(spec.width > 0 && spec.height > 0)) throw new NtlError(`cannot write ${path}: empty raster (${spec.width} × ${spec.height})`);
    const t = spec.tileSize ?? 256;
    if (t % 16 !== 0 || t <= 0) throw new NtlError(`cannot write ${path}: tile size ${t} must be a positive multiple of 16`);
    if (spec.nodata !== null && Number.isNaN(spec.nodata) && DTYPES[spec.dtype].format !== 3) {
      throw new NtlError(`cannot write ${path}: no-data NaN needs a float data type, not ${spec.dtype}`);
    }
    geoKeysForCrs(spec.crs, path); // fail before any byte is written
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new NtlError(`cannot create output folder ${dirname(path)}: ${(e as Error).message}; choose a writable --out location`);
    }
    const tmp = tempSiblingPath(path);
    let fh: FileHandle;
    try {
      fh = await open(tmp, 'wx');
    } catch (e) {
      throw new NtlError(`cannot write ${path}: ${(e as Error).message}; choose a writable --out location`);
    }
    const header = Buffer.alloc(8);
    header.write('II', 0, 'latin1');
    header.writeUInt16LE(42, 2);
    await fh.write(header, 0, 8, 0);
    return new GeoTiffWriter(path, spec, tmp, fh);
  }

  /** Append `rows` full-width rows (row-major, width values each). NaN → the no-data value. */
  async writeRows(values: ArrayLike<number>, rows: number): Promise<void> {
    const w = this.spec.width;
    if (values.length < rows * w) throw new NtlError(`internal: writeRows got ${values.length} values for ${rows} rows of ${w}`);
    if (this.rowsDone + rows > this.spec.height) throw new NtlError(`cannot write ${this.path}: more rows than the raster's ${this.spec.height}`);
    const { min, max, format } = this.info;
    const nd = this.spec.nodata;
    let r = 0;
    while (r < rows) {
      const take = Math.min(rows - r, this.tile - this.stripRows);
      const base = this.stripRows * w;
      const src = r * w;
      const n = take * w;
      const dst = this.strip;
      if (format === 3) {
        for (let i = 0; i < n; i++) {
          const v = values[src + i] as number;
          dst[base + i] = v !== v && nd !== null ? nd : v;
        }
      } else {
        for (let i = 0; i < n; i++) {
          let v = values[src + i] as number;
          if (v !== v) {
            if (nd === null) throw new NtlError(`cannot write ${this.path}: row ${this.rowsDone + r + Math.floor(i / w)} has a missing value but the ${this.spec.dtype} output has no no-data value; set one`);
            v = nd;
          }
          v = Math.round(v);
          if (v < min || v > max) throw new NtlError(`cannot write ${this.path}: value ${v} at row ${this.rowsDone + r + Math.floor(i / w)} does not fit ${this.spec.dtype}; choose a wider --out-type (e.g. float32)`);
          dst[base + i] = v;
        }
      }
      this.stripRows += take;
      r += take;
      this.rowsDone += take;
      if (this.stripRows === this.tile || this.rowsDone === this.spec.height) await this.flushStrip();
    }
  }

  private async flushStrip(): Promise<void> {
    const t = this.tile, w = this.spec.width;
    const bytesPer = this.info.bits / 8;
    const tiles: Promise<Buffer>[] = [];
    for (let tx = 0; tx < this.tilesAcross; tx++) {
      const tileArr = new this.info.ctor(t * t); // edge tiles padded with 0, as GDAL does
      const c0 = tx * t, cw = Math.min(t, w - c0);
      for (let y = 0; y < this.stripRows; y++) {
        const rowStart = y * w + c0;
        for (let x = 0; x < cw; x++) tileArr[y * t + x] = this.strip[rowStart + x] as number;
      }
      const bytes = new Uint8Array(tileArr.buffer, tileArr.byteOffset, t * t * bytesPer);
      tiles.push(deflate(bytes, { level: this.spec.level ?? 6 }));
    }
    for (const buf of await Promise.all(tiles)) {
      if (this.pos + buf.length > 0xffffffff) throw new NtlError(`cannot write ${this.path}: output exceeds 4 GiB (BigTIFF output is not supported); write a smaller window`);
      await this.fh.write(buf, 0, buf.length, this.pos);
      this.offsets.push(this.pos);
      this.counts.push(buf.length);
      this.pos += buf.length;
    }
    this.stripRows = 0;
    this.strip = new this.info.ctor(t * w);
  }

  /** Write the IFD, close and rename into place. */
  async finish(): Promise<void> {
    if (this.rowsDone !== this.spec.height) {
      await this.abort();
      throw new NtlError(`cannot write ${this.path}: got ${this.rowsDone} of ${this.spec.height} rows; nothing was written`);
    }
    try {
      const ifd = this.buildIfd();
      await this.fh.write(ifd.bytes, 0, ifd.bytes.length, this.pos);
      const head = Buffer.alloc(4);
      head.writeUInt32LE(ifd.offset, 0);
      await this.fh.write(head, 0, 4, 4);
      await this.fh.sync();
      await this.fh.close();
      this.closed = true;
      await rename(this.tmp, this.path);
    } catch (e) {
      await this.abort();
      if (e instanceof NtlError) throw e;
      const err = e as NodeJS.ErrnoException;
      throw new NtlError(`cannot write ${this.path}: ${err.code === 'ENOSPC' ? 'the disk is full' : err.message}; nothing was written`);
    }
  }

  /** Drop the temporary file (after an error). */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await unlink(this.tmp).catch(() => undefined);
  }

  private buildIfd(): { bytes: Buffer; offset: number } {
    const s = this.spec;
    const gt = s.geoTransform;
    const keys = geoKeysForCrs(s.crs, this.path);
    type Entry = { tag: number; type: number; values: number[] | string };
    const entries: Entry[] = [
      { tag: 256, type: 4, values: [s.width] },
      { tag: 257, type: 4, values: [s.height] },
      { tag: 258, type: 3, values: [this.info.bits] },
      { tag: 259, type: 3, values: [8] },
      { tag: 262, type: 3, values: [1] },
      { tag: 277, type: 3, values: [1] },
      { tag: 284, type: 3, values: [1] },
      { tag: 322, type: 3, values: [this.tile] },
      { tag: 323, type: 3, values: [this.tile] },
      { tag: 324, type: 4, values: this.offsets },
      { tag: 325, type: 4, values: this.counts },
      { tag: 339, type: 3, values: [this.info.format] },
    ];
    if (gt[2] === 0 && gt[4] === 0) {
      entries.push({ tag: 33550, type: 12, values: [gt[1], -gt[5], 0] });
      entries.push({ tag: 33922, type: 12, values: [0, 0, 0, gt[0], gt[3], 0] });
    } else {
      entries.push({ tag: 34264, type: 12, values: [gt[1], gt[2], 0, gt[0], gt[4], gt[5], 0, gt[3], 0, 0, 0, 0, 0, 0, 0, 1] });
    }
    entries.push({ tag: 34735, type: 3, values: Array.from(keys.directory) });
    if (keys.doubles) entries.push({ tag: 34736, type: 12, values: Array.from(keys.doubles) });
    if (keys.ascii) entries.push({ tag: 34737, type: 2, values: keys.ascii });
    if (s.nodata !== null) entries.push({ tag: 42113, type: 2, values: nodataText(s.nodata) });
    entries.sort((a, b) => a.tag - b.tag);

    const size = (e: Entry) => (typeof e.values === 'string' ? e.values.length + 1 : e.values.length * (e.type === 12 ? 8 : e.type === 4 ? 4 : 2));
    let offset = this.pos + (this.pos % 2); // word-aligned IFD
    const ifdLen = 2 + entries.length * 12 + 4;
    let extra = offset + ifdLen;
    const out = Buffer.alloc(ifdLen + entries.reduce((a, e) => a + (size(e) > 4 ? size(e) + (size(e) % 2) : 0), 0) + (offset - this.pos));
    const base = this.pos;
    let p = offset - base;
    out.writeUInt16LE(entries.length, p);
    p += 2;
    for (const e of entries) {
      const n = typeof e.values === 'string' ? e.values.length + 1 : e.values.length;
      out.writeUInt16LE(e.tag, p);
      out.writeUInt16LE(e.type, p + 2);
      out.writeUInt32LE(n, p + 4);
      const bytes = size(e);
      let at = p + 8;
      if (bytes > 4) {
        out.writeUInt32LE(extra, p + 8);
        at = extra - base;
        extra += bytes + (bytes % 2);
      }
      if (typeof e.values === 'string') out.write(e.values, at, 'latin1');
      else {
        e.values.forEach((v, i) => {
          if (e.type === 12) out.writeDoubleLE(v, at + 8 * i);
          else if (e.type === 4) out.writeUInt32LE(v, at + 4 * i);
          else out.writeUInt16LE(v, at + 2 * i);
        });
      }
      p += 12;
    }
    out.writeUInt32LE(0, p);
    return { bytes: out, offset };
  }
}

/** Convenience: write a whole in-memory raster (tests, small outputs). */
export async function writeGeoTiff(path: string, spec: GeoTiffSpec, values: ArrayLike<number>): Promise<void> {
  const w = await GeoTiffWriter.create(path, spec);
  try {
    await w.writeRows(values, spec.height);
  } catch (e) {
    await w.abort();
    throw e;
  }
  await w.finish();
}
