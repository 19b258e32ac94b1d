/**
 * One Black Marble VNP46A3/A4 tile: where it lies, and its chosen layer read as float32 radiance for any
 * window of rows and columns (fill values and rejected quality flags → NaN, scale factor and offset applied).
 * Reads are HDF5 hyperslabs, so only the chunks a window touches are decompressed.
 */
import { basename } from 'node:path';
import { NtlError } from '../../errors.js';
import { attrNumber, attrText, checkHdf5File, h5Message, isDataset, isGroup, openH5, type H5Dataset, type H5File, type H5Group } from './h5.js';
import {
  compositeName,
  DAILY_DATA_FIELDS,
  DATA_FIELDS,
  documentedEncoding,
  parseLayer,
  parseQuality,
  parseTileName,
  QUALITY,
  tileBounds,
  tileId,
  type LayerChoice,
  type Snow,
  type Statistic,
} from './layout.js';

export interface BlackMarbleOptions {
  /** Layer of the Data Fields group (default NearNadir_Composite_Snow_Free); short forms like `AllAngle_Num` take the snow option. */
  readonly layer?: string;
  /** free (default) | covered | all (snow-free retrieval where there is one, else the snow-covered one). */
  readonly snow?: Snow;
  /** Kept quality flags: any (default: 0, 1, 2) | observed (0, 1) | good (0) | a list such as "0,2" or [0, 2]. */
  readonly quality?: string | readonly number[];
}

/** A layer as stored: the dataset, its decoding, and the quality layer that masks it. */
interface Plane {
  readonly name: string;
  readonly ds: H5Dataset;
  readonly fill: number | null;
  readonly scale: number;
  readonly offset: number;
  readonly quality: H5Dataset | null;
  /** keep[flag] = 1 when cells with that quality flag are kept. */
  readonly keep: Uint8Array | null;
}

export interface TileGeometry {
  readonly west: number;
  readonly north: number;
  /** Cell width and height in degrees (positive). */
  readonly dx: number;
  readonly dy: number;
  /** Where the placement came from, for messages. */
  readonly source: 'attributes' | 'lat/lon' | 'tile name';
}

export class BlackMarbleTile {
  private closed = false;
  private constructor(
    readonly path: string,
    private readonly file: H5File,
    readonly width: number,
    readonly height: number,
    readonly geometry: TileGeometry,
    /** e.g. "VNP46A4", or undefined when neither the name nor the attributes say. */
    readonly product: string | undefined,
    /** e.g. "A2022001" (first day of the period). */
    readonly date: string | undefined,
    /** e.g. "h29v06". */
    readonly tile: string | undefined,
    /** Rows per HDF5 chunk of the layer (1 when stored contiguously). */
    readonly chunkRows: number,
    readonly layerLabel: string,
    private readonly planes: readonly Plane[],
    readonly warnings: readonly string[],
  ) {}

  get name(): string {
    return basename(this.path);
  }

  static async open(path: string, opts: BlackMarbleOptions = {}): Promise<BlackMarbleTile> {
    await checkHdf5File(path);
    const name = basename(path);
    const parts = parseTileName(name);
    if (parts && /A[12]$/.test(parts.product)) throw dailyProduct(path, parts.product);
    const choice = parseLayer(opts.layer, opts.snow, opts.quality !== undefined ? String(opts.quality) : undefined);
    const keep = parseQuality(opts.quality);
    const file = await openH5(path);
    try {
      const fields = getGroup(file, DATA_FIELDS);
      if (!fields) {
        if (getGroup(file, DAILY_DATA_FIELDS)) throw dailyProduct(path, parts?.product ?? 'VNP46A1/VNP46A2');
        throw new NtlError(
          `${path} is an HDF5 file but not a Black Marble VNP46A3/VNP46A4 tile: it has no group "${DATA_FIELDS}" ` +
            `(its top level holds: ${safeKeys(file).join(', ') || 'nothing'}). Black Marble tiles come from LAADS DAAC (see docs/reach.md, "NASA Black Marble").`,
        );
      }
      const warnings: string[] = [];
      const planes = buildPlanes(path, fields, choice, keep, opts.quality !== undefined, warnings);
      const [height, width] = planes[0]!.ds.shape as [number, number]; // checked 2-D in buildPlanes
      const product = parts?.product ?? attrText(file, 'ShortName')?.toUpperCase();
      const date = parts?.date ?? dateFromAttrs(file);
      const geometry = placeTile(path, file, fields, width, height, parts, warnings);
      const tile = parts?.h !== undefined ? tileId(parts.h, parts.v!) : (tileFromAttrs(file) ?? tileOnGrid(geometry));
      const chunks = planes[0]!.ds.metadata.chunks as number[] | null | undefined;
      const chunkRows = chunks && chunks.length === 2 && chunks[0]! > 0 ? Math.min(chunks[0]!, height) : 1;
      const label = planes.map((p) => p.name).join(' | ');
      return new BlackMarbleTile(path, file, width, height, geometry, product, date, tile, chunkRows, label, planes, warnings);
    } catch (e) {
      file.close();
      throw e;
    }
  }

  /** Rows [r0, r1) × cols [c0, c1) of the layer as float32 (NaN = no data), written into `out` at `outOffset` with row stride `stride`. */
  readInto(r0: number, r1: number, c0: number, c1: number, out: Float32Array, outOffset: number, stride: number): void {
    if (this.closed) throw new NtlError(`${this.path} was closed while it was still being read.`);
    const w = c1 - c0;
    if (w <= 0 || r1 <= r0) return;
    const first = this.readPlane(this.planes[0]!, r0, r1, c0, c1);
    const second = this.planes.length > 1 ? this.readPlane(this.planes[1]!, r0, r1, c0, c1) : null;
    for (let r = 0; r < r1 - r0; r++) {
      const o = outOffset + r * stride;
      const s = r * w;
      for (let c = 0; c < w; c++) {
        let v = first[s + c]!;
        if (second !== null && v !== v) v = second[s + c]!;
        out[o + c] = v;
      }
    }
  }

  private readPlane(p: Plane, r0: number, r1: number, c0: number, c1: number): Float64Array {
    const raw = slice(this.path, p.ds, p.name, r0, r1, c0, c1);
    const q = p.quality && p.keep ? slice(this.path, p.quality, `${p.name} quality`, r0, r1, c0, c1) : null;
    const n = (r1 - r0) * (c1 - c0);
    const out = new Float64Array(n);
    const { fill, scale, offset, keep } = p;
    for (let i = 0; i < n; i++) {
      const x = Number(raw[i]);
      if (x !== x || x === fill) out[i] = NaN;
      else if (q !== null && keep![Number(q[i])] !== 1)
        out[i] = NaN; // flags outside 0–255 index past the mask: undefined → masked
      else out[i] = x * scale + offset;
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.file.close();
  }
}

function slice(path: string, ds: H5Dataset, name: string, r0: number, r1: number, c0: number, c1: number): ArrayLike<number | bigint> {
  try {
    const v = ds.slice([
      [r0, r1],
      [c0, c1],
    ]);
    if (!v || typeof v !== 'object' || !('length' in v)) throw new Error('no data returned');
    return v as ArrayLike<number | bigint>;
  } catch (e) {
    throw new NtlError(
      `cannot read rows ${r0}–${r1}, columns ${c0}–${c1} of layer ${name} in ${path}: ${h5Message(e)}. The file may be truncated or damaged; fetch it again.`,
    );
  }
}

function dailyProduct(path: string, product: string): NtlError {
  return new NtlError(
    `${path} is a daily Black Marble product (${product}), which this reader does not read (other layout and quality flags); ` +
      'use the monthly VNP46A3 or annual VNP46A4 composites',
  );
}

function getGroup(file: H5File, path: string): H5Group | null {
  try {
    const g = file.get(path);
    return isGroup(g) ? g : null;
  } catch {
    return null;
  }
}

function safeKeys(g: H5Group): string[] {
  try {
    return g.keys();
  } catch {
    return [];
  }
}

function buildPlanes(path: string, fields: H5Group, choice: LayerChoice, keep: readonly number[], qualityGiven: boolean, warnings: string[]): Plane[] {
  const layers = safeKeys(fields);
  const need = (name: string): H5Dataset => {
    const ds = layers.includes(name) ? fields.get(name) : null;
    if (!isDataset(ds)) {
      const list = layers.filter((l) => l !== 'lat' && l !== 'lon');
      throw new NtlError(`${path} has no layer "${name}" in ${DATA_FIELDS}; its layers are: ${list.join(', ') || 'none'}`);
    }
    const shape = ds.shape;
    if (!shape || shape.length !== 2 || shape[0]! < 1 || shape[1]! < 1) {
      throw new NtlError(`${path}: layer "${name}" is not a 2-D grid (shape ${JSON.stringify(shape)}); it cannot be read as a raster`);
    }
    const meta = ds.metadata as { type?: number; size?: number };
    if (meta.type !== 0 && meta.type !== 1) {
      throw new NtlError(`${path}: layer "${name}" does not hold numbers (HDF5 type class ${meta.type}); name a numeric layer`);
    }
    return ds;
  };
  if (choice.kind === 'other') {
    const ds = need(choice.name);
    const fill = attrNumber(ds, '_FillValue') ?? null;
    return [{ name: choice.name, ds, fill, scale: attrNumber(ds, 'scale_factor') ?? 1, offset: offsetOf(ds), quality: null, keep: null }];
  }
  const snows: ('free' | 'covered')[] = choice.snow === 'all' ? ['free', 'covered'] : [choice.snow];
  const planes = snows.map((snow): Plane => {
    const name = compositeName(choice.angle, snow, choice.stat);
    const ds = need(name);
    const documented = documentedEncoding(choice.stat);
    let fill = attrNumber(ds, '_FillValue');
    let scale = attrNumber(ds, 'scale_factor');
    if (fill === undefined) {
      fill = documented.fill;
      warnings.push(`${basename(path)}: layer ${name} has no _FillValue attribute; used the documented fill value ${fill}`);
    }
    if (scale === undefined) {
      scale = documented.scale;
      if (scale !== 1) warnings.push(`${basename(path)}: layer ${name} has no scale_factor attribute; used the documented ${scale}`);
    }
    let quality: H5Dataset | null = null;
    let keepMask: Uint8Array | null = null;
    if (choice.stat !== '_Quality') {
      const qName = compositeName(choice.angle, snow, '_Quality');
      if (layers.includes(qName)) {
        quality = need(qName);
        const qs = quality.shape ?? [],
          vs = ds.shape ?? [];
        if (qs[0] !== vs[0] || qs[1] !== vs[1]) {
          throw new NtlError(`${path}: quality layer ${qName} is ${qs.join(' × ')} but ${name} is ${vs.join(' × ')}; the file is inconsistent`);
        }
        keepMask = new Uint8Array(256);
        for (const f of keep) keepMask[f] = 1;
        keepMask[QUALITY.fill] = 0;
      } else if (qualityGiven) {
        throw new NtlError(`${path} has no quality layer ${qName}, so the quality option cannot be applied; leave it out to read ${name} unmasked`);
      } else {
        warnings.push(`${basename(path)}: no quality layer ${qName}; ${name} is read without quality masking (fill values only)`);
      }
    }
    return { name, ds, fill, scale, offset: offsetOf(ds), quality, keep: keepMask };
  });
  if (planes.length === 2) {
    const [a, b] = planes as [Plane, Plane];
    const as = a.ds.shape ?? [],
      bs = b.ds.shape ?? [];
    if (as[0] !== bs[0] || as[1] !== bs[1]) {
      throw new NtlError(`${path}: ${a.name} (${as.join(' × ')}) and ${b.name} (${bs.join(' × ')}) differ in size; snow "all" needs both on one grid`);
    }
  }
  return planes;
}

/** CF's add_offset, or the `offset` attribute blackmarblepy reads; 0 when absent. */
function offsetOf(ds: H5Dataset): number {
  return attrNumber(ds, 'add_offset') ?? attrNumber(ds, 'offset') ?? 0;
}

const BOUNDS = ['WestBoundingCoord', 'EastBoundingCoord', 'NorthBoundingCoord', 'SouthBoundingCoord'] as const;

/**
 * Where the tile lies: the global bounding attributes, else the lat/lon datasets (cell centres), else — with a
 * warning — its tile name on the 10° grid. When attributes and lat/lon both exist they must agree.
 */
function placeTile(
  path: string,
  file: H5File,
  fields: H5Group,
  width: number,
  height: number,
  parts: ReturnType<typeof parseTileName>,
  warnings: string[],
): TileGeometry {
  const [w, e, n, s] = BOUNDS.map((k) => attrNumber(file, k));
  let fromAttrs: TileGeometry | null = null;
  if (w !== undefined && e !== undefined && n !== undefined && s !== undefined) {
    if (!(e > w && n > s))
      throw new NtlError(`${path}: bounding attributes West ${w}, East ${e}, North ${n}, South ${s} do not describe an area; the file is damaged`);
    fromAttrs = { west: w, north: n, dx: (e - w) / width, dy: (n - s) / height, source: 'attributes' };
  }
  const fromLatLon = latLonGeometry(path, fields, width, height);
  let g: TileGeometry | null = fromAttrs ?? fromLatLon;
  if (fromAttrs && fromLatLon) {
    const off = Math.max(Math.abs(fromAttrs.west - fromLatLon.west) / fromAttrs.dx, Math.abs(fromAttrs.north - fromLatLon.north) / fromAttrs.dy);
    const scale = Math.max(Math.abs(fromAttrs.dx / fromLatLon.dx - 1), Math.abs(fromAttrs.dy / fromLatLon.dy - 1));
    if (off > 0.5 || scale > 1e-3) {
      throw new NtlError(
        `${path}: its bounding attributes (west ${w}, north ${n}, cell ${fromAttrs.dx}°) and its lat/lon datasets (west ${fromLatLon.west}, north ${fromLatLon.north}, cell ${fromLatLon.dx}°) ` +
          'disagree by more than half a cell; cannot tell where the tile lies',
      );
    }
  }
  if (!g) {
    const h = parts?.h ?? attrNumber(file, 'HorizontalTileNumber');
    const v = parts?.v ?? attrNumber(file, 'VerticalTileNumber');
    if (h === undefined || v === undefined || !Number.isInteger(h) || !Number.isInteger(v) || h < 0 || h > 35 || v < 0 || v > 17) {
      throw new NtlError(
        `${path}: cannot place the tile — it has no WestBoundingCoord/EastBoundingCoord/NorthBoundingCoord/SouthBoundingCoord attributes, ` +
          `no lat/lon datasets in ${DATA_FIELDS}, and no tile number (hXXvYY in the name, or HorizontalTileNumber/VerticalTileNumber)`,
      );
    }
    const b = tileBounds(h, v);
    g = { west: b.west, north: b.north, dx: (b.east - b.west) / width, dy: (b.north - b.south) / height, source: 'tile name' };
    warnings.push(`${basename(path)}: no bounding attributes or lat/lon datasets; placed by its tile number ${tileId(h, v)} on the 10° Black Marble grid`);
  }
  const east = g.west + g.dx * width,
    south = g.north - g.dy * height;
  const tol = 1e-6;
  if (g.west < -180 - tol || east > 180 + tol || g.north > 90 + tol || south < -90 - tol) {
    throw new NtlError(`${path}: the tile spans ${g.west}…${east}°E, ${south}…${g.north}°N (from its ${g.source}), outside the globe; the file is damaged`);
  }
  return g;
}

/** Geometry from the 1-D lat/lon datasets of cell centres; null when the file has none. */
function latLonGeometry(path: string, fields: H5Group, width: number, height: number): TileGeometry | null {
  const layers = safeKeys(fields);
  if (!layers.includes('lat') || !layers.includes('lon')) return null;
  const lat = fields.get('lat'),
    lon = fields.get('lon');
  if (!isDataset(lat) || !isDataset(lon)) return null;
  const read = (d: H5Dataset, n: number, what: string): Float64Array => {
    const shape = d.shape;
    if (!shape || shape.length !== 1 || shape[0] !== n) {
      throw new NtlError(
        `${path}: the ${what} dataset has shape ${JSON.stringify(shape)} but the layers have ${n} ${what === 'lon' ? 'columns' : 'rows'}; the file is inconsistent`,
      );
    }
    return Float64Array.from(d.value as ArrayLike<number>, Number);
  };
  const x = read(lon, width, 'lon'),
    y = read(lat, height, 'lat');
  if (width < 2 || height < 2) return null;
  const dx = (x[width - 1]! - x[0]!) / (width - 1);
  const dy = (y[0]! - y[height - 1]!) / (height - 1);
  if (!(dx > 0)) throw new NtlError(`${path}: the lon dataset does not increase from west to east; cannot read the tile`);
  if (!(dy > 0)) throw new NtlError(`${path}: the lat dataset runs south to north (or is constant); only north-up tiles, as LAADS distributes them, are read`);
  const irregular = (a: Float64Array, step: number, sign: number) => a.some((v, i) => Math.abs(v - (a[0]! + sign * i * step)) > step * 1e-3);
  if (irregular(x, dx, 1) || irregular(y, dy, -1))
    throw new NtlError(`${path}: the lat/lon datasets are not evenly spaced; this is not a regular Black Marble grid`);
  return { west: x[0]! - dx / 2, north: y[0]! + dy / 2, dx, dy, source: 'lat/lon' };
}

function tileFromAttrs(file: H5File): string | undefined {
  const h = attrNumber(file, 'HorizontalTileNumber'),
    v = attrNumber(file, 'VerticalTileNumber');
  return h !== undefined && v !== undefined ? tileId(h, v) : undefined;
}

/** hXXvYY when the geometry is exactly one 10° tile. */
function tileOnGrid(g: TileGeometry): string | undefined {
  const h = (g.west + 180) / 10,
    v = (90 - g.north) / 10;
  return Number.isInteger(Math.round(h * 1e6) / 1e6) && Number.isInteger(Math.round(v * 1e6) / 1e6) ? tileId(Math.round(h), Math.round(v)) : undefined;
}

/** "A2022001" from RangeBeginningDate ("2022-01-01"), when the file says. */
function dateFromAttrs(file: H5File): string | undefined {
  const t = attrText(file, 'RangeBeginningDate');
  const m = t ? /^(\d{4})-(\d{2})-(\d{2})/.exec(t) : null;
  if (!m) return undefined;
  const d = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const doy = Math.round((d - Date.UTC(Number(m[1]), 0, 1)) / 86_400_000) + 1;
  return `A${m[1]}${String(doy).padStart(3, '0')}`;
}

export type { Statistic };
