/**
 * The zonal stage of a run: every (series, period) of the plan, `concurrency` at a time, read from the result cache
 * or computed by zonal-stage.ts. One code path: a period is its row-band units (shard/) merged in band order —
 * computed here, or read from DIR/.shards by `ntl merge` — so a single-machine run and merge(any N shards) agree
 * bitwise.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { PreparedZones } from '../../jobs/zonal-job.js';
import { ResultCache } from '../cache.js';
import type { PanelPlan } from '../plan/types.js';
import { DEFAULT_BAND_ROWS } from '../shard/bands.js';
import { filePartials, shardStore } from '../shard/run.js';
import { bandsFor, periodTasks } from '../shard/units.js';
import { splitFor, zonalCacheKey, zonalForInput, type PeriodStats, type ZonalStageContext } from './zonal-stage.js';
import { defaultThreads } from '../../raster/pool.js';
import { type SplitLimits, ZonalWorkers } from '../../zonal/index.js';

/** The zonal stage's context for a plan (shared by runs, shards and merges, so their keys agree). */
export function zonalContext(
  plan: PanelPlan,
  zones: PreparedZones,
  opts: {
    readonly threads?: number;
    readonly bandRows?: number;
    readonly allowEmpty?: boolean;
    readonly allowEmptyHint?: string;
    readonly splitLimits?: SplitLimits;
  },
  cache: ResultCache = new ResultCache(join(plan.outputs.dir, '.cache')),
): ZonalStageContext {
  return {
    zones,
    allowEmpty: opts.allowEmpty === true,
    allowEmptyHint: opts.allowEmptyHint ?? null,
    boundaries: plan.boundaries,
    settings: plan.zonal,
    cache,
    threads: opts.threads,
    // The unit selection changes which zones a result holds, so it is part of every cache and shard key.
    // An all-empty period kept with --allow-empty is cached apart, so a later run without it still stops on it.
    keyExtra: {
      bandRows: opts.bandRows ?? DEFAULT_BAND_ROWS,
      ...(plan.boundaries.units === 'mainland' ? { units: 'mainland' } : {}),
      ...(opts.allowEmpty ? { allowEmpty: true } : {}),
    },
  };
}

/**
 * Statistics of every period (in periodTasks order) and how many came from the cache; `onDone` after each period.
 * With threads ≥ 2 (default: all cores) each local GeoTIFF's zones are split over that many worker threads, kept
 * for the whole stage (a period in flight takes its own, so `concurrency` periods may hold concurrency × threads).
 */
export async function zonalPeriods(
  plan: PanelPlan,
  ctx: ZonalStageContext,
  opts: { readonly bandRows?: number; readonly fromShards?: boolean; readonly splitLimits?: SplitLimits },
  onDone: () => void,
): Promise<{ periods: PeriodStats[]; hits: number }> {
  const threads = Math.floor(ctx.threads ?? defaultThreads());
  const workers = threads >= 2 && !opts.fromShards ? new ZonalWorkers(0) : undefined;
  try {
    const base: ZonalStageContext = workers ? { ...ctx, split: { threads, workers, limits: opts.splitLimits } } : ctx;
    return await periodsWith(plan, base, opts, onDone);
  } finally {
    await workers?.close();
  }
}

async function periodsWith(
  plan: PanelPlan,
  base: ZonalStageContext,
  opts: { readonly bandRows?: number; readonly fromShards?: boolean },
  onDone: () => void,
): Promise<{ periods: PeriodStats[]; hits: number }> {
  const store = shardStore(plan.outputs.dir);
  const limit = pLimit(Math.max(1, plan.concurrency));
  let hits = 0;
  const periods = await Promise.all(
    periodTasks(plan).map((t) =>
      limit(async () => {
        const ctx: ZonalStageContext = {
          ...base,
          zonalOfSource: async (source, f, fileIndex) => {
            const { bands } = bandsFor(source.info, base.zones, plan, opts.bandRows ?? DEFAULT_BAND_ROWS, f);
            return filePartials(source, bands, {
              plan,
              zones: base.zones,
              periodKey: zonalCacheKey(t.input, base),
              fileIndex,
              label: `${t.series} ${t.input.year}`,
              store: opts.fromShards ? store : null,
              file: f,
              split: splitFor(f, base),
            });
          },
        };
        const r = await zonalForInput(t.series, t.input, ctx);
        if (r.cached) hits++;
        onDone();
        return r.stats;
      }),
    ),
  );
  return { periods, hits };
}
