/**
 * Zones split over worker threads (src/zonal/parallel.ts) give bitwise the numbers of the one-thread traversal:
 * every statistic, both coverage rules, no-data as zero (Hunan counties × real VIIRS-like clips), with one chunk
 * per worker and with several chunks handed out as workers finish. With a weighting raster it falls back to the
 * one-thread traversal.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { openRaster } from '../../src/raster/index.js';
import { rowClippedSource } from '../../src/raster/row-clip.js';
import { geodesicAreaKm2, readZones } from '../../src/vector/index.js';
import {
  ChunkQueue,
  chunkRuns,
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

/** minChunkCells: 1 cuts each worker's run into 3 chunks; Infinity gives one chunk per worker. */
async function both(raster: string, extra: Partial<EngineOptions>, threads: number, workers?: ZonalWorkers, minChunkCells = 1) {
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
  const parallel = await zonalStatisticsParallel(serialSrc, set.zones, opts, threads, { limits: { minCells: 0, minChunkCells }, workers });
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

  it('cuts each run into chunks of falling size, every zone exactly once', () => {
    const windows = Array.from({ length: 40 }, (_, i) => ({ row0: 0, row1: 10, col0: i * 10, col1: i * 10 + 10 }));
    windows.push({ row0: 0, row1: 0, col0: 0, col1: 0 }); // empty window: no work, run 0
    const runs = chunkRuns(windows, 2, 1);
    expect(runs.map((r) => r.length)).toEqual([3, 3]);
    expect(
      runs
        .flat(2)
        .sort((a, b) => a - b)
        .join(),
    ).toBe(windows.map((_, i) => i).join());
    // 3:2:1 of a run's 20 equal zones (bounds 10, 16.7 → chunks of 10, 7, 3)
    expect(runs[0]!.map((c) => c.filter((i) => i < 40).length)).toEqual([10, 7, 3]);
    expect(runs[0]!.flat()).toContain(40);
    // neighbouring columns: a run's chunks follow each other left to right
    expect(runs[0]!.flat().filter((i) => i < 40)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // a small run is not cut below minChunkCells
    expect(chunkRuns(windows, 2, 1000).map((r) => r.length)).toEqual([2, 2]);
    expect(chunkRuns(windows, 2, 1e9).map((r) => r.length)).toEqual([1, 1]);
  });

  it('hands a worker its own run first, then the last chunk of the run with most work left', () => {
    const q = new ChunkQueue([
      [
        { chunk: 'a', work: 5 },
        { chunk: 'b', work: 3 },
        { chunk: 'c', work: 1 },
      ],
      [{ chunk: 'd', work: 2 }],
      [
        { chunk: 'e', work: 1 },
        { chunk: 'f', work: 1 },
      ],
    ]);
    expect(q.next(1)).toBe('d');
    expect(q.next(1)).toBe('c'); // run 0 has most left (9)
    expect(q.next(0)).toBe('a');
    expect(q.next(1)).toBe('b'); // run 0: 3, run 2: 2
    expect(q.next(0)).toBe('f'); // its own run is done: the end of run 2
    expect(q.next(2)).toBe('e');
    expect(q.next(2)).toBeNull();
    expect(q.next(0)).toBeNull();
  });

  for (const [name, raster, extra] of [
    ['VIIRS-like 8-bit, exact', 'data/demo/viirs_like/2022_8bit_hunan.tif', {}],
    ['VIIRS-like 8-bit, centre rule, no-data as zero', 'data/demo/viirs_like/2013_8bit_hunan.tif', { rule: 'centre', nodataAsZero: true }],
  ] as const) {
    it(`${name}: 2 and 3 threads = 1 thread, bit for bit (one chunk per thread, and three)`, async () => {
      for (const [threads, minChunkCells] of [
        [2, Infinity],
        [2, 1],
        [3, 1],
      ] as const) {
        const { serial, parallel, set, info } = await both(raster, extra as Partial<EngineOptions>, threads, undefined, minChunkCells);
        const g = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
        // the split really happened (else this compares the serial path with itself)
        const runs = chunkRuns(
          set.zones.map((z) => polygonWindow(z.parts, g)),
          threads,
          minChunkCells,
        );
        expect(runs.length).toBe(threads);
        if (minChunkCells === 1) expect(runs.flat().length).toBeGreaterThanOrEqual(threads * 2 + 1);
        else expect(runs.flat().length).toBe(threads);
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

  it('a worker that cannot read its raster fails the call with its error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ntl-zonal-parallel-'));
    try {
      const path = join(dir, 'gone.tif');
      await copyFile('data/demo/viirs_like/2022_8bit_hunan.tif', path);
      const src = await openRaster(path, { threads: 0 });
      await rm(path); // the workers open it again by its path: they find nothing
      const set = await readZones(ZONES, { idField: 'Code_County' });
      const opts: EngineOptions = { stats: parseStats('count,sum'), rule: 'exact', nodataAsZero: false, litThreshold: 0, geographic: true };
      await expect(zonalStatisticsParallel(src, set.zones, opts, 2, { limits: { minCells: 0, minChunkCells: 1 } })).rejects.toThrow(/gone\.tif/);
      await src.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('workers started before the zones are read (ZonalWorkers) give the same numbers, serve the next call too, and close() ends them', async () => {
    const workers = new ZonalWorkers(3);
    const started = [...(workers as unknown as { idle: Worker[] }).idle];
    const exits: number[] = [];
    for (const w of started) w.on('exit', (code) => exits.push(code));
    try {
      for (const [raster, extra] of [
        ['data/demo/viirs_like/2022_8bit_hunan.tif', {}],
        ['data/demo/viirs_like/2013_8bit_hunan.tif', { rule: 'centre' }],
      ] as const) {
        const { serial, parallel } = await both(raster, extra as Partial<EngineOptions>, 2, workers);
        expect(bits(parallel.rows)).toEqual(bits(serial.rows));
        expect(parallel.warnings).toEqual(serial.warnings);
        expect(parallel.empty).toEqual(serial.empty);
        expect(serial.rows.filter((r) => r.values[0] !== null).length).toBeGreaterThan(100);
        // the two it used came back: no worker was started for the second call
        const idle = (workers as unknown as { idle: Worker[] }).idle;
        expect(idle).toHaveLength(3);
        expect(idle.every((w) => started.includes(w))).toBe(true);
      }
    } finally {
      await workers.close();
    }
    expect(exits).toEqual([0, 0, 0]);
  });

  it('a source clipped to some rows: the workers read the same rows (bitwise the one-thread result on the clip)', async () => {
    const set = await readZones(ZONES, { idField: 'Code_County' });
    const opts: EngineOptions = {
      stats: parseStats('count,sum,mean,nodata_count,cell_area_sum_km2'),
      rule: 'exact',
      nodataAsZero: false,
      litThreshold: 0,
      geographic: true,
    };
    const src = await openRaster('data/demo/viirs_like/2022_8bit_hunan.tif', { threads: 0 });
    try {
      const rows = { row0: 0, row1: Math.floor(src.info.height / 2) };
      const clip = rowClippedSource(src, rows);
      const serial = await zonalStatistics(clip, set.zones, opts);
      const parallel = await zonalStatisticsParallel(clip, set.zones, opts, 2, { limits: { minCells: 0, minChunkCells: 1 }, rows });
      expect(bits(parallel.rows)).toEqual(bits(serial.rows));
      expect(parallel.warnings).toEqual(serial.warnings);
      // the clip matters: some zone's count differs from the whole raster's
      const whole = await zonalStatistics(src, set.zones, opts);
      expect(bits(whole.rows)).not.toEqual(bits(serial.rows));
    } finally {
      await src.close();
    }
  });
});
