/**
 * A minimal polygon shapefile writer for tests: .shp/.shx with the given rings per record (or a null shape),
 * a dBASE III .dbf whose character fields hold exactly the given bytes (so any code page can be written), and
 * optionally a .prj (WGS84 by default) and a .cpg.
 */
import { writeFileSync } from 'node:fs';

export interface ShapefileRecord {
  /** Rings as [x, y] lists, stored as given (shapefile outer rings are clockwise); null = a null shape. */
  readonly rings: number[][][] | null;
  /** Field name → bytes (or ASCII text) of a character field. */
  readonly values: Readonly<Record<string, Uint8Array | string>>;
}

export interface ShapefileOptions {
  /** Field names in order (ASCII text or raw bytes); each is a character field of `width` bytes. */
  readonly fields: readonly (string | Uint8Array)[];
  readonly width?: number;
  /** DBF language-driver byte (header byte 29); default 0. */
  readonly ldid?: number;
  /** Content of a .cpg file; none when undefined. */
  readonly cpg?: string;
  /** .prj content; WGS84 when undefined, none when null. */
  readonly prj?: string | null;
}

const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const bytesOf = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'latin1') : v);

/** Write `<base>.shp/.shx/.dbf` (+ .prj, .cpg); returns the .shp path. */
export function writeShapefile(base: string, records: readonly ShapefileRecord[], opts: ShapefileOptions): string {
  const contents: Buffer[] = [];
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const r of records) {
    if (r.rings === null) {
      const b = Buffer.alloc(4);
      b.writeInt32LE(0, 0);
      contents.push(b);
      continue;
    }
    const pts = r.rings.flat();
    const b = Buffer.alloc(44 + 4 * r.rings.length + 16 * pts.length);
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const [x, y] of pts) {
      x0 = Math.min(x0, x!);
      y0 = Math.min(y0, y!);
      x1 = Math.max(x1, x!);
      y1 = Math.max(y1, y!);
    }
    minX = Math.min(minX, x0);
    minY = Math.min(minY, y0);
    maxX = Math.max(maxX, x1);
    maxY = Math.max(maxY, y1);
    b.writeInt32LE(5, 0);
    b.writeDoubleLE(x0, 4);
    b.writeDoubleLE(y0, 12);
    b.writeDoubleLE(x1, 20);
    b.writeDoubleLE(y1, 28);
    b.writeInt32LE(r.rings.length, 36);
    b.writeInt32LE(pts.length, 40);
    let start = 0;
    r.rings.forEach((ring, k) => {
      b.writeInt32LE(start, 44 + 4 * k);
      start += ring.length;
    });
    pts.forEach(([x, y], k) => {
      b.writeDoubleLE(x!, 44 + 4 * r.rings!.length + 16 * k);
      b.writeDoubleLE(y!, 44 + 4 * r.rings!.length + 16 * k + 8);
    });
    contents.push(b);
  }
  const header = (lengthBytes: number): Buffer => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(lengthBytes / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(5, 32);
    const finite = Number.isFinite(minX);
    h.writeDoubleLE(finite ? minX : 0, 36);
    h.writeDoubleLE(finite ? minY : 0, 44);
    h.writeDoubleLE(finite ? maxX : 0, 52);
    h.writeDoubleLE(finite ? maxY : 0, 60);
    return h;
  };
  const shpParts: Buffer[] = [];
  const shx = Buffer.alloc(8 * records.length);
  let offset = 100;
  contents.forEach((c, i) => {
    const rh = Buffer.alloc(8);
    rh.writeInt32BE(i + 1, 0);
    rh.writeInt32BE(c.length / 2, 4);
    shpParts.push(rh, c);
    shx.writeInt32BE(offset / 2, 8 * i);
    shx.writeInt32BE(c.length / 2, 8 * i + 4);
    offset += 8 + c.length;
  });
  writeFileSync(`${base}.shp`, Buffer.concat([header(offset), ...shpParts]));
  writeFileSync(`${base}.shx`, Buffer.concat([header(100 + shx.length), shx]));

  const width = opts.width ?? 40;
  const nf = opts.fields.length;
  const headerLength = 32 + 32 * nf + 1;
  const recordLength = 1 + width * nf;
  const dbf = Buffer.alloc(headerLength + recordLength * records.length + 1, 0x20);
  dbf.fill(0, 0, headerLength);
  dbf.writeUInt8(3, 0);
  dbf.writeUInt8(124, 1);
  dbf.writeUInt8(1, 2);
  dbf.writeUInt8(1, 3);
  dbf.writeUInt32LE(records.length, 4);
  dbf.writeUInt16LE(headerLength, 8);
  dbf.writeUInt16LE(recordLength, 10);
  dbf.writeUInt8(opts.ldid ?? 0, 29);
  const names = opts.fields.map(bytesOf);
  names.forEach((name, k) => {
    dbf.set(name.subarray(0, 10), 32 + 32 * k);
    dbf.write('C', 32 + 32 * k + 11, 'latin1');
    dbf.writeUInt8(width, 32 + 32 * k + 16);
  });
  dbf.writeUInt8(0x0d, headerLength - 1);
  records.forEach((r, i) => {
    const at = headerLength + recordLength * i;
    dbf.write(' ', at, 'latin1');
    opts.fields.forEach((f, k) => {
      const key = typeof f === 'string' ? f : Buffer.from(f).toString('latin1');
      const v = r.values[key];
      if (v !== undefined) dbf.set(bytesOf(v).subarray(0, width), at + 1 + width * k);
    });
  });
  dbf.writeUInt8(0x1a, dbf.length - 1);
  writeFileSync(`${base}.dbf`, dbf);
  if (opts.prj !== null) writeFileSync(`${base}.prj`, opts.prj ?? WGS84_PRJ);
  if (opts.cpg !== undefined) writeFileSync(`${base}.cpg`, opts.cpg);
  return `${base}.shp`;
}

/** A closed clockwise square (a shapefile outer ring) with lower-left (x, y) and side s. */
export function cwSquare(x: number, y: number, s: number): number[][] {
  return [
    [x, y],
    [x, y + s],
    [x + s, y + s],
    [x + s, y],
    [x, y],
  ];
}
