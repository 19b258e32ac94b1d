/**
 * Zonal statistics on several threads without changing a single bit of the result: the zones are split into
 * groups of neighbouring columns, and each worker thread opens the raster itself and runs the ordinary traversal
 * (decode and coverage on that thread) over its group only. A zone is read by exactly one worker, which feeds its
 * cells in the same row-major order as the one-thread run, so its statistics are bitwise those of zonalStatistics.
 * Blocks no zone of a group touches are not decoded by that worker, so the decode work splits too.
 * Weights and several bands at once (--band all) run on one thread (zonalStatisticsLayers): the split would have
 * to stream the weighting raster or every band in each worker, and it is not wired for them.
 */
import type { Worker } from 'node:worker_threads';
import { NtlError } from '../errors.js';
import { startModuleWorker } from '../raster/pool.js';
import type { RasterSource } from '../raster/types.js';
import type { Zone } from '../vector/types.js';
import { checkEngineOptions, emptyZoneWarnings, zonalStatistics, zoneWindows, type EngineOptions } from './engine.js';
import { gridFromTransform, type CellWindow } from './grid.js';
import type { EmptyZones, ZonalResult, ZonalRow } from './types.js';

/** What a worker gets (posted once it runs): its zones (id and parts only), their windows, and the settings. */
export interface WorkerJob {
  readonly path: string;
  readonly band: number;
  readonly zones: readonly Pick<Zone, 'id' | 'parts'>[];
  readonly windows: readonly CellWindow[];
  readonly opts: Omit<EngineOptions, 'areaKm2' | 'weights'>;
  /** area_km2 of each zone (NaN = none); empty when not requested. */
  readonly areas: Float64Array;
}

/** What a zone's statistics say once its group has been read (all a result row needs). */
export interface ZoneOutcome {
  readonly values: (number | null)[];
  /** Some of its cells lie on the raster. */
  readonly coversRaster: boolean;
  /** On the raster but only no-data cells. */
  readonly nodataOnly: boolean;
}

export type WorkerReply = { readonly outcomes: ZoneOutcome[] } | { readonly error: string; readonly exitCode: number | null };

/** Below this many window cells in all, one thread is faster than starting workers. */
export const PARALLEL_MIN_CELLS = 1 << 22;

/**
 * Split zones (by index) into at most `n` groups of neighbouring columns with about equal work, work being the
 * zone's window cells (decode plus coverage scale with it). Zones with an empty window go to the first group.
 */
export function partitionZones(windows: readonly CellWindow[], n: number): number[][] {
  const cells = (w: CellWindow) => Math.max(0, w.row1 - w.row0) * Math.max(0, w.col1 - w.col0);
  const live = windows.map((_, i) => i).filter((i) => cells(windows[i]) > 0);
  const empty = windows.map((_, i) => i).filter((i) => cells(windows[i]) === 0);
  live.sort((a, b) => windows[a].col0 + windows[a].col1 - windows[b].col0 - windows[b].col1 || a - b);
  const total = live.reduce((t, i) => t + cells(windows[i]), 0);
  const groups: number[][] = [];
  let cur: number[] = [];
  let acc = 0;
  for (const i of live) {
    cur.push(i);
    acc += cells(windows[i]);
    if (acc >= (total * (groups.length + 1)) / n && groups.length < n - 1) {
      groups.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) groups.push(cur);
  if (groups.length === 0) groups.push([]);
  groups[0].push(...empty);
  return groups;
}

const WORKER_URL = new URL('./zonal-worker.js', import.meta.url);

/**
 * Zonal workers started ahead of their jobs: a worker spends ~0.2 s starting (Node, then loading its modules), which
 * the caller can overlap with reading the zones. Each worker takes one group; close() ends the ones not taken.
 */
export class ZonalWorkers {
  private idle: Worker[];

  constructor(n: number) {
    this.idle = Array.from({ length: Math.max(0, Math.floor(n)) }, () => {
      const w = startModuleWorker(WORKER_URL);
      // one that fails or exits before it is taken is dropped (take() then starts a fresh one, which reports why)
      const drop = () => {
        this.idle = this.idle.filter((x) => x !== w);
      };
      w.once('error', drop);
      w.once('exit', drop);
      return w;
    });
  }

  /** A started worker, or a new one when none is left. */
  take(): Worker {
    const w = this.idle.shift();
    if (!w) return startModuleWorker(WORKER_URL);
    w.removeAllListeners('error').removeAllListeners('exit');
    return w;
  }

  /** End the workers not taken. */
  async close(): Promise<void> {
    const left = this.idle;
    this.idle = [];
    await Promise.all(left.map((w) => w.terminate()));
  }
}

function runWorker(w: Worker, job: WorkerJob): Promise<ZoneOutcome[]> {
  return new Promise((resolve, reject) => {
    w.postMessage(job);
    let done = false;
    w.on('message', (m: WorkerReply) => {
      done = true;
      void w.terminate();
      if ('outcomes' in m) resolve(m.outcomes);
      else reject(m.exitCode !== null ? new NtlError(m.error, m.exitCode) : new Error(m.error));
    });
    w.on('error', (e) => {
      done = true;
      reject(e);
    });
    w.on('exit', (code) => {
      if (!done) reject(new Error(`zonal worker exited with code ${code}`));
    });
  });
}

/**
 * zonalStatistics with up to `threads` worker threads, each opening the GeoTIFF at `source.info.path` (band
 * `info.band`) again; same result, bit for bit. The caller checks that the raster can be opened again by that path.
 * Small jobs (< minCells window cells in all), one thread or one zone run on `source` in this thread. `workers`:
 * threads started beforehand (ZonalWorkers; the caller closes it), else they are started here.
 */
export async function zonalStatisticsParallel(
  source: RasterSource,
  zones: readonly Zone[],
  opts: EngineOptions,
  threads: number,
  minCells = PARALLEL_MIN_CELLS,
  workers?: ZonalWorkers,
): Promise<ZonalResult> {
  checkEngineOptions(opts);
  if (opts.weights) return zonalStatistics(source, zones, opts); // one thread (see the top of this file)
  const info = source.info;
  const grid = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
  const windows = zoneWindows(zones, grid);
  const work = windows.reduce((t, w) => t + Math.max(0, w.row1 - w.row0) * Math.max(0, w.col1 - w.col0), 0);
  const groups = threads >= 2 && work >= minCells ? partitionZones(windows, Math.floor(threads)) : [];
  if (groups.length < 2) return zonalStatistics(source, zones, opts);
  const wantsArea = opts.stats.some((s) => s.name === 'area_km2');
  const { areaKm2: _, weights: __, ...plain } = opts;
  const outcomes: ZoneOutcome[] = new Array(zones.length);
  await Promise.all(
    groups.map(async (g) => {
      const areas = new Float64Array(wantsArea ? g.length : 0);
      if (wantsArea)
        g.forEach((i, k) => {
          areas[k] = opts.areaKm2!(zones[i], i) ?? NaN;
        });
      const got = await runWorker(workers ? workers.take() : startModuleWorker(WORKER_URL), {
        path: info.path,
        band: info.band,
        opts: plain,
        areas,
        zones: g.map((i) => ({ id: zones[i].id, parts: zones[i].parts })),
        windows: g.map((i) => windows[i]),
      });
      g.forEach((i, k) => {
        outcomes[i] = got[k];
      });
    }),
  );
  return assembleResult(zones, outcomes, opts);
}

/** Rows, empty-zone lists and warnings from the zones' outcomes, as zonalStatistics gives them (no weights). */
function assembleResult(zones: readonly Zone[], outcomes: readonly ZoneOutcome[], opts: EngineOptions): ZonalResult {
  const rows: ZonalRow[] = zones.map((z, i) => ({ id: z.id, values: outcomes[i].values }));
  const empty: EmptyZones = {
    noGeometry: zones.filter((z) => z.parts.length === 0).map((z) => z.id),
    outside: zones.filter((z, i) => z.parts.length > 0 && !outcomes[i].coversRaster).map((z) => z.id),
    nodataOnly: zones.filter((_, i) => outcomes[i].nodataOnly).map((z) => z.id),
  };
  return { columns: opts.stats.map((s) => s.column), rows, warnings: emptyZoneWarnings(empty), empty };
}
