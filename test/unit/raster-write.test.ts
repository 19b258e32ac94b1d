/**
 * The tiled DEFLATE GeoTIFF writer, checked against GDAL: scripts/golden/calibrate-write-gdal.py had GDAL 3.6
 * read the files this test writes (set NTL_WRITE_FIXTURES_DIR to keep them) and stored, per file, the bytes'
 * sha256, gdalinfo's structure (type, blocks, compression, no-data, geotransform, CRS as proj4) and GDAL's own
 * pixel sums. Here we regenerate the same files: identical bytes (determinism), GDAL's sums equal the values we
 * wrote, and our reader reads them back exactly.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import type { CrsDef } from '../../src/geo/crs.js';
import { openRaster } from '../../src/raster/index.js';
import { GeoTiffWriter, writeGeoTiff, type WritableDtype } from '../../src/raster/write-geotiff.js';
import { tempDir } from '../helpers/tmp.js';

const ALBERS: CrsDef = {
  proj4: '+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
  epsg: null,
  geographic: false,
  label: 'WGS_1984_Albers',
};
const WGS84: CrsDef = { proj4: '+proj=longlat +datum=WGS84 +no_defs', epsg: 4326, geographic: true, label: 'EPSG:4326' };
const UTM50: CrsDef = { proj4: '+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs', epsg: 32650, geographic: false, label: 'EPSG:32650' };

interface Fixture {
  name: string;
  dtype: WritableDtype;
  crs: CrsDef;
  nodata: number | null;
  width: number;
  height: number;
  values: Float64Array;
  opts?: { tileSize?: number; predictor?: 1 | 2 | 3; level?: number };
}

/** Deterministic values covering each type's range ends, its no-data and (floats) NaN and fractions. */
function fixtures(): Fixture[] {
  const make = (
    name: string,
    dtype: WritableDtype,
    crs: CrsDef,
    nodata: number | null,
    f: (i: number) => number,
    width = 300,
    height = 270,
    opts?: Fixture['opts'],
  ): Fixture => {
    const values = new Float64Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = f(i);
    return { name, dtype, crs, nodata, width, height, values, ...(opts ? { opts } : {}) };
  };
  // Night-light-like: a bright blob in a dark (0) field with a no-data (NaN) left margin, so many 16×16 tiles
  // are constant (compressed once and reused) and tile buffers are recycled across many tile rows.
  const lights = (i: number, w = 150) => {
    const r = Math.floor(i / w),
      c = i % w;
    if (c < 40) return NaN;
    const d2 = (r - 60) ** 2 + (c - 100) ** 2;
    return d2 < 400 ? Math.fround(63 * Math.exp(-d2 / 200) + (i % 7) / 8) : 0;
  };
  return [
    make('uint8-albers', 'uint8', ALBERS, 255, (i) => (i % 97 === 0 ? 255 : (i * 7) % 64)),
    make('int16-wgs84', 'int16', WGS84, -32768, (i) => (i % 89 === 0 ? -32768 : ((i * 37) % 65535) - 32767)),
    make('uint16-utm', 'uint16', UTM50, 0, (i) => (i * 131) % 65536),
    make('int32-albers', 'int32', ALBERS, -1, (i) => (i % 5 === 0 ? -1 : (i * 2654435761) % 2147483647) - (i % 2 ? 2147483647 : 0) + (i % 2 ? 1 : 0)),
    make('float32-wgs84-nan', 'float32', WGS84, NaN, (i) => (i % 53 === 0 ? NaN : Math.fround(Math.sin(i) * 1000.123))),
    make('float64-albers', 'float64', ALBERS, -9999, (i) => (i % 61 === 0 ? -9999 : Math.cos(i) * 1e6 + i / 3)),
    make('uint8-wgs84-small', 'uint8', WGS84, null, (i) => i % 256, 37, 19),
    make('float32-lights-tile16', 'float32', WGS84, NaN, (i) => lights(i), 150, 130, { tileSize: 16, level: 1 }),
    make('float32-lights-pred3', 'float32', WGS84, NaN, (i) => lights(i), 150, 130, { tileSize: 32, predictor: 3 }),
    make('float64-lights-pred3', 'float64', ALBERS, -9999, (i) => (Number.isNaN(lights(i)) ? -9999 : lights(i) / 3), 150, 130, { tileSize: 16, predictor: 3 }),
    make('uint16-pred2', 'uint16', UTM50, 0, (i) => (i * 131) % 65536, 150, 130, { tileSize: 48, predictor: 2 }),
    make('int16-pred2', 'int16', WGS84, -32768, (i) => (i % 89 === 0 ? -32768 : ((i * 37) % 65535) - 32767), 150, 130, { tileSize: 16, predictor: 2 }),
    make('uint8-lights-pred2', 'uint8', ALBERS, 255, (i) => (Number.isNaN(lights(i)) ? 255 : Math.round(lights(i))), 150, 130, {
      tileSize: 16,
      predictor: 2,
      level: 9,
    }),
  ];
}

function geoTransform(crs: CrsDef): readonly [number, number, number, number, number, number] {
  return crs.geographic ? [108.4, 0.0044915764, 0, 30.5, 0, -0.0044915764] : [329371.08634, 1000, 0, 3260562.29332, 0, -1000];
}

async function writeAll(dir: string): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const f of fixtures()) {
    const path = join(dir, `${f.name}.tif`);
    // stream in uneven chunks to exercise tile-row buffering
    const w = await GeoTiffWriter.create(path, {
      width: f.width,
      height: f.height,
      dtype: f.dtype,
      geoTransform: geoTransform(f.crs),
      crs: f.crs,
      nodata: f.nodata,
      ...f.opts,
    });
    for (let r = 0; r < f.height; ) {
      const rows = Math.min(77, f.height - r);
      await w.writeRows(f.values.subarray(r * f.width, (r + rows) * f.width), rows);
      r += rows;
    }
    await w.finish();
    paths.set(f.name, path);
  }
  return paths;
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

interface GoldenEntry {
  sha256: string;
  size: [number, number];
  type: string;
  block: [number, number];
  compression: string;
  nodata: number | string | null;
  geotransform: number[];
  proj4: string;
  valid_count: number;
  valid_sum: number;
}

describe('GeoTIFF writer vs GDAL goldens', async () => {
  const dir = process.env.NTL_WRITE_FIXTURES_DIR ?? tempDir('write');
  mkdirSync(dir, { recursive: true });
  const paths = await writeAll(dir);
  const goldenPath = 'test/goldens/calibrate-write-gdal.json';
  const golden = existsSync(goldenPath) ? (JSON.parse(readFileSync(goldenPath, 'utf8')) as Record<string, GoldenEntry>) : {};

  for (const f of fixtures()) {
    it(`${f.name}: identical bytes, GDAL reads what we wrote, our reader round-trips`, async () => {
      const g = golden[f.name];
      expect(g, `no golden for ${f.name}: run scripts/golden/calibrate-write-gdal.py`).toBeDefined();
      const path = paths.get(f.name) as string;
      expect(sha(path)).toBe(g!.sha256);
      expect(g!.compression).toBe('DEFLATE');
      const t = f.opts?.tileSize ?? 256;
      expect(g!.block).toEqual([t, t]);
      expect(g!.size).toEqual([f.width, f.height]);
      expect(g!.geotransform).toEqual([...geoTransform(f.crs)]);
      // GDAL's sum over its valid pixels equals ours (values as stored in the type)
      const nd = f.nodata;
      let count = 0,
        sum = 0;
      for (const v0 of f.values) {
        const v = f.dtype === 'float32' ? Math.fround(v0) : v0;
        if (Number.isNaN(v) || (nd !== null && v === nd)) continue;
        count++;
        sum += v;
      }
      expect(g!.valid_count).toBe(count);
      expect(Math.abs(g!.valid_sum - sum)).toBeLessThanOrEqual(Math.abs(sum) * 1e-12);
      // our reader: same CRS, same values
      const src = await openRaster(path, { threads: 0 });
      expect(src.info.crs?.proj4).toBe(f.crs.proj4);
      expect(src.info.dtype).toBe(f.dtype);
      let i = 0,
        mismatches = 0;
      for await (const b of src.bands()) {
        for (let k = 0; k < b.data.length; k++, i++) {
          const want = f.values[i] as number;
          const got = b.data[k] as number;
          const ok = Number.isNaN(want) ? Number.isNaN(got) || got === nd : got === (f.dtype === 'float32' ? Math.fround(want) : want);
          if (!ok) mismatches++;
        }
      }
      expect(mismatches).toBe(0);
      await src.close();
      expect(i).toBe(f.width * f.height);
    });
  }

  it('GDAL sees the CRS: EPSG codes and the user-defined Albers', () => {
    expect(golden['uint8-albers']!.proj4).toContain('+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47');
    expect(golden['int16-wgs84']!.proj4).toContain('+proj=longlat +datum=WGS84');
    expect(golden['uint16-utm']!.proj4).toContain('+proj=utm +zone=50');
    expect(golden['float32-wgs84-nan']!.nodata).toBe('nan');
    expect(golden['uint8-albers']!.nodata).toBe(255);
  });
});

describe('writer errors', () => {
  const dir = tempDir('write-bad');
  it('out-of-range value, missing rows, NaN without no-data: one NtlError and no file', async () => {
    const spec = { width: 4, height: 2, dtype: 'uint8' as const, geoTransform: [0, 1, 0, 0, 0, -1] as const, crs: WGS84, nodata: null };
    await expect(writeGeoTiff(join(dir, 'a.tif'), spec, [1, 2, 3, 300, 0, 0, 0, 0])).rejects.toThrow(/value 300 at row 0 does not fit uint8/);
    await expect(writeGeoTiff(join(dir, 'b.tif'), spec, [1, 2, 3, NaN, 0, 0, 0, 0])).rejects.toThrow(NtlError);
    const w = await GeoTiffWriter.create(join(dir, 'c.tif'), spec);
    await w.writeRows([1, 2, 3, 4], 1);
    await expect(w.finish()).rejects.toThrow(/got 1 of 2 rows/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
