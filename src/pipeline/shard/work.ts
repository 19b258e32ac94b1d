/**
 * Scale-out entry points: `--plan` (the work units and their shards) and `--shard i/N` (compute one shard's units
 * into DIR/.shards). `ntl merge` is a normal run with `fromShards` (runner.ts).
 */
import { PreparedZones } from '../../jobs/zonal-job.js';
import type { RunOptions } from '../context.js';
import type { PanelPlan } from '../plan/types.js';
import { stageProgress } from '../progress.js';
import { readBoundaries } from '../stages/boundaries-stage.js';
import { harmonisePixels } from '../stages/harmonise-pixel-stage.js';
import { materialiseCalibration, needsMaterialising } from '../stages/materialise-stage.js';
import { planFiles, verifyPlanInputs } from '../stages/verify-stage.js';
import { zonalContext } from '../stages/zonal-periods.js';
import { observeRemoteInputs } from '../remote-inputs.js';
import { assignShards, type ShardId } from './assign.js';
import { DEFAULT_BAND_ROWS } from './bands.js';
import { allUnits, computeUnits, missingUnits, shardStore } from './run.js';
import type { WorkUnit } from './units.js';

export interface WorkPlan {
  readonly units: readonly WorkUnit[];
  /** Shard (1-based) of each unit when a shard count was given. */
  readonly shardOf: readonly number[] | null;
  /** Units without a result in DIR/.shards (only when asked). */
  readonly missing: readonly WorkUnit[] | null;
}

/**
 * `--plan`: boundaries → units with cost estimates (raster headers only; no input is hashed) — except that a plan
 * with written calibration steps or a pixel-level fit first writes (or reuses) those rasters: units are laid out on them.
 */
export async function planWork(
  pinnedPlan: PanelPlan,
  opts: Pick<RunOptions, 'threads' | 'bandRows'> & { readonly shards?: number; readonly checkStore?: boolean } = {},
): Promise<WorkPlan> {
  const plan = await rasterPlan(await observeRemoteInputs(pinnedPlan), opts.threads);
  const zones = new PreparedZones(await readBoundaries(plan));
  const units = await allUnits(plan, zones, zonalContext(plan, zones, opts), opts.bandRows ?? DEFAULT_BAND_ROWS);
  const missing = opts.checkStore ? await missingUnits(units, shardStore(plan.outputs.dir)) : null;
  return {
    units,
    shardOf: opts.shards
      ? assignShards(
          units.map((u) => u.cost),
          opts.shards,
        )
      : null,
    missing,
  };
}

export interface ShardSummary {
  readonly shard: ShardId;
  readonly units: number;
  readonly computed: number;
  readonly reused: number;
  readonly totalUnits: number;
}

/**
 * `--shard i/N`: boundaries → units → this shard's units (balanced assignment) → verify the boundaries and
 * this shard's input files → compute the units not yet in DIR/.shards, each written atomically.
 */
export async function runShard(verifiedPlan: PanelPlan, shard: ShardId, opts: RunOptions = {}): Promise<ShardSummary> {
  const sink = opts.progress ?? null;
  // remote rasters: the versions their servers report are part of the unit keys, as in runPlan (and `ntl merge`)
  const pinnedPlan = await observeRemoteInputs(verifiedPlan);
  // Calibrated rasters (and a pixel-level fit) read every year's inputs: verify all of them first, then every shard
  // writes (or reuses) the same calibrated rasters — keyed by content, written by atomic rename. Otherwise only this
  // shard's own input files are verified.
  const readsAll = needsMaterialising(pinnedPlan) || pinnedPlan.harmonise?.level === 'pixel';
  if (readsAll) {
    const pv = stageProgress(sink, 'verify', planFiles(pinnedPlan).length);
    await verifyPlanInputs(pinnedPlan, () => pv.tick());
    pv.done();
  }
  const plan = await rasterPlan(pinnedPlan, opts.threads);
  const zones = new PreparedZones(await readBoundaries(plan));
  const units = await allUnits(plan, zones, zonalContext(plan, zones, opts), opts.bandRows ?? DEFAULT_BAND_ROWS);
  const shardOf = assignShards(
    units.map((u) => u.cost),
    shard.count,
  );
  const own = units.filter((_, i) => shardOf[i] === shard.index);
  if (!readsAll) {
    const ownInputs = new Set(own.map((u) => u.input));
    const sub: PanelPlan = { ...plan, series: plan.series.map((s) => ({ ...s, inputs: s.inputs.filter((i) => ownInputs.has(i)) })) };
    const pv = stageProgress(sink, 'verify', planFiles(sub).length);
    await verifyPlanInputs(sub, () => pv.tick());
    pv.done();
  }
  const p = stageProgress(sink, `shard ${shard.index}/${shard.count}`, own.length);
  const r = await computeUnits(own, { plan, zones, threads: opts.threads, store: shardStore(plan.outputs.dir), shard: `${shard.index}/${shard.count}` }, () =>
    p.tick(),
  );
  p.done(`${r.reused} already done`);
  return { shard, units: own.length, computed: r.computed, reused: r.reused, totalUnits: units.length };
}

/** The plan the zonal stage reads: calibrated rasters written (or reused) and the pixel-harmonised series added. */
async function rasterPlan(pinnedPlan: PanelPlan, threads?: number): Promise<PanelPlan> {
  const plan = (await materialiseCalibration(pinnedPlan, { threads })).plan;
  return (await harmonisePixels(plan, threads))?.plan ?? plan;
}
