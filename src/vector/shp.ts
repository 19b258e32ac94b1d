/**
 * .shp/.shx reader for polygon shapefiles: each record's rings as stored (x,y only; Z/M ignored),
 * located through the .shx index. Grouping rings into polygons is rings.ts's job.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { NtlError } from '../errors.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const POLYGON_TYPES = new Set([5, 15, 25]); // Polygon, PolygonZ, PolygonM
const TYPE_NAMES: Record<number, string> = {
  1: 'Point',
  3: 'PolyLine',
  8: 'MultiPoint',
  11: 'PointZ',
  13: 'PolyLineZ',
  18: 'MultiPointZ',
  21: 'PointM',
  23: 'PolyLineM',
  28: 'MultiPointM',
  31: 'MultiPatch',
};

/** One record: its rings as stored (interleaved x,y), or null for a null shape. */
export type ShpGeometry = Float64Array[] | null;

/**
 * Random access to the .shp bytes: `at` makes `len` bytes from `offset` readable in `bytes`/`view` from the returned
 * position, until the next call.
 */
export interface ShpBytes {
  readonly length: number;
  bytes: Uint8Array;
  view: DataView;
  at(offset: number, len: number): number;
}

/** A .shp already in memory. */
export function shpInMemory(shp: Uint8Array): ShpBytes {
  return { length: shp.length, bytes: shp, view: new DataView(shp.buffer, shp.byteOffset, shp.byteLength), at: (offset) => offset };
}

/**
 * Read the .shp at `path` in chunks through one reused buffer: the whole file in memory would be fresh memory, and
 * first touching fresh memory costs more than the reading itself (records are stored in order, so chunks are read
 * once each).
 */
export function readShpFile(path: string, shx: Uint8Array): ShpGeometry[] {
  const fd = openSync(path, 'r');
  try {
    const length = fstatSync(fd).size;
    let start = 0,
      filled = 0;
    const src: ShpBytes = {
      length,
      bytes: new Uint8Array(Math.min(length, 1 << 18)), // (plain: a Buffer's subarrays are slower)
      view: new DataView(new ArrayBuffer(0)),
      at(offset, len) {
        if (offset >= start && offset + len <= start + filled) return offset - start;
        if (len > this.bytes.length) this.bytes = new Uint8Array(len);
        this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
        start = offset;
        filled = 0;
        const want = Math.min(this.bytes.length, length - offset);
        while (filled < want) {
          const n = readSync(fd, this.bytes, filled, want - filled, offset + filled);
          if (n <= 0) break;
          filled += n;
        }
        return 0;
      },
    };
    return readShp(src, shx, path);
  } finally {
    closeSync(fd);
  }
}

export function readShp(shpIn: Uint8Array | ShpBytes, shx: Uint8Array, file: string): ShpGeometry[] {
  const shp = shpIn instanceof Uint8Array ? shpInMemory(shpIn) : shpIn;
  if (shp.length < 100) throw new NtlError(`${file} is not a shapefile (.shp header missing); re-export it`);
  const h = shp.at(0, 100);
  if (shp.view.getInt32(h, false) !== 9994) throw new NtlError(`${file} is not a shapefile (.shp header missing); re-export it`);
  const fileType = shp.view.getInt32(h + 32, true);
  if (fileType !== 0 && !POLYGON_TYPES.has(fileType)) throw notPolygon(file, fileType, 'the file');
  const xv = new DataView(shx.buffer, shx.byteOffset, shx.byteLength);
  if (shx.length < 100 || xv.getInt32(0, false) !== 9994)
    throw new NtlError(`${file.replace(/\.shp$/i, '.shx')} is not a shapefile index; recreate it (e.g. ogr2ogr) or restore it`);
  const n = Math.floor((shx.length - 100) / 8);
  const out: ShpGeometry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const offset = xv.getInt32(100 + i * 8, false) * 2;
    const length = xv.getInt32(104 + i * 8, false) * 2;
    if (offset + 8 + length > shp.length || length < 4) {
      throw new NtlError(`${file}: record ${i + 1} lies beyond the end of the file (truncated .shp or wrong .shx); re-export the shapefile`);
    }
    out[i] = readRecord(shp, shp.at(offset + 8, length), length, file, i);
  }
  return out;
}

/** The record whose `length` content bytes start at shp.bytes[p]. */
function readRecord(shp: ShpBytes, p: number, length: number, file: string, i: number): ShpGeometry {
  const dv = shp.view;
  const type = dv.getInt32(p, true);
  if (type === 0) return null;
  if (!POLYGON_TYPES.has(type)) throw notPolygon(file, type, `record ${i + 1}`);
  const numParts = dv.getInt32(p + 36, true);
  const numPoints = dv.getInt32(p + 40, true);
  const partsAt = p + 44;
  const pointsAt = partsAt + 4 * numParts;
  if (numParts < 0 || numPoints < 0 || pointsAt + 16 * numPoints > p + length) {
    throw new NtlError(`${file}: record ${i + 1} is corrupt (${numParts} parts, ${numPoints} points do not fit in ${length} bytes); re-export the shapefile`);
  }
  const rings: Float64Array[] = [];
  for (let k = 0; k < numParts; k++) {
    const start = dv.getInt32(partsAt + 4 * k, true);
    const end = k + 1 < numParts ? dv.getInt32(partsAt + 4 * (k + 1), true) : numPoints;
    if (start < 0 || end > numPoints || end < start) {
      throw new NtlError(`${file}: record ${i + 1} has a corrupt part index; re-export the shapefile`);
    }
    const ring = new Float64Array(2 * (end - start));
    if (LITTLE_ENDIAN_HOST) {
      // the file's doubles are little-endian too: one byte copy instead of a DataView read per coordinate
      new Uint8Array(ring.buffer).set(shp.bytes.subarray(pointsAt + 16 * start, pointsAt + 16 * end));
    } else {
      for (let j = 0, q = pointsAt + 16 * start; j < ring.length; j += 2, q += 16) {
        ring[j] = dv.getFloat64(q, true);
        ring[j + 1] = dv.getFloat64(q + 8, true);
      }
    }
    rings.push(ring);
  }
  return rings;
}

function notPolygon(file: string, type: number, where: string): NtlError {
  return new NtlError(
    `${file}: ${where} holds ${TYPE_NAMES[type] ?? `shape type ${type}`} geometry, but zones must be polygons; ` + 'use a polygon boundary file',
  );
}
