/**
 * Zones split over worker threads (src/zonal/parallel.ts) give bitwise the numbers of the one-thread traversal:
 * every statistic, both coverage rules, no-data as zero (Hunan counties × real VIIRS-like clips). With a weighting
 * raster it falls back to the one-thread traversal.
 */
import { describe, expect, it } from 'vitest';
import { openRaster } from '../../src/raster/index.js';
import { geodesicAreaKm2, readZones } from '../../src/vector/index.js';
import {
  gridFromTransform,
  parseStats,
  partitionZones,
  polygonWindow,
  preparePolygon,
  zonalStatistics,
  zonalStatisticsParallel,
  ZonalWorkers,
  type EngineOptions,
} from '../../src/zonal/index.js';

const ZONES = 'data/demo/hunan_counties.geojson';
const ALL = parseStats(
  'count,sum,mean,min,max,stdev,variance,median,quantile:0.9,lit_count,lit_share,nodata_count,area_km2,cell_area_sum_km2,weighted_sum,weighted_mean',
);

/** Every number as its shortest round-trip text (equal texts ⇔ equal doubles, up to the sign of zero). */
const bits = (rows: readonly { id: string; values: readonly (number | null)[] }[]) =>
  rows.map((r) => `${r.id}:${r.values.map((v) => (v === null ? 'null' : Object.is(v, -0) ? '-0' : String(v))).join(',')}`);

async function both(raster: string, extra: Partial<EngineOptions>, threads: number, workers?: ZonalWorkers) {
  const set = await readZones(ZONES, { idField: 'Code_County' });
  const opts: EngineOptions = {
    stats: ALL,
    rule: 'exact',
    nodataAsZero: false,
    litThreshold: 5,
    geographic: true,
    areaKm2: (z) => geodesicAreaKm2(z.parts, set.crs),
    ...extra,
  };
  const serialSrc = await openRaster(raster, { threads: 0 });
  const serial = await zonalStatistics(serialSrc, set.zones, opts);
  const parallel = await zonalStatisticsParallel(serialSrc, set.zones, opts, threads, 0, workers);
  await serialSrc.close();
  return { serial, parallel, set, info: serialSrc.info };
}

describe('zonal statistics on worker threads', () => {
  it("the polygon window computed alone is preparePolygon's", async () => {
    const set = await readZones(ZONES, { idField: 'Code_County' });
    const src = await openRaster('data/demo/viirs_like/2022_8bit_hunan.tif', { threads: 0 });
    const g = gridFromTransform(src.info.geoTransform, src.info.width, src.info.height, src.info.path);
    await src.close();
    for (const z of set.zones) expect(polygonWindow(z.parts, g)).toEqual(preparePolygon(z.parts, g).window);
  });

  it('partitions every zone exactly once, into column groups', () => {
    const w = (c0: number, c1: number) => ({ row0: 0, row1: 10, col0: c0, col1: c1 });
    const windows = [w(50, 60), w(0, 10), w(0, 0), w(20, 30), w(70, 80)];
    const groups = partitionZones(windows, 2);
    expect(groups).toEqual([
      [1, 3, 2],
      [0, 4],
    ]);
    expect(partitionZones(windows, 9).flat().sort()).toEqual([0, 1, 2, 3, 4]);
  });

  for (const [name, raster, extra] of [
    ['VIIRS-like 8-bit, exact', 'data/demo/viirs_like/2022_8bit_hunan.tif', {}],
    ['VIIRS-like 8-bit, centre rule, no-data as zero', 'data/demo/viirs_like/2013_8bit_hunan.tif', { rule: 'centre', nodataAsZero: true }],
  ] as const) {
    it(`${name}: 2 and 3 threads = 1 thread, bit for bit`, async () => {
      for (const threads of [2, 3]) {
        const { serial, parallel, set, info } = await both(raster, extra as Partial<EngineOptions>, threads);
        const g = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
        // the split really happened (else this compares the serial path with itself)
        expect(
          partitionZones(
            set.zones.map((z) => polygonWindow(z.parts, g)),
            threads,
          ).length,
        ).toBe(threads);
        expect(bits(parallel.rows)).toEqual(bits(serial.rows));
        expect(parallel.warnings).toEqual(serial.warnings);
        expect(parallel.empty).toEqual(serial.empty);
        expect(serial.rows.filter((r) => r.values[0] !== null).length).toBeGreaterThan(100);
      }
    });
  }

  it('with a weighting raster it runs on one thread: the same numbers as zonalStatistics', async () => {
    const raster = 'data/demo/viirs_like/2022_8bit_hunan.tif';
    const weightsSrc = await openRaster('data/demo/viirs_like/2013_8bit_hunan.tif', { threads: 0 });
    try {
      const { serial, parallel } = await both(
        raster,
        {
          stats: parseStats('count,sum,weighted_sum,weighted_mean,weight_sum'),
          weights: { source: weightsSrc, defaultWeight: 0 },
        },
        2,
      );
      expect(bits(parallel.rows)).toEqual(bits(serial.rows));
      expect(parallel.warnings).toEqual(serial.warnings);
      expect(serial.rows.filter((r) => r.values[2] !== null && r.values[2] !== 0).length).toBeGreaterThan(100);
    } finally {
      await weightsSrc.close();
    }
  });

  it('workers started before the zones are read (ZonalWorkers) give the same numbers; close() ends the ones not taken', async () => {
    const workers = new ZonalWorkers(3);
    const exits: number[] = [];
    // the third is never taken: record that close() ends it
    const third = (workers as unknown as { idle: import('node:worker_threads').Worker[] }).idle[2]!;
    third.on('exit', (code) => exits.push(code));
    try {
      const { serial, parallel } = await both('data/demo/viirs_like/2022_8bit_hunan.tif', {}, 2, workers);
      expect(bits(parallel.rows)).toEqual(bits(serial.rows));
      expect(parallel.warnings).toEqual(serial.warnings);
      expect(parallel.empty).toEqual(serial.empty);
      expect(serial.rows.filter((r) => r.values[0] !== null).length).toBeGreaterThan(100);
    } finally {
      await workers.close();
    }
    expect(exits).toHaveLength(1);
  });
});
