/**
 * Black Marble VNP46A3/A4 tiles written at test time with h5wasm, to the documented layout (src/raster/
 * blackmarble/layout.ts): layers in HDFEOS/GRIDS/VIIRS_Grid_DNB_2d/Data Fields, uint16 radiance with
 * scale_factor 0.1 and _FillValue 65535, uint8 _Quality layers with fill 255, lat/lon datasets of cell centres
 * and the West/East/North/SouthBoundingCoord global attributes. No real tile is at hand offline, so these are
 * the only Black Marble files the tests read. Tiles are 10° × 10° as on the real grid; `size` cells per side
 * (10 → 1° cells, easy to compute by hand; 2400 → the real 15″ cells).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

type H5 = typeof import('h5wasm/node');
let h5p: Promise<H5> | null = null;
async function h5(): Promise<H5> {
  h5p ??= (async () => {
    const m = await import('h5wasm/node');
    const M = await m.ready;
    M.activate_throwing_error_handler();
    return m;
  })();
  return h5p;
}

export interface FixtureLayer {
  /** Row-major values, rows × cols = size × size. */
  readonly data: Uint16Array | Uint8Array | Float32Array;
  /** Write _FillValue (default: 65535 for uint16, 255 for uint8; null: no attribute). */
  readonly fill?: number | null;
  /** Write scale_factor (default 0.1 for uint16 radiance/Std layers, none otherwise; null: no attribute). */
  readonly scale?: number | null;
}

export interface FixtureTile {
  readonly dir: string;
  readonly h: number;
  readonly v: number;
  /** Cells per side (default 10). */
  readonly size?: number;
  readonly product?: string;
  readonly date?: string;
  /** File name (default the LAADS pattern from product, date and tile). */
  readonly name?: string;
  /** Layers of Data Fields by name. */
  readonly layers: Readonly<Record<string, FixtureLayer>>;
  /** Which placement information to write (default both). */
  readonly placement?: 'attributes' | 'latlon' | 'both' | 'none';
  /** HDF5 chunk rows (default: size / 5, at least 1); compression gzip level 4. */
  readonly chunkRows?: number;
}

/** Write one tile; returns its path. */
export async function writeTile(t: FixtureTile): Promise<string> {
  const m = await h5();
  const size = t.size ?? 10;
  const product = t.product ?? 'VNP46A4';
  const date = t.date ?? 'A2022001';
  const tile = `h${String(t.h).padStart(2, '0')}v${String(t.v).padStart(2, '0')}`;
  const name = t.name ?? `${product}.${date}.${tile}.001.2023011214401.h5`;
  mkdirSync(t.dir, { recursive: true });
  const path = join(t.dir, name);
  const f = new m.File(path, 'w');
  try {
    const west = -180 + 10 * t.h,
      north = 90 - 10 * t.v;
    const placement = t.placement ?? 'both';
    if (placement === 'attributes' || placement === 'both') {
      f.create_attribute('WestBoundingCoord', west);
      f.create_attribute('EastBoundingCoord', west + 10);
      f.create_attribute('NorthBoundingCoord', north);
      f.create_attribute('SouthBoundingCoord', north - 10);
    }
    f.create_attribute('HorizontalTileNumber', String(t.h).padStart(2, '0'));
    f.create_attribute('VerticalTileNumber', String(t.v).padStart(2, '0'));
    f.create_group('HDFEOS');
    f.create_group('HDFEOS/GRIDS');
    f.create_group('HDFEOS/GRIDS/VIIRS_Grid_DNB_2d');
    const g = f.create_group('HDFEOS/GRIDS/VIIRS_Grid_DNB_2d/Data Fields');
    if (placement === 'latlon' || placement === 'both') {
      const d = 10 / size;
      g.create_dataset({ name: 'lon', data: Float64Array.from({ length: size }, (_, i) => west + (i + 0.5) * d), dtype: '<d' });
      g.create_dataset({ name: 'lat', data: Float64Array.from({ length: size }, (_, i) => north - (i + 0.5) * d), dtype: '<d' });
    }
    const chunkRows = t.chunkRows ?? Math.max(1, Math.floor(size / 5));
    for (const [lname, layer] of Object.entries(t.layers)) {
      const u8 = layer.data instanceof Uint8Array;
      const f32 = layer.data instanceof Float32Array;
      const ds = g.create_dataset({
        name: lname,
        data: layer.data,
        shape: [size, size],
        dtype: u8 ? '<B' : f32 ? '<f' : '<H',
        chunks: [chunkRows, size],
        compression: 'gzip',
        compression_opts: [4],
      });
      const fill = layer.fill === undefined ? (f32 ? null : u8 ? 255 : 65535) : layer.fill;
      if (fill !== null) ds.create_attribute('_FillValue', u8 ? new Uint8Array([fill]) : f32 ? new Float32Array([fill]) : new Uint16Array([fill]));
      const scale = layer.scale === undefined ? (u8 || f32 || lname.endsWith('_Num') ? null : 0.1) : layer.scale;
      if (scale !== null) ds.create_attribute('scale_factor', scale);
    }
  } finally {
    f.close();
  }
  return path;
}

/** Write an HDF5 file that is not a Black Marble tile. */
export async function writeOtherHdf5(path: string): Promise<string> {
  const m = await h5();
  const f = new m.File(path, 'w');
  try {
    f.create_group('science');
    f.get('science')!;
    (f.get('science') as InstanceType<H5['Group']>).create_dataset({ name: 'values', data: new Float32Array([1, 2, 3, 4]), shape: [2, 2], dtype: '<f' });
  } finally {
    f.close();
  }
  return path;
}

/** size × size array from f(row, col). */
export function grid16(size: number, f: (r: number, c: number) => number): Uint16Array {
  const a = new Uint16Array(size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) a[r * size + c] = f(r, c);
  return a;
}

export function grid8(size: number, f: (r: number, c: number) => number): Uint8Array {
  const a = new Uint8Array(size * size);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) a[r * size + c] = f(r, c);
  return a;
}
