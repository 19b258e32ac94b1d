/**
 * Units at work: compute or load the row-band partials of one opened raster and merge them (the one path of
 * both `ntl run` and `ntl merge`), compute one shard's units into the shard folder, and check that the
 * folder holds every unit before a merge.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import { NtlError } from '../../errors.js';
import type { PreparedZones, ThreadSplit } from '../../jobs/zonal-job.js';
import type { RasterSource } from '../../raster/types.js';
import type { ZonalResult } from '../../zonal/types.js';
import { mergePartials } from './merge-partials.js';
import type { PanelPlan, PinnedFile } from '../plan/types.js';
import { openInputSource, settingsForFile, splitFor, zonalCacheKey, type ZonalStageContext } from '../stages/zonal-stage.js';
import { defaultThreads } from '../../raster/pool.js';
import { type SplitLimits, ZonalWorkers } from '../../zonal/index.js';
import type { RowRange } from './bands.js';
import { computeUnitPartial, type UnitPartial } from './partial.js';
import { ShardStore } from './store.js';
import { planUnits, unitKey, type WorkUnit } from './units.js';

export function shardStore(outDir: string): ShardStore {
  return new ShardStore(join(outDir, '.shards'));
}

export interface FileUnitsContext {
  readonly plan: PanelPlan;
  readonly zones: PreparedZones;
  readonly periodKey: string;
  readonly fileIndex: number;
  readonly label: string;
  /** Read partials from here (merge); null = compute them. */
  readonly store: ShardStore | null;
  /** The input file (its weighting raster, if any, joins the settings). */
  readonly file?: PinnedFile;
  /** Zone chunks on worker threads (the source is `file` as is; splitFor). */
  readonly split?: ThreadSplit;
}

/** All bands of one opened raster, computed or loaded, merged in band order. */
export async function filePartials(source: RasterSource, bands: readonly RowRange[], ctx: FileUnitsContext): Promise<ZonalResult> {
  const parts: UnitPartial[] = [];
  for (const band of bands) {
    if (ctx.store) {
      const p = await ctx.store.get(unitKey(ctx.periodKey, ctx.fileIndex, band));
      if (!p)
        throw new NtlError(
          `${ctx.label}: the shard result for rows ${band.row0}–${band.row1} disappeared from ${ctx.store.dir} during the merge; run its shard again`,
        );
      parts.push(p);
    } else {
      parts.push(await computeUnitPartial(source, band, ctx.zones, ctx.file ? settingsForFile(ctx.plan.zonal, ctx.file) : ctx.plan.zonal, ctx.split));
    }
  }
  const noGeometry = new Set(ctx.zones.zoneSet.zones.filter((z) => z.parts.length === 0).map((z) => z.id));
  return mergePartials(parts, ctx.plan.zonal.stats, ctx.label, noGeometry);
}

export async function allUnits(plan: PanelPlan, zones: PreparedZones, base: ZonalStageContext, bandRows: number): Promise<WorkUnit[]> {
  return planUnits(plan, zones, bandRows, (t) => zonalCacheKey(t.input, base));
}

/** Units of `units` that have no valid result in the store. */
export async function missingUnits(units: readonly WorkUnit[], store: ShardStore): Promise<WorkUnit[]> {
  const limit = pLimit(8);
  const present = await Promise.all(units.map((u) => limit(async () => (await store.get(u.key)) !== undefined)));
  return units.filter((_, i) => !present[i]);
}

/** Before a merge: every unit present exactly once (one file per unit key), or one error naming the missing. */
export async function checkAllUnits(plan: PanelPlan, zones: PreparedZones, base: ZonalStageContext, store: ShardStore, bandRows: number): Promise<void> {
  const units = await allUnits(plan, zones, base, bandRows);
  const keys = new Set(units.map((u) => u.key));
  if (keys.size !== units.length)
    throw new NtlError(`${plan.origin}: two work units share a key (two identical inputs in one period?); internal error, please report it`);
  const missing = await missingUnits(units, store);
  if (missing.length > 0) {
    const shown = missing
      .slice(0, 10)
      .map((u) => u.label)
      .join('; ');
    throw new NtlError(
      `${plan.origin}: ${missing.length} of ${units.length} work units have no result in ${store.dir}: ${shown}${missing.length > 10 ? `; … (${missing.length - 10} more)` : ''}. ` +
        'Run the shards that hold them again (`ntl run <pipeline> --shard i/N`, or `ntl slurm <pipeline> --shards N --resubmit`) with the same --band-rows and --out, then merge',
    );
  }
}

/** Compute the given units (skipping those already in the store) and write each atomically. */
export async function computeUnits(
  units: readonly WorkUnit[],
  ctx: {
    readonly plan: PanelPlan;
    readonly zones: PreparedZones;
    readonly threads?: number;
    readonly store: ShardStore;
    readonly shard: string;
    readonly splitLimits?: SplitLimits;
  },
  onUnit?: (computed: boolean) => void,
): Promise<{ computed: number; reused: number }> {
  const threads = Math.floor(ctx.threads ?? defaultThreads());
  const workers = threads >= 2 ? new ZonalWorkers(0) : undefined;
  try {
    return await computeUnitsWith(units, { ...ctx, split: workers ? { threads, workers, limits: ctx.splitLimits } : undefined }, onUnit);
  } finally {
    await workers?.close();
  }
}

async function computeUnitsWith(
  units: readonly WorkUnit[],
  ctx: {
    readonly plan: PanelPlan;
    readonly zones: PreparedZones;
    readonly threads?: number;
    readonly store: ShardStore;
    readonly shard: string;
    readonly split: ZonalStageContext['split'];
  },
  onUnit?: (computed: boolean) => void,
): Promise<{ computed: number; reused: number }> {
  const groups = new Map<string, WorkUnit[]>();
  for (const u of units) {
    const g = `${u.series}|${u.input.year}|${u.input.month ?? 0}|${u.fileIndex}`;
    groups.set(g, [...(groups.get(g) ?? []), u]);
  }
  let computed = 0,
    reused = 0;
  const limit = pLimit(Math.max(1, ctx.plan.concurrency));
  await Promise.all(
    [...groups.values()].map((group) =>
      limit(async () => {
        const todo: WorkUnit[] = [];
        for (const u of group) {
          if ((await ctx.store.get(u.key)) !== undefined) {
            reused++;
            onUnit?.(false);
          } else todo.push(u);
        }
        if (todo.length === 0) return;
        const split = splitFor(todo[0]!.file, ctx);
        const source = await openInputSource(todo[0]!.file, split ? { ...ctx, threads: 0 } : ctx);
        try {
          for (const u of todo) {
            const p = await computeUnitPartial(source, u.band, ctx.zones, settingsForFile(ctx.plan.zonal, u.file), split);
            await ctx.store.put(u.key, u.label, ctx.shard, p);
            computed++;
            onUnit?.(true);
          }
        } finally {
          await source.close();
        }
      }),
    ),
  );
  return { computed, reused };
}
