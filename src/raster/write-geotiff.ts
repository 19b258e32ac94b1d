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
  /** TIFF predictor: 1 none (default), 2 horizontal differencing (integers), 3 floating point (float32/64). */
  readonly predictor?: 1 | 2 | 3;
}

/** Tile rows compressed concurrently before writeRows waits (each holds width × tile values). */
const MAX_ROWS_IN_FLIGHT = 3;

type TypedOut = Uint8Array | Uint16Array | Int16Array | Int32Array | Float32Array | Float64Array;

interface DtypeInfo {
  bits: number;
  format: 1 | 2 | 3;
  ctor: new (n: number) => TypedOut;
  min: number;
  max: number;
}
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
  private readonly offsets: number[] = [];
  private readonly counts: number[] = [];
  /** The current tile row: one zero-filled t×t buffer per tile column (edge padding stays 0, as GDAL does). */
  private tiles: TypedOut[];
  private stripRows = 0;
  private rowsDone = 0;
  private pos = 8;
  private closed = false;
  /** Tile rows being compressed (libuv threadpool) while the caller computes the next rows; written in order. */
  private readonly inFlight: Promise<void>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** Compressed bytes of constant tiles, by their value's bit pattern (same input → same bytes as deflating again). */
  private readonly uniform = new Map<string, Promise<Buffer>>();
  private readonly templates = new Map<string, Buffer>();
  /** writeRowsLookup: the current tile row of raw bytes (expanded through the table tile by tile at flush). */
  private rawTiles: Uint8Array[] | null = null;
  private table: Int32Array | null = null;
  private readonly rawTemplates = new Map<string, Buffer>();
  /** Compressed size of the last tile (sizes the next tile's output chunk). */
  private lastCompressed = 0;
  /** writeRowsLookup: pixels written per raw value (padding excluded), so a caller can derive counts without a pass. */
  readonly rawHistogram = new Float64Array(256);

  private constructor(
    readonly path: string,
    readonly spec: GeoTiffSpec,
    private readonly tmp: string,
    private readonly fh: FileHandle,
  ) {
    this.info = DTYPES[spec.dtype];
    this.tile = spec.tileSize ?? 256;
    this.tilesAcross = Math.ceil(spec.width / this.tile);
    this.tiles = this.newTiles();
  }

  static async create(path: string, spec: GeoTiffSpec): Promise<GeoTiffWriter> {
    if (!DTYPES[spec.dtype]) throw new NtlError(`cannot write ${path}: data type ${String(spec.dtype)} is not one of ${Object.keys(DTYPES).join(', ')}`);
    if (!(spec.width > 0 && spec.height > 0)) throw new NtlError(`cannot write ${path}: empty raster (${spec.width} × ${spec.height})`);
    const t = spec.tileSize ?? 256;
    if (t % 16 !== 0 || t <= 0) throw new NtlError(`cannot write ${path}: tile size ${t} must be a positive multiple of 16`);
    const level = spec.level ?? 6;
    if (!(Number.isInteger(level) && level >= 1 && level <= 9)) throw new NtlError(`cannot write ${path}: zlib level ${level} must be a whole number 1–9`);
    const pred = spec.predictor ?? 1;
    if (pred !== 1 && pred !== 2 && pred !== 3)
      throw new NtlError(`cannot write ${path}: predictor ${String(pred)} must be 1 (none), 2 (horizontal) or 3 (floating point)`);
    if (pred === 3 && DTYPES[spec.dtype].format !== 3) throw new NtlError(`cannot write ${path}: predictor 3 is for float data, not ${spec.dtype}; use 2`);
    if (pred === 2 && DTYPES[spec.dtype].format === 3) throw new NtlError(`cannot write ${path}: predictor 2 is for integer data, not ${spec.dtype}; use 3`);
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

  /** Tile buffers whose compression finished, reused (fresh zeroed pages cost page faults and GC). */
  private readonly free: TypedOut[] = [];

  private newTiles(): TypedOut[] {
    const out: TypedOut[] = [];
    const t = this.tile,
      edge = this.spec.width % t !== 0;
    for (let tx = 0; tx < this.tilesAcross; tx++) {
      const b = this.free.pop();
      // interior tiles are overwritten whole; the right-edge tile's padding must be 0 again
      if (b && (this.spec.predictor ?? 1) !== 1) b.fill(0);
      else if (b && edge && tx === this.tilesAcross - 1) b.fill(0);
      out.push(b ?? new this.info.ctor(t * t));
    }
    return out;
  }

  /** Append `rows` full-width rows (row-major, width values each). NaN → the no-data value. */
  async writeRows(values: ArrayLike<number>, rows: number): Promise<void> {
    if (this.failure) throw this.wrapFailure();
    const w = this.spec.width,
      t = this.tile;
    if (values.length < rows * w) throw new NtlError(`internal: writeRows got ${values.length} values for ${rows} rows of ${w}`);
    if (this.rowsDone + rows > this.spec.height) throw new NtlError(`cannot write ${this.path}: more rows than the raster's ${this.spec.height}`);
    // Float output with NaN (or no) no-data from a typed array: rows are copied tile-piece by piece (memcpy);
    // everything else goes through the per-value conversion (rounding, range check, NaN → no-data).
    const nd = this.spec.nodata;
    const fast = this.info.format === 3 && (nd === null || nd !== nd) && ArrayBuffer.isView(values);
    const src = values as TypedOut;
    for (let r = 0; r < rows; r++) {
      const rowStart = r * w,
        dstRow = this.stripRows * t;
      for (let tx = 0; tx < this.tilesAcross; tx++) {
        const c0 = tx * t,
          cw = Math.min(t, w - c0);
        const dst = this.tiles[tx] as TypedOut;
        if (fast) dst.set(src.subarray(rowStart + c0, rowStart + c0 + cw), dstRow);
        else this.convert(values, rowStart + c0, dst, dstRow, cw, this.rowsDone + 1);
      }
      this.stripRows++;
      this.rowsDone++;
      if (this.stripRows === t || this.rowsDone === this.spec.height) await this.flushStrip();
    }
  }

  /**
   * Rows of raw bytes whose output value is `table[byte]` (an 8-bit input through a pointwise calibration chain,
   * float32 output): raw rows are gathered into byte tiles and expanded tile by tile when the tile row is flushed,
   * so an interior tile of one raw value (sea, dark land, no-data) is never expanded. Same bytes as writeRows with
   * the expanded values. A writer takes either writeRows or writeRowsLookup, not both.
   */
  async writeRowsLookup(raw: Uint8Array, rows: number, table: Float32Array): Promise<void> {
    if (this.failure) throw this.wrapFailure();
    const w = this.spec.width,
      t = this.tile;
    if (this.spec.dtype !== 'float32' || (this.spec.predictor ?? 1) !== 1 || table.length !== 256)
      throw new NtlError(`internal: writeRowsLookup needs float32 output without predictor and a 256-entry table`);
    if (this.rowsDone > 0 && !this.rawTiles) throw new NtlError('internal: writeRowsLookup after writeRows on one writer');
    if (raw.length < rows * w) throw new NtlError(`internal: writeRowsLookup got ${raw.length} values for ${rows} rows of ${w}`);
    if (this.rowsDone + rows > this.spec.height) throw new NtlError(`cannot write ${this.path}: more rows than the raster's ${this.spec.height}`);
    if (!this.rawTiles) {
      this.rawTiles = Array.from({ length: this.tilesAcross }, () => new Uint8Array(t * t));
      this.table = new Int32Array(Float32Array.from(table).buffer); // bit patterns: NaN payloads kept
    }
    for (let r = 0; r < rows; r++) {
      const rowStart = r * w,
        dstRow = this.stripRows * t;
      for (let tx = 0; tx < this.tilesAcross; tx++) {
        const c0 = tx * t,
          cw = Math.min(t, w - c0);
        (this.rawTiles[tx] as Uint8Array).set(raw.subarray(rowStart + c0, rowStart + c0 + cw), dstRow);
      }
      this.stripRows++;
      this.rowsDone++;
      if (this.stripRows === t || this.rowsDone === this.spec.height) await this.flushStrip();
    }
  }

  /** Raw tile → float32 tile through the table, counting raw values; columns beyond `cw` (right edge) stay 0 like writeRows' padding. */
  private expand(raw: Uint8Array, dst: Float32Array, cw: number): void {
    const t = this.tile,
      table = this.table!,
      hist = this.rawHistogram;
    const out = new Int32Array(dst.buffer, dst.byteOffset, t * t);
    const words = new Uint32Array(raw.buffer, raw.byteOffset, (t * t) >> 2);
    const z = table[0] as number;
    let zeros = 0;
    for (let r = 0; r < this.stripRows; r++) {
      const o = r * t;
      let c = 0;
      // dark runs (raw 0) four at a time: most of a night-light tile
      for (; c + 4 <= cw; c += 4) {
        if (words[(o + c) >> 2] === 0) {
          out[o + c] = z;
          out[o + c + 1] = z;
          out[o + c + 2] = z;
          out[o + c + 3] = z;
          zeros += 4;
          continue;
        }
        for (let q = o + c; q < o + c + 4; q++) {
          const v = raw[q] as number;
          out[q] = table[v] as number;
          hist[v]!++;
        }
      }
      for (; c < cw; c++) {
        const v = raw[o + c] as number;
        out[o + c] = table[v] as number;
        hist[v]!++;
      }
      if (cw < t) out.fill(0, o + cw, o + t);
    }
    hist[0]! += zeros;
  }

  private convert(values: ArrayLike<number>, from: number, dst: TypedOut, at: number, n: number, row: number): void {
    const { min, max, format } = this.info;
    const nd = this.spec.nodata;
    if (format === 3) {
      for (let i = 0; i < n; i++) {
        const v = values[from + i] as number;
        dst[at + i] = v !== v && nd !== null ? nd : v;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      let v = values[from + i] as number;
      if (v !== v) {
        if (nd === null)
          throw new NtlError(`cannot write ${this.path}: row ${row - 1} has a missing value but the ${this.spec.dtype} output has no no-data value; set one`);
        v = nd;
      }
      v = Math.round(v);
      if (v < min || v > max)
        throw new NtlError(`cannot write ${this.path}: value ${v} at row ${row - 1} does not fit ${this.spec.dtype}; choose a wider --out-type (e.g. float32)`);
      dst[at + i] = v;
    }
  }

  /** Hand the finished tile row to the threadpool; wait only when too many rows are queued (bounded memory). */
  private async flushStrip(): Promise<void> {
    const bytesPer = this.info.bits / 8;
    const level = this.spec.level ?? 6;
    const pred = this.spec.predictor ?? 1;
    const t = this.tile;
    const jobs = this.tiles.map((tileArr, tx) => {
      const raw = this.rawTiles?.[tx];
      let lutKey: string | null = null;
      if (raw) {
        // lookup mode: an interior tile of one raw value is the table's value throughout — compress it once
        const full = this.stripRows === t && (tx + 1) * t <= this.spec.width;
        if (full && uniformKey(raw, 1, this.rawTemplates) !== null) {
          const bits = this.table![raw[0] as number] as number;
          this.rawHistogram[raw[0] as number]! += t * t;
          lutKey = `lut:${bits}`;
          const hit = this.uniform.get(lutKey);
          if (hit) {
            this.free.push(tileArr);
            return hit;
          }
          new Int32Array(tileArr.buffer, tileArr.byteOffset, t * t).fill(bits);
        } else this.expand(raw, tileArr as Float32Array, Math.min(t, this.spec.width - tx * t));
      }
      if (this.stripRows < t) tileArr.fill(0, this.stripRows * t); // last tile row: padding rows are 0
      const bytes = new Uint8Array(tileArr.buffer, tileArr.byteOffset, t * t * bytesPer);
      // Constant tiles (sea, outside the country, dark land) are common: compress each distinct one once.
      const key = uniformKey(bytes, bytesPer, this.templates);
      const hit = key === null ? undefined : this.uniform.get(key);
      if (hit) {
        this.free.push(tileArr);
        return hit;
      }
      if (pred !== 1) applyPredictor(bytes, pred, t, t, bytesPer);
      // one output chunk per tile where possible (16 KiB chunks cost a threadpool round trip each), but not a whole
      // tile's worth per call either: neighbouring tiles compress alike, so twice the last tile's size (≥ 64 KiB) fits
      const job = deflate(bytes, { level, chunkSize: Math.min(bytes.length + 1024, Math.max(65536, 2 * this.lastCompressed)) });
      void job.then(
        (b) => {
          this.lastCompressed = b.length;
        },
        () => undefined,
      );
      if (key !== null) this.uniform.set(key, job);
      if (lutKey !== null) this.uniform.set(lutKey, job);
      void job.then(
        () => this.free.push(tileArr),
        () => undefined,
      );
      return job;
    });
    this.tiles = this.newTiles();
    this.stripRows = 0;
    const prev = this.tail;
    this.tail = Promise.all([prev, Promise.all(jobs)])
      .then(([, bufs]) => this.append(bufs))
      .catch((e: unknown) => {
        this.failure ??= e;
      });
    this.inFlight.push(this.tail);
    if (this.inFlight.length > MAX_ROWS_IN_FLIGHT) await this.inFlight.shift();
    if (this.failure) throw this.wrapFailure();
  }

  private async append(bufs: readonly Buffer[]): Promise<void> {
    if (this.failure) return;
    let len = 0;
    for (const b of bufs) len += b.length;
    if (this.pos + len > 0xffffffff)
      throw new NtlError(`cannot write ${this.path}: output exceeds 4 GiB (BigTIFF output is not supported); write a smaller window`);
    const all = Buffer.concat(bufs as Buffer[], len);
    await this.fh.write(all, 0, len, this.pos);
    for (const b of bufs) {
      this.offsets.push(this.pos);
      this.counts.push(b.length);
      this.pos += b.length;
    }
  }

  private wrapFailure(): NtlError {
    const e = this.failure;
    if (e instanceof NtlError) return e;
    const err = e as NodeJS.ErrnoException;
    return new NtlError(`cannot write ${this.path}: ${err.code === 'ENOSPC' ? 'the disk is full' : err.message}; nothing was written`);
  }

  /** Write the IFD, close and rename into place. */
  async finish(): Promise<void> {
    if (this.rowsDone !== this.spec.height) {
      await this.abort();
      throw new NtlError(`cannot write ${this.path}: got ${this.rowsDone} of ${this.spec.height} rows; nothing was written`);
    }
    await this.tail;
    this.inFlight.length = 0;
    if (this.failure) {
      const e = this.wrapFailure();
      await this.abort();
      throw e;
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
    await this.tail; // let queued writes settle before the handle closes
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
      ...(this.spec.predictor && this.spec.predictor !== 1 ? [{ tag: 317, type: 3, values: [this.spec.predictor] }] : []),
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
    const offset = this.pos + (this.pos % 2); // word-aligned IFD
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

/**
 * The bit pattern of a tile whose samples are all equal ("w0" or "w0:w1" for 8-byte samples), else null.
 * The first word says which constant it could be; one memcmp against a cached tile of that constant decides.
 */
export function uniformKey(bytes: Uint8Array, bytesPer: number, templates = new Map<string, Buffer>()): string | null {
  const w = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  const a = w[0] as number,
    b = w[1] as number;
  // 1- and 2-byte samples: the first word must repeat its first sample
  if (bytesPer === 1 && (a & 0xff) * 0x01010101 !== a >>> 0) return null;
  if (bytesPer === 2 && (a & 0xffff) * 0x10001 !== a >>> 0) return null;
  if (bytesPer === 4 && b !== a) return null;
  const key = bytesPer === 8 ? `${a}:${b}` : String(a);
  let tpl = templates.get(key);
  if (!tpl || tpl.length !== bytes.length) {
    const words = new Int32Array(bytes.length >> 2);
    for (let i = 0; i < words.length; i += 2) {
      words[i] = a;
      words[i + 1] = bytesPer === 8 ? b : a;
    }
    tpl = Buffer.from(words.buffer);
    templates.set(key, tpl);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).equals(tpl) ? key : null;
}

/**
 * TIFF predictors, in place on one tile (little-endian samples). 2: each sample minus its left neighbour
 * (wrapping, per row). 3 (Adobe floating point): per row, bytes regrouped into planes most-significant first,
 * then each byte minus its left neighbour — sign/exponent planes become long runs that DEFLATE cheaply.
 */
export function applyPredictor(bytes: Uint8Array, predictor: 2 | 3, width: number, rows: number, bytesPer: number): void {
  const rowBytes = width * bytesPer;
  if (predictor === 2) {
    const view =
      bytesPer === 1
        ? bytes
        : bytesPer === 2
          ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2)
          : new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let r = 0; r < rows; r++) {
      const o = r * width;
      for (let i = width - 1; i > 0; i--) view[o + i] = (view[o + i] as number) - (view[o + i - 1] as number);
    }
    return;
  }
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const o = r * rowBytes;
    for (let i = 0; i < width; i++) {
      const s = o + i * bytesPer;
      for (let b = 0; b < bytesPer; b++) tmp[b * width + i] = bytes[s + bytesPer - 1 - b] as number;
    }
    bytes[o] = tmp[0] as number;
    for (let k = 1; k < rowBytes; k++) bytes[o + k] = ((tmp[k] as number) - (tmp[k - 1] as number)) & 0xff;
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
