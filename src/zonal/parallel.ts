/**
 * Zonal statistics on several threads without changing a single bit of the result: the zones are cut into chunks
 * of neighbouring columns, and each worker thread opens the raster itself and runs the ordinary traversal (decode
 * and coverage on that thread) over one chunk at a time, asking for the next when it reports the last. Each worker
 * owns a run of neighbouring chunks (about equal work per run), largest first; one whose run is done takes the
 * small chunks from the end of the run with most work left, so the threads finish close together even when the
 * work estimate (window cells) is off. Blocks no zone of a chunk touches are not decoded for it; blocks on a chunk
 * border are decoded by both chunks (a few per cent more decoding on China, cheaper than keeping decoded blocks).
 * A zone is read by exactly one worker, which feeds its cells in the same row-major order as the one-thread run,
 * so its statistics are bitwise those of zonalStatistics.
 * Weights and several bands at once (--band all) run on one thread (zonalStatisticsLayers): the split would have
 * to stream the weighting raster or every band in each worker, and it is not wired for them.
 */
import type { Worker } from 'node:worker_threads';
import { NtlError } from '../errors.js';
import { startModuleWorker } from '../raster/pool.js';
import type { RowRange } from '../raster/row-clip.js';
import type { RasterSource } from '../raster/types.js';
import type { Zone } from '../vector/types.js';
import { checkEngineOptions, emptyZoneWarnings, zonalStatistics, zoneWindows, type EngineOptions } from './engine.js';
import { gridFromTransform, type CellWindow } from './grid.js';
import type { EmptyZones, ZonalResult, ZonalRow } from './types.js';

/** What a worker opens once (its first message): the raster band and the settings for all its chunks. */
export interface WorkerOpen {
  readonly path: string;
  readonly band: number;
  readonly opts: Omit<EngineOptions, 'areaKm2' | 'weights'>;
  /** Read only these rows (the caller's source is the file clipped to them). */
  readonly rows?: RowRange;
}

/** One chunk of zones for a worker: the zones (id and parts only), their windows, their areas. */
export interface WorkerChunk {
  readonly zones: readonly Pick<Zone, 'id' | 'parts'>[];
  readonly windows: readonly CellWindow[];
  /** area_km2 of each zone (NaN = none); empty when not requested. */
  readonly areas: Float64Array;
}

/** Messages to a worker: per call open, then chunks (each answered by one WorkerReply), then release; end. */
export type WorkerMessage =
  | { readonly open: WorkerOpen }
  | { readonly chunk: WorkerChunk }
  /** close the raster, wait for the next open */
  | { readonly release: true }
  /** close the raster and end the thread */
  | { readonly end: true };

/** What a zone's statistics say once its chunk has been read (all a result row needs). */
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
 * Chunks per thread, sized 3:2:1: a small chunk at the end of each run evens out the finish, and every chunk border
 * costs (its blocks are decoded on both sides, plus a traversal set-up): on China 2 → 6 → 10 chunks took about
 * 1.00 → 1.08 → 1.23 × the CPU of the static split.
 */
const CHUNKS_PER_THREAD = 3;
/** A chunk holds at least about this many window cells, so the per-chunk cost (a message, a traversal) stays small. */
const MIN_CHUNK_CELLS = 1 << 21;

const windowCells = (w: CellWindow) => Math.max(0, w.row1 - w.row0) * Math.max(0, w.col1 - w.col0);

/**
 * Split zones (by index) into at most `n` groups of neighbouring columns with about equal work, work being the
 * zone's window cells (decode plus coverage scale with it). Zones with an empty window go to the first group.
 */
export function partitionZones(windows: readonly CellWindow[], n: number): number[][] {
  const cells = windowCells;
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

/** Limits of the split (tests lower them to split the small demo data). */
export interface SplitLimits {
  /** Below this many window cells in all, run on one thread. */
  readonly minCells: number;
  /** A chunk holds at least about this many window cells. */
  readonly minChunkCells: number;
}

export const DEFAULT_SPLIT: SplitLimits = { minCells: PARALLEL_MIN_CELLS, minChunkCells: MIN_CHUNK_CELLS };

/**
 * The chunks (zone indices, neighbouring columns) for `n` threads, as `n` runs of equal work, each cut into up to
 * CHUNKS_PER_THREAD chunks of falling size (3:2:1 of the run's work, fewer when the run is small).
 */
export function chunkRuns(windows: readonly CellWindow[], n: number, minChunkCells = MIN_CHUNK_CELLS): number[][][] {
  return partitionZones(windows, n).map((run) => {
    const work = run.reduce((t, i) => t + windowCells(windows[i]), 0);
    const m = Math.max(1, Math.min(CHUNKS_PER_THREAD, Math.floor(work / Math.max(1, minChunkCells))));
    const share = (m * (m + 1)) / 2;
    const chunks: number[][] = [];
    let cur: number[] = [];
    let acc = 0,
      bound = 0;
    for (const i of run) {
      cur.push(i);
      acc += windowCells(windows[i]);
      const k = chunks.length;
      if (k < m - 1 && acc >= bound + ((m - k) / share) * work) {
        bound += ((m - k) / share) * work;
        chunks.push(cur);
        cur = [];
      }
    }
    if (cur.length > 0 || chunks.length === 0) chunks.push(cur);
    return chunks;
  });
}

/**
 * Hands out chunks: worker k works along its own run from the front; one whose run is done takes the last chunk
 * of the run with most work left. `next(k)` is worker k's next chunk, or null when none is left.
 */
export class ChunkQueue<T> {
  private readonly runs: { chunk: T; work: number }[][];

  constructor(runs: readonly (readonly { chunk: T; work: number }[])[]) {
    this.runs = runs.map((r) => [...r]);
  }

  next(k: number): T | null {
    const own = this.runs[k];
    if (own && own.length > 0) return own.shift()!.chunk;
    let best: { chunk: T; work: number }[] | null = null,
      bestWork = -1;
    for (const r of this.runs) {
      const work = r.reduce((t, c) => t + c.work + 1, 0);
      if (r.length > 0 && work > bestWork) {
        best = r;
        bestWork = work;
      }
    }
    return best ? best.pop()!.chunk : null;
  }
}

const WORKER_URL = new URL('./zonal-worker.js', import.meta.url);

/**
 * Zonal workers started ahead of their jobs and kept between calls: a worker spends ~0.2 s starting (Node, then
 * loading its modules), which the caller can overlap with reading the zones, and a run of many calls (a pipeline's
 * periods and row bands) pays once. take() hands out a started worker (or starts one); after a call it comes back
 * (give) with its raster closed; close() ends the ones not taken.
 */
export class ZonalWorkers {
  private idle: Worker[] = [];
  private readonly drops = new Map<Worker, () => void>();
  private closed = false;

  constructor(n: number) {
    for (let i = 0; i < Math.max(0, Math.floor(n)); i++) this.park(startModuleWorker(WORKER_URL));
  }

  private park(w: Worker): void {
    // one that fails or exits while parked is dropped (take() then starts a fresh one, which reports why)
    const drop = () => {
      this.idle = this.idle.filter((x) => x !== w);
    };
    w.once('error', drop);
    w.once('exit', drop);
    this.drops.set(w, drop);
    this.idle.push(w);
  }

  /** A started worker, or a new one when none is left. */
  take(): Worker {
    const w = this.idle.shift();
    if (!w) return startModuleWorker(WORKER_URL);
    const drop = this.drops.get(w)!;
    this.drops.delete(w);
    w.off('error', drop).off('exit', drop);
    return w;
  }

  /** Take back a worker whose call is done (it has been told to close its raster). */
  give(w: Worker): void {
    if (this.closed) w.postMessage({ end: true } satisfies WorkerMessage);
    else this.park(w);
  }

  /** End the workers not taken (each closes its raster first, if it holds one). */
  async close(): Promise<void> {
    this.closed = true;
    const left = this.idle;
    this.idle = [];
    await Promise.all(
      left.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.once('error', () => resolve());
            w.postMessage({ end: true } satisfies WorkerMessage);
          }),
      ),
    );
  }
}

/** One worker's conversation in one call: open, then one chunk per reply, then release (or end). */
class ChunkWorker {
  private pending: { resolve: (o: ZoneOutcome[]) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;

  private readonly onMessage = (m: WorkerReply) => {
    const p = this.pending;
    this.pending = null;
    if ('outcomes' in m) p?.resolve(m.outcomes);
    else {
      this.pending = p; // fail() rejects it
      this.fail(m.exitCode !== null ? new NtlError(m.error, m.exitCode) : new Error(m.error));
    }
  };
  private readonly onError = (e: unknown) => this.fail(e);
  private readonly onExit = (code: number) => this.fail(new Error(`zonal worker exited with code ${code}`));

  constructor(
    private readonly w: Worker,
    open: WorkerOpen,
  ) {
    w.on('message', this.onMessage).on('error', this.onError).on('exit', this.onExit);
    w.postMessage({ open } satisfies WorkerMessage);
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    const p = this.pending;
    this.pending = null;
    p?.reject(this.failure);
  }

  run(chunk: WorkerChunk): Promise<ZoneOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.w.postMessage({ chunk } satisfies WorkerMessage);
    });
  }

  /** Done: the worker closes its raster and goes back to `pool` (else ends); `now` (an error anywhere): end it at once. */
  async close(now: boolean, pool: ZonalWorkers | undefined): Promise<void> {
    this.w.off('message', this.onMessage).off('error', this.onError).off('exit', this.onExit);
    if (now || this.failure || this.pending) {
      await this.w.terminate();
      return;
    }
    this.w.postMessage({ release: true } satisfies WorkerMessage);
    if (pool) pool.give(this.w);
    else this.w.postMessage({ end: true } satisfies WorkerMessage);
  }
}

/**
 * zonalStatistics with up to `threads` worker threads, each opening the GeoTIFF at `source.info.path` (band
 * `info.band`) again; same result, bit for bit. The caller checks that the raster can be opened again by that path
 * (`rows`: `source` is that file clipped to these rows, rowClippedSource). Small jobs (< limits.minCells window cells
 * in all), one thread or one zone run on `source` in this thread. `workers`: threads started beforehand and given
 * back after the call (ZonalWorkers; the caller closes it), else they are started here and end after it.
 */
export async function zonalStatisticsParallel(
  source: RasterSource,
  zones: readonly Zone[],
  opts: EngineOptions,
  threads: number,
  more: { readonly limits?: SplitLimits; readonly workers?: ZonalWorkers; readonly rows?: RowRange } = {},
): Promise<ZonalResult> {
  const { limits = DEFAULT_SPLIT, workers, rows } = more;
  checkEngineOptions(opts);
  if (opts.weights) return zonalStatistics(source, zones, opts); // one thread (see the top of this file)
  const info = source.info;
  const grid = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
  const windows = zoneWindows(zones, grid);
  const work = windows.reduce((t, w) => t + windowCells(w), 0);
  const n = Math.floor(threads);
  const runs = n >= 2 && work >= limits.minCells ? chunkRuns(windows, n, limits.minChunkCells) : [];
  if (runs.length < 2) return zonalStatistics(source, zones, opts);
  const wantsArea = opts.stats.some((s) => s.name === 'area_km2');
  const { areaKm2: _, weights: __, ...plain } = opts;
  const open: WorkerOpen = { path: info.path, band: info.band, opts: plain, ...(rows ? { rows } : {}) };
  const message = (g: readonly number[]): WorkerChunk => {
    const areas = new Float64Array(wantsArea ? g.length : 0);
    if (wantsArea)
      g.forEach((i, k) => {
        areas[k] = opts.areaKm2!(zones[i], i) ?? NaN;
      });
    return { areas, zones: g.map((i) => ({ id: zones[i].id, parts: zones[i].parts })), windows: g.map((i) => windows[i]) };
  };
  const queue = new ChunkQueue(runs.map((r) => r.map((chunk) => ({ chunk, work: chunk.reduce((t, i) => t + windowCells(windows[i]), 0) }))));
  const started = runs.map(() => new ChunkWorker(workers ? workers.take() : startModuleWorker(WORKER_URL), open));
  const outcomes: ZoneOutcome[] = new Array(zones.length);
  let failed = false;
  try {
    await Promise.all(
      started.map(async (w, k) => {
        for (let g = queue.next(k); g !== null && !failed; g = queue.next(k)) {
          const got = await w.run(message(g));
          g.forEach((i, j) => {
            outcomes[i] = got[j];
          });
        }
      }),
    );
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await Promise.all(started.map((w) => w.close(failed, workers)));
  }
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
