import { describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import type { GeoTransform } from '../../src/raster/types.js';
import type { PolygonRings, Zone } from '../../src/vector/types.js';
import { centreCoverage, coverageFractions } from '../../src/zonal/coverage.js';
import { zonalStatistics, type EngineOptions } from '../../src/zonal/engine.js';
import type { Grid } from '../../src/zonal/grid.js';
import { parseStats } from '../../src/zonal/spec.js';
import { memoryRaster } from '../helpers/memory-raster.js';
import { mulberry32 } from '../../src/estimate/prng.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
const rng = mulberry32;

const ring = (pts: number[][]): Float64Array => Float64Array.from([...pts, pts[0]].flat());
const zone = (id: string, parts: PolygonRings[]): Zone => ({ id, attributes: {}, parts });

// A 60 × 45 geographic grid at 0.25°, origin (100°E, 40°N).
const NX = 60,
  NY = 45;
const GT: GeoTransform = [100, 0.25, 0, 40, 0, -0.25];
const GRID: Grid = { xmin: 100, ymax: 40, dx: 0.25, dy: 0.25, nx: NX, ny: NY };

function randomData(seed: number, nodata: number | null): Float64Array {
  const r = rng(seed);
  const d = new Float64Array(NX * NY);
  for (let i = 0; i < d.length; i++) d[i] = r() < 0.05 && nodata !== null ? nodata : Math.floor(r() * 50) + (r() < 0.3 ? 0.5 : 0);
  for (let i = 0; i < d.length; i += 97) d[i] = NaN;
  return d;
}

/** Jittered quadrilateral tessellation of [x0,x1]×[y0,y1] (nodes on the extent edges stay on them), each quad split in two. */
function tessellation(seed: number, x0: number, y0: number, x1: number, y1: number, n: number, m: number): Zone[] {
  const r = rng(seed);
  const px: number[][] = [],
    py: number[][] = [];
  for (let i = 0; i <= n; i++) {
    px.push([]);
    py.push([]);
    for (let j = 0; j <= m; j++) {
      const jx = i === 0 || i === n ? 0 : (r() - 0.5) * 0.6;
      const jy = j === 0 || j === m ? 0 : (r() - 0.5) * 0.6;
      px[i].push(x0 + ((i + jx) * (x1 - x0)) / n);
      py[i].push(y0 + ((j + jy) * (y1 - y0)) / m);
    }
  }
  const zones: Zone[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const a = [px[i][j], py[i][j]],
        b = [px[i + 1][j], py[i + 1][j]],
        c = [px[i + 1][j + 1], py[i + 1][j + 1]],
        d = [px[i][j + 1], py[i][j + 1]];
      zones.push(zone(`t${i}_${j}a`, [[ring([a, b, c])]]));
      zones.push(zone(`t${i}_${j}b`, [[ring([a, c, d])]]));
    }
  }
  return zones;
}

const R = 6378137;
/** Independent spherical cell area: the lat band's share of the sphere, 2πR²·|Δ sin φ|·(Δλ/360). */
const bandCellKm2 = (row: number) => {
  const top = ((40 - row * 0.25) * Math.PI) / 180,
    bottom = ((40 - (row + 1) * 0.25) * Math.PI) / 180;
  return (2 * Math.PI * R * R * Math.abs(Math.sin(top) - Math.sin(bottom)) * (0.25 / 360)) / 1e6;
};

/** Brute force: coverage over the whole grid, one cell at a time, two-pass variance. */
function reference(data: Float64Array, parts: PolygonRings[], nodata: number | null, centre = false) {
  const w = { row0: 0, row1: NY, col0: 0, col1: NX };
  const cov = centre ? centreCoverage(parts, GRID, w) : coverageFractions(parts, GRID, w);
  let cnt = 0,
    sum = 0,
    cw = 0,
    xcw = 0,
    lit = 0,
    nd = 0,
    mn = Infinity,
    mx = -Infinity;
  const cells: [number, number][] = [];
  for (let i = 0; i < cov.length; i++) {
    const c = cov[i];
    if (!(c > 0)) continue;
    const x = data[i];
    if (Number.isNaN(x) || x === nodata) {
      nd += c;
      continue;
    }
    const a = bandCellKm2(Math.floor(i / NX));
    cnt += c;
    sum += x * c;
    cw += c * a;
    xcw += x * c * a;
    if (x > 10) lit += c;
    mn = Math.min(mn, x);
    mx = Math.max(mx, x);
    cells.push([x, c]);
  }
  const mean = sum / cnt;
  const variance = cells.reduce((s, [x, c]) => s + c * (x - mean) ** 2, 0) / cnt;
  return {
    count: cnt,
    sum,
    mean,
    min: mn,
    max: mx,
    variance,
    weighted_sum: xcw,
    weighted_mean: xcw / cw,
    cell_area_sum_km2: cw,
    lit_count: lit,
    nodata_count: nd,
  };
}

const STATS = parseStats('count,sum,mean,min,max,variance,weighted_sum,weighted_mean,cell_area_sum_km2,lit_count,nodata_count,median,area_km2');
const opts = (extra: Partial<EngineOptions> = {}): EngineOptions => ({
  stats: STATS,
  rule: 'exact',
  nodataAsZero: false,
  litThreshold: 10,
  geographic: true,
  areaKm2: () => 123.5,
  ...extra,
});

const zonesMixed = (): Zone[] => [
  zone('tri', [
    [
      ring([
        [101.1, 30.2],
        [112.3, 31.7],
        [104.9, 39.1],
      ]),
    ],
  ]),
  zone('holed', [
    [
      ring([
        [103.2, 29.4],
        [113.9, 29.4],
        [113.9, 36.6],
        [103.2, 36.6],
      ]),
      ring([
        [105, 31],
        [105, 34.5],
        [110.3, 34.5],
        [110.3, 31],
      ]),
    ],
  ]),
  zone('multi', [
    [
      ring([
        [100.6, 38.9],
        [101.9, 38.9],
        [101.9, 39.8],
        [100.6, 39.8],
      ]),
    ],
    [
      ring([
        [108.05, 29.1],
        [114.7, 29.9],
        [111.1, 34.2],
      ]),
    ],
  ]),
  zone('edge', [
    [
      ring([
        [98.3, 27.1],
        [102.75, 27.1],
        [102.75, 41.2],
        [98.3, 41.2],
      ]),
    ],
  ]), // hangs over the raster's NW corner
  zone('tiny', [
    [
      ring([
        [107.01, 33.02],
        [107.06, 33.03],
        [107.04, 33.07],
      ]),
    ],
  ]),
];

describe('zonalStatistics vs brute force', () => {
  const data = randomData(1, -9999);
  it('every statistic matches a cell-by-cell reference', async () => {
    const src = memoryRaster({ width: NX, height: NY, geoTransform: GT, data, nodata: -9999, bandHeight: 8 });
    const zones = zonesMixed();
    const res = await zonalStatistics(src, zones, opts());
    expect(res.columns).toEqual(STATS.map((s) => s.column));
    zones.forEach((z, zi) => {
      const ref = reference(data, z.parts as PolygonRings[], -9999) as Record<string, number>;
      res.columns.forEach((c, ci) => {
        const got = res.rows[zi].values[ci];
        if (c === 'median') return;
        if (c === 'area_km2') return expect(got).toBe(123.5);
        expect(got, `${z.id}.${c}`).not.toBeNull();
        expect(Math.abs(got! - ref[c]), `${z.id}.${c}: ${got} vs ${ref[c]}`).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(ref[c])));
      });
    });
    expect(res.warnings).toEqual([]);
  });

  it('is bitwise independent of band height (1, 7, 128)', async () => {
    const zones = [...zonesMixed(), ...tessellation(5, 100, 28.75, 115, 40, 6, 5)];
    const runs = await Promise.all(
      [1, 7, 128].map((bh) => zonalStatistics(memoryRaster({ width: NX, height: NY, geoTransform: GT, data, nodata: -9999, bandHeight: bh }), zones, opts())),
    );
    const key = (r: (typeof runs)[0]) => r.rows.map((row) => row.values.map((v) => (v === null ? 'null' : v.toString())).join(',')).join('\n');
    expect(key(runs[1])).toBe(key(runs[0]));
    expect(key(runs[2])).toBe(key(runs[0]));
  });

  it('centre rule matches a brute-force centre reference', async () => {
    const src = memoryRaster({ width: NX, height: NY, geoTransform: GT, data, nodata: -9999, bandHeight: 5 });
    const zones = zonesMixed();
    const res = await zonalStatistics(src, zones, opts({ rule: 'centre', stats: parseStats('count,sum,min,max') }));
    zones.forEach((z, zi) => {
      const ref = reference(data, z.parts as PolygonRings[], -9999, true);
      if (ref.count === 0) return expect(res.rows[zi].values[0]).toBeNull();
      expect(res.rows[zi].values).toEqual([ref.count, ref.sum, ref.min, ref.max]);
      expect(Number.isInteger(ref.count)).toBe(true);
    });
  });
});

describe('conservation', () => {
  it('a tessellation of the raster extent conserves count and sum', async () => {
    const r = rng(9);
    const data = new Float64Array(NX * NY);
    for (let i = 0; i < data.length; i++) data[i] = r() * 100;
    let total = 0;
    for (const x of data) total += x;
    const zones = tessellation(11, 100, 28.75, 115, 40, 9, 7);
    const src = memoryRaster({ width: NX, height: NY, geoTransform: GT, data, bandHeight: 16 });
    const res = await zonalStatistics(src, zones, opts({ stats: parseStats('count,sum,cell_area_sum_km2') }));
    let cnt = 0,
      sum = 0,
      area = 0;
    for (const row of res.rows) {
      cnt += row.values[0]!;
      sum += row.values[1]!;
      area += row.values[2]!;
    }
    expect(Math.abs(cnt - NX * NY)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(sum - total) / total).toBeLessThanOrEqual(1e-12);
    // whole raster on the sphere: R²·(π/180)·(sin 40° − sin 28.75°)·15°
    const want = (R * R * (Math.PI / 180) * (Math.sin((40 * Math.PI) / 180) - Math.sin((28.75 * Math.PI) / 180)) * 15) / 1e6;
    expect(Math.abs(area - want) / want).toBeLessThanOrEqual(1e-12);
  });
});

describe('empty zones, no-data and options', () => {
  it('zones outside the raster, without parts or with only no-data get empty fields and a warning per cause', async () => {
    const data = new Float64Array(NX * NY).fill(7);
    for (let c = 0; c < 8; c++) data[40 * NX + c] = -1; // a no-data strip on row 40
    const src = memoryRaster({ width: NX, height: NY, geoTransform: GT, data, nodata: -1 });
    const zones = [
      zone('outside', [
        [
          ring([
            [50, 10],
            [51, 10],
            [51, 11],
          ]),
        ],
      ]),
      zone('noparts', []),
      zone('nodata', [
        [
          ring([
            [100.0, 29.75],
            [101.5, 29.75],
            [101.5, 29.9],
            [100.0, 29.9],
          ]),
        ],
      ]),
      zone('ok', [
        [
          ring([
            [105, 35],
            [106, 35],
            [106, 36],
            [105, 36],
          ]),
        ],
      ]),
    ];
    const res = await zonalStatistics(src, zones, opts({ stats: parseStats('count,sum,mean,nodata_count,area_km2') }));
    expect(res.rows[0].values).toEqual([null, null, null, null, 123.5]);
    expect(res.rows[1].values).toEqual([null, null, null, null, 123.5]);
    expect(res.rows[2].values.slice(0, 3)).toEqual([null, null, null]);
    expect(res.rows[2].values[3]).toBeCloseTo(6 * 0.6, 12); // 6 cells × 0.6 of their height
    expect(res.rows[3].values.slice(0, 3)).toEqual([16, 112, 7]);
    // each cause said once; the zone without parts is not "outside" (the boundary reader names it)
    expect(res.warnings).toEqual([
      '1 zone lies outside the raster (no cell covered; statistics left empty): ids outside',
      '1 zone covers only no-data cells (statistics left empty, nodata_count filled): ids nodata',
    ]);
    expect(res.empty).toEqual({ noGeometry: ['noparts'], outside: ['outside'], nodataOnly: ['nodata'] });
  });

  it('nodataAsZero turns no-data into valid zeros (NaN included)', async () => {
    const data = new Float32Array(NX * NY).fill(2);
    data[10 * NX + 10] = NaN;
    data[10 * NX + 11] = -5;
    const src = memoryRaster({ width: NX, height: NY, geoTransform: GT, data, dtype: 'float32', nodata: -5 });
    const z = [
      zone('z', [
        [
          ring([
            [102.5, 37],
            [103, 37],
            [103, 37.5],
            [102.5, 37.5],
          ]),
        ],
      ]),
    ]; // cols 10–11, rows 10–11
    const a = await zonalStatistics(src, z, opts({ stats: parseStats('count,sum,nodata_count') }));
    const b = await zonalStatistics(src, z, opts({ stats: parseStats('count,sum,nodata_count'), nodataAsZero: true }));
    expect(a.rows[0].values).toEqual([2, 4, 2]);
    expect(b.rows[0].values).toEqual([4, 4, 2]);
  });

  it('projected grids use dx·dy for cell areas; 8-bit quantiles use the histogram path', async () => {
    const data = new Uint8Array(20 * 20);
    for (let i = 0; i < data.length; i++) data[i] = i % 7;
    const src = memoryRaster({ width: 20, height: 20, geoTransform: [500000, 500, 0, 4000000, 0, -500], data, dtype: 'uint8' });
    const z = [
      zone('z', [
        [
          ring([
            [500000, 3990000],
            [510000, 3990000],
            [510000, 4000000],
            [500000, 4000000],
          ]),
        ],
      ]),
    ];
    const res = await zonalStatistics(src, z, {
      stats: parseStats('count,cell_area_sum_km2,median,quantile:0.9'),
      rule: 'exact',
      nodataAsZero: false,
      litThreshold: 0,
      geographic: false,
    });
    expect(res.rows[0].values[0]).toBe(400);
    expect(res.rows[0].values[1]).toBe(100);
    // weights 58,57,…,57 for values 0..6; S_2 = 2·57 + 6·115 = 804, S_3 = 3·57 + 6·172 = 1203, target 0.5·6·400 = 1200
    expect(res.rows[0].values[2]).toBeCloseTo(2 + 396 / 399, 14);
    const f64 = memoryRaster({ width: 20, height: 20, geoTransform: [500000, 500, 0, 4000000, 0, -500], data: Float64Array.from(data) });
    const viaMap = await zonalStatistics(f64, z, {
      stats: parseStats('count,cell_area_sum_km2,median,quantile:0.9'),
      rule: 'exact',
      nodataAsZero: false,
      litThreshold: 0,
      geographic: false,
    });
    expect(viaMap.rows[0].values).toEqual(res.rows[0].values);
  });

  it('rejects rotated rasters and a missing area function with an NtlError', async () => {
    const rot = memoryRaster({ width: 4, height: 4, geoTransform: [0, 1, 0.1, 4, 0, -1], data: new Float64Array(16) });
    await expect(zonalStatistics(rot, [], opts())).rejects.toSatisfy((e) => isNtlError(e) && /rotated/.test((e as Error).message));
    const ok = memoryRaster({ width: 4, height: 4, geoTransform: [0, 1, 0, 4, 0, -1], data: new Float64Array(16) });
    await expect(zonalStatistics(ok, [], opts({ areaKm2: undefined }))).rejects.toSatisfy((e) => isNtlError(e) && /area_km2/.test((e as Error).message));
  });

  it('reads only the rows and columns the zones touch', async () => {
    let asked: unknown, hint: unknown;
    const base = memoryRaster({ width: NX, height: NY, geoTransform: GT, data: new Float64Array(NX * NY), bandHeight: 4 });
    const spy = {
      ...base,
      bands: (w?: Parameters<typeof base.bands>[0], h?: Parameters<typeof base.bands>[1]) => {
        asked = w;
        hint = h;
        return base.bands(w, h);
      },
    };
    await zonalStatistics(
      spy,
      [
        zone('z', [
          [
            ring([
              [105.1, 35.1],
              [106.9, 35.1],
              [106.9, 36.9],
            ]),
          ],
        ]),
      ],
      opts({ stats: parseStats('count') }),
    );
    expect(asked).toEqual({ rowStart: 12, rowEnd: 20, colStart: 20, colEnd: 28 });
    // the zones' cell windows (the reader skips other blocks), and band buffers may be reused
    expect(hint).toEqual({ cells: [{ row0: 12, row1: 20, col0: 20, col1: 28 }], reuseBuffers: true });
  });
});
