/**
 * NASA Black Marble VNP46A3/A4 HDF5 tiles: `ntl zonal` on tiles written at test time to the documented layout
 * (test/helpers/blackmarble-fixtures.ts), checked against sums computed by hand, plus the mosaic's streaming,
 * placement fallbacks and the errors a user can run into.
 *
 * Fixture: two 10° tiles of 10 × 10 one-degree cells (the real 2400 × 2400 grid comes last):
 *   A = h29v05 (110–120°E, 30–40°N): raw radiance 100 + 10·row + col → 10.0 + row + col/10 nW·cm⁻²·sr⁻¹;
 *       quality 0 except (1,1) = 1 poor, (1,2) = 2 gap-filled, (2,2) = 255 with fill value;
 *       snow-covered layer 5 (0.5) everywhere, (2,2) = 77 (7.7) with quality 0.
 *   B = h29v06 (110–120°E, 20–30°N): raw 1000 + 10·row + col → 100.0 + row + col/10; (0,0) fill (quality 255).
 * Cell (r, c) of A spans lon 110+c … 111+c, lat 40−r … 39−r; of B lon 110+c …, lat 30−r … 29−r.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, runCli } from '../helpers/cli.js';
import { grid16, grid8, writeOtherHdf5, writeTile } from '../helpers/blackmarble-fixtures.js';
import { openBlackMarble } from '../../src/raster/blackmarble/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'ntl-bm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dir = join(tmp, 'tiles');
let A = '',
  B = '';

const square = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
function zones(name: string, features: Record<string, number[][]>): string {
  const path = join(tmp, name);
  writeFileSync(
    path,
    JSON.stringify({
      type: 'FeatureCollection',
      features: Object.entries(features).map(([id, ring]) => ({
        type: 'Feature',
        properties: { code: id },
        geometry: { type: 'Polygon', coordinates: [ring] },
      })),
    }),
  );
  return path;
}

function layersA(size = 10) {
  return {
    NearNadir_Composite_Snow_Free: { data: grid16(size, (r, c) => (r === 2 && c === 2 ? 65535 : 100 + 10 * r + c)) },
    NearNadir_Composite_Snow_Free_Quality: { data: grid8(size, (r, c) => (r === 1 && c === 1 ? 1 : r === 1 && c === 2 ? 2 : r === 2 && c === 2 ? 255 : 0)) },
    NearNadir_Composite_Snow_Free_Num: { data: grid16(size, () => 9) },
    NearNadir_Composite_Snow_Covered: { data: grid16(size, (r, c) => (r === 2 && c === 2 ? 77 : 5)) },
    NearNadir_Composite_Snow_Covered_Quality: { data: grid8(size, () => 0) },
    AllAngle_Composite_Snow_Free: { data: grid16(size, () => 20) },
    AllAngle_Composite_Snow_Free_Quality: { data: grid8(size, () => 0) },
  };
}
function layersB(size = 10) {
  return {
    NearNadir_Composite_Snow_Free: { data: grid16(size, (r, c) => (r === 0 && c === 0 ? 65535 : 1000 + 10 * r + c)) },
    NearNadir_Composite_Snow_Free_Quality: { data: grid8(size, (r, c) => (r === 0 && c === 0 ? 255 : 0)) },
    NearNadir_Composite_Snow_Free_Num: { data: grid16(size, () => 4) },
    NearNadir_Composite_Snow_Covered: { data: grid16(size, () => 5) },
    NearNadir_Composite_Snow_Covered_Quality: { data: grid8(size, () => 0) },
    AllAngle_Composite_Snow_Free: { data: grid16(size, () => 30) },
    AllAngle_Composite_Snow_Free_Quality: { data: grid8(size, () => 0) },
  };
}

let Z = '';
beforeAll(async () => {
  A = await writeTile({ dir, h: 29, v: 5, layers: layersA() });
  B = await writeTile({ dir, h: 29, v: 6, layers: layersB() });
  Z = zones('zones.geojson', {
    inA: square(110, 38, 112, 40), // A (0,0) (0,1) (1,0) (1,1)
    straddle: square(113, 29, 115, 31), // A (9,3) (9,4) + B (0,3) (0,4)
    half: square(110.5, 39, 111.5, 40), // half of A (0,0) and of A (0,1)
    q: square(111, 38, 113, 39), // A (1,1) poor, (1,2) gap-filled
    fillB: square(110, 29, 112, 30), // B (0,0) fill, (0,1)
    snowcell: square(112, 37, 113, 38), // A (2,2): snow-free fill, snow-covered 7.7
  });
}, 60_000);

type Row = Record<string, string>;
async function zonal(args: string[]): Promise<{ rows: Map<string, Row>; stderr: string }> {
  const r = await runCli(['zonal', '--zones', Z, '--id', 'code', '--stats', 'count,sum,nodata_count', ...args]);
  if (r.code !== 0) throw new Error(r.stderr);
  const { header, rows } = parseCsv(r.stdout);
  return { rows: new Map(rows.map((cells) => [cells[0]!, Object.fromEntries(header.map((h, i) => [h, cells[i]!]))])), stderr: r.stderr };
}
const num = (row: Row | undefined, k: string) => (row?.[k] === '' || row?.[k] === undefined ? null : Number(row[k]));
const f32 = Math.fround;

describe('ntl zonal on Black Marble tiles (hand-computed)', () => {
  it('sums the scaled radiance of the cells a polygon covers, across two tiles of one date', async () => {
    const { rows, stderr } = await zonal(['--raster', `${A},${B}`]);
    expect(stderr).toBe('ntl: warning: 1 zone covers only no-data cells (statistics left empty, nodata_count filled): ids snowcell\n');
    expect(num(rows.get('inA'), 'count')).toBe(4);
    expect(num(rows.get('inA'), 'sum')).toBeCloseTo(f32(10.0) + f32(10.1) + f32(11.0) + f32(11.1), 5);
    expect(num(rows.get('straddle'), 'count')).toBe(4);
    expect(num(rows.get('straddle'), 'sum')).toBeCloseTo(f32(19.3) + f32(19.4) + f32(100.3) + f32(100.4), 4);
    // exact coverage: half of two cells
    expect(num(rows.get('half'), 'count')).toBeCloseTo(1, 10);
    expect(num(rows.get('half'), 'sum')).toBeCloseTo(0.5 * f32(10.0) + 0.5 * f32(10.1), 5);
    // the fill cell is no data, not 6553.5
    expect(num(rows.get('fillB'), 'count')).toBe(1);
    expect(num(rows.get('fillB'), 'nodata_count')).toBe(1);
    expect(num(rows.get('fillB'), 'sum')).toBeCloseTo(f32(100.1), 4);
  });

  it('a polygon straddling two tiles gets the sum of its parts read from each tile alone', async () => {
    const both = await zonal(['--raster', `${A},${B}`]);
    const onlyA = await zonal(['--raster', A]);
    const onlyB = await zonal(['--raster', B]);
    const s = (x: { rows: Map<string, Row> }) => num(x.rows.get('straddle'), 'sum') ?? 0;
    expect(s(both)).toBeCloseTo(s(onlyA) + s(onlyB), 4);
    expect(num(onlyA.rows.get('straddle'), 'count')! + num(onlyB.rows.get('straddle'), 'count')!).toBe(4);
  });

  it('takes the tiles from a glob, in any order', async () => {
    const glob = await zonal(['--raster', join(dir, 'VNP46A4.A2022001.h29v0[56].*.h5')]);
    const reversed = await zonal(['--raster', `${B},${A}`]);
    for (const id of ['inA', 'straddle', 'fillB']) expect(glob.rows.get(id)).toEqual(reversed.rows.get(id));
  });

  it('--bm-quality: any keeps poor and gap-filled cells; observed drops gap-filled; good keeps flag 0; a list keeps those flags', async () => {
    const q = async (rule?: string) => (await zonal(['--raster', A, ...(rule ? ['--bm-quality', rule] : [])])).rows.get('q');
    expect(num(await q(), 'sum')).toBeCloseTo(f32(11.1) + f32(11.2), 5);
    expect(num(await q('any'), 'count')).toBe(2);
    expect(num(await q('observed'), 'sum')).toBeCloseTo(f32(11.1), 5);
    expect(num(await q('observed'), 'nodata_count')).toBe(1);
    const good = await q('good');
    expect(num(good, 'count')).toBeNull(); // no valid cell left: empty, not 0
    expect(num(good, 'nodata_count')).toBe(2);
    expect(num(await q('0,2'), 'sum')).toBeCloseTo(f32(11.2), 5);
  });

  it('--bm-snow: free, covered, or all (snow-free where it passes, else snow-covered)', async () => {
    const s = async (snow: string, id: string) => num((await zonal(['--raster', A, '--bm-snow', snow])).rows.get(id), 'sum');
    expect(await s('free', 'snowcell')).toBeNull();
    expect(await s('covered', 'snowcell')).toBeCloseTo(f32(7.7), 5);
    expect(await s('all', 'snowcell')).toBeCloseTo(f32(7.7), 5);
    expect(await s('all', 'inA')).toBeCloseTo(f32(10.0) + f32(10.1) + f32(11.0) + f32(11.1), 5);
    expect(await s('covered', 'inA')).toBeCloseTo(4 * f32(0.5), 5);
  });

  it('--bm-layer: another view angle, and the _Num layer (counts, no scale factor)', async () => {
    const all = await zonal(['--raster', `${A},${B}`, '--bm-layer', 'AllAngle']);
    expect(num(all.rows.get('straddle'), 'sum')).toBeCloseTo(2 * 2 + 2 * 3, 5);
    const n = await zonal(['--raster', `${A},${B}`, '--bm-layer', 'NearNadir_Composite_Snow_Free_Num']);
    expect(num(n.rows.get('straddle'), 'sum')).toBe(2 * 9 + 2 * 4);
  });
});

describe('Black Marble mosaic as a RasterSource', () => {
  it('is an EPSG:4326 float32 grid over both tiles, streamed in bounded row bands', async () => {
    const src = await openBlackMarble([A, B], { bandPixels: 20 });
    try {
      const i = src.info;
      expect([i.width, i.height, i.dtype, i.crs?.epsg]).toEqual([10, 20, 'float32', 4326]);
      expect(i.geoTransform).toEqual([110, 1, 0, 40, 0, -1]);
      expect(src.period).toBe('VNP46A4.A2022001');
      let rows = 0;
      let maxRows = 0;
      for await (const band of src.bands({ rowStart: 3, rowEnd: 17, colStart: 2, colEnd: 7 })) {
        expect(band.row0).toBe(3 + rows);
        expect(band.width).toBe(5);
        rows += band.rows;
        maxRows = Math.max(maxRows, band.rows);
        if (band.row0 === 10) expect(band.data[0]).toBeCloseTo(f32(100.2), 4); // B (0,2)
      }
      expect(rows).toBe(14);
      expect(maxRows).toBeLessThanOrEqual(4); // bands of whole 2-row chunks, about 20 pixels: never the whole mosaic
    } finally {
      await src.close();
    }
  });

  it('places a tile by its lat/lon datasets, or (with a warning) by its tile name, the same way as by its attributes', async () => {
    const d = join(tmp, 'placement');
    const ll = await writeTile({ dir: join(d, 'll'), h: 29, v: 5, layers: layersA(), placement: 'latlon' });
    const none = await writeTile({ dir: join(d, 'none'), h: 29, v: 5, layers: layersA(), placement: 'none' });
    for (const p of [ll, none]) {
      const src = await openBlackMarble([p]);
      expect(src.info.geoTransform).toEqual([110, 1, 0, 40, 0, -1]);
      expect(src.warnings.join()).toMatch(p === none ? /placed by its tile number h29v05 on the 10° Black Marble grid/ : /^$/);
      await src.close();
    }
    const r = await zonal(['--raster', none]);
    expect(r.stderr).toMatch(/ntl: warning: .*placed by its tile number h29v05/);
  });

  it('warns when the tiles leave a hole in their rectangle', async () => {
    const c = await writeTile({ dir: join(tmp, 'hole'), h: 30, v: 6, layers: layersB() });
    const src = await openBlackMarble([A, c]);
    expect([src.info.width, src.info.height]).toEqual([20, 20]);
    expect(src.warnings.join()).toMatch(/no file for h30v05, h29v06/);
    await src.close();
  });
});

describe('Black Marble errors', () => {
  const fail = async (args: string[]) => {
    const r = await runCli(['zonal', '--zones', Z, '--id', 'code', ...args]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    return r.stderr;
  };

  it('a non-Black-Marble HDF5 file, a file that is not HDF5, a missing file', async () => {
    const other = await writeOtherHdf5(join(tmp, 'other.h5'));
    expect(await fail(['--raster', other])).toMatch(
      /^ntl: error: .*other\.h5 is an HDF5 file but not a Black Marble VNP46A3\/VNP46A4 tile: it has no group "HDFEOS\/GRIDS\/VIIRS_Grid_DNB_2d\/Data Fields" \(its top level holds: science\)/,
    );
    const text = join(tmp, 'VNP46A4.A2022001.h01v01.001.1.h5');
    writeFileSync(text, '<html>Please log in</html>');
    expect(await fail(['--raster', text])).toMatch(/is not an HDF5 file \(no HDF5 signature\)/);
    expect(await fail(['--raster', join(tmp, 'nope.h5')])).toMatch(/raster file not found: .*nope\.h5/);
  });

  it('a missing layer lists the layers the file has', async () => {
    expect(await fail(['--raster', A, '--bm-layer', 'OffNadir'])).toMatch(
      /has no layer "OffNadir_Composite_Snow_Free" in HDFEOS\/GRIDS\/VIIRS_Grid_DNB_2d\/Data Fields; its layers are: .*NearNadir_Composite_Snow_Free/,
    );
  });

  it('tiles of different dates, the same tile twice, a tile listed twice', async () => {
    const old = await writeTile({ dir: join(tmp, 'old'), h: 29, v: 6, date: 'A2021001', layers: layersB() });
    expect(await fail(['--raster', `${A},${old}`])).toMatch(
      /tiles of different products or dates cannot form one mosaic: VNP46A4\.A2022001 \(VNP46A4\.A2022001\.h29v05.*\); VNP46A4\.A2021001/,
    );
    const again = await writeTile({ dir: join(tmp, 'again'), h: 29, v: 5, name: 'VNP46A4.A2022001.h29v05.001.2099999999999.h5', layers: layersA() });
    expect(await fail(['--raster', `${A},${again}`])).toMatch(/two files for Black Marble tile h29v05/);
    expect(await fail(['--raster', `${A},${A}`])).toMatch(/is listed twice/);
  });

  it('bad options, and options that do not fit the input', async () => {
    expect(await fail(['--raster', A, '--bm-snow', 'winter'])).toMatch(/--bm-snow must be free, covered or all/);
    expect(await fail(['--raster', A, '--bm-quality', 'best'])).toMatch(/quality "best" is not understood/);
    expect(await fail(['--raster', A, '--bm-layer', 'NearNadir_Composite_Snow_Free', '--bm-snow', 'covered'])).toMatch(
      /is the snow-free composite but the snow option says covered/,
    );
    expect(await fail(['--raster', A, '--band', '2'])).toMatch(/choose it with the layer option/);
    expect(await fail(['--raster', A, '--raster-crs', 'EPSG:3857'])).toMatch(/--raster-crs does not apply to Black Marble tiles/);
    expect(await fail(['--raster', `${A},data/demo/viirs_like/2022_8bit_hunan.tif`])).toMatch(/mixes Black Marble \.h5 tiles with/);
    expect(await fail(['--raster', 'data/demo/viirs_like/2022_8bit_hunan.tif', '--bm-snow', 'all'])).toMatch(/apply to \.h5 tiles only/);
    expect(await fail(['--raster', join(dir, 'VNP46A4.A1999001.*.h5')])).toMatch(/the pattern .* matches no file/);
  });
});

describe('Black Marble on the real tile grid (2 × 2400 × 2400 cells of 15″)', () => {
  it('mosaics two full-size tiles and sums a 1° square across their edge', async () => {
    const d = join(tmp, 'full');
    const n = 2400;
    const t0 = Date.now();
    const a = await writeTile({
      dir: d,
      h: 29,
      v: 5,
      size: n,
      chunkRows: 240,
      layers: {
        NearNadir_Composite_Snow_Free: { data: new Uint16Array(n * n).fill(100) },
        NearNadir_Composite_Snow_Free_Quality: { data: new Uint8Array(n * n) },
      },
    });
    const b = await writeTile({
      dir: d,
      h: 29,
      v: 6,
      size: n,
      chunkRows: 240,
      layers: {
        NearNadir_Composite_Snow_Free: { data: new Uint16Array(n * n).fill(200) },
        NearNadir_Composite_Snow_Free_Quality: { data: new Uint8Array(n * n) },
      },
    });
    const written = Date.now() - t0;
    const src = await openBlackMarble([a, b]);
    expect([src.info.width, src.info.height]).toEqual([2400, 4800]);
    expect(src.info.geoTransform[1]).toBeCloseTo(15 / 3600, 12);
    expect(src.info.geoTransform[0]).toBe(110);
    expect(src.info.geoTransform[3]).toBe(40);
    await src.close();
    const z = zones('full.geojson', { edge: square(114, 29.5, 115, 30.5) });
    const r = await runCli(['zonal', '--raster', `${a},${b}`, '--zones', z, '--id', 'code', '--stats', 'count,sum']);
    expect(r.stderr).toBe('');
    const row = parseCsv(r.stdout).rows[0]!;
    expect(Number(row[1])).toBeCloseTo(240 * 240, 6);
    expect(Number(row[2])).toBeCloseTo(120 * 240 * 10 + 120 * 240 * 20, 1);
    expect(written).toBeLessThan(20_000);
  }, 60_000);
});
