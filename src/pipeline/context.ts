/**
 * The types layer of the runner: run options, the context the stages share, the stage object (and `need`) —
 * imported by the stage list (stage-list.ts), the runner and the shard runs; it imports no runner module back.
 */
import type { PreparedZones } from '../jobs/zonal-job.js';
import type { SplitLimits } from '../zonal/index.js';
import type { RemoteReport } from '../raster/http-source.js';
import type { Table } from '../output/table.js';
import type { Hierarchy } from '../panel/hierarchy.js';
import type { ZoneSet } from '../vector/types.js';
import type { ResultCache } from './cache.js';
import type { OutputFile } from './commit-outputs.js';
import type { PanelPlan } from './plan/types.js';
import type { ProgressSink } from './progress.js';
import type { InequalityStageResult, SpatialOutputs } from './stages/analysis-stage.js';
import type { HarmonisationRecord } from './stages/harmonise-stage.js';
import type { PixelHarmonisationRecord } from './stages/harmonise-pixel-stage.js';
import type { CalibrationRecord } from './stages/materialise-stage.js';
import type { PeriodStats } from './stages/zonal-stage.js';

export interface RunOptions {
  readonly progress?: ProgressSink | null;
  readonly threads?: number;
  /** Rows per work unit (row band) of a raster; part of every cache and shard key (default DEFAULT_BAND_ROWS). */
  readonly bandRows?: number;
  /** `ntl merge`: take every unit's partial from DIR/.shards (all must be there) instead of computing it. */
  readonly fromShards?: boolean;
  /** The command as recorded in the output folder's lock, e.g. "ntl run pipelines/x.yaml" (default: this process's arguments). */
  readonly command?: string;
  /** How messages name the output folder option, e.g. "--out" or "--out-dir" (default "--out"). */
  readonly outFlag?: string;
  /** Keep a period in which every unit is empty (empty rows) instead of stopping: `ntl panel --allow-empty`. */
  readonly allowEmpty?: boolean;
  /** How the caller's user allows that (e.g. "pass --allow-empty"), for the error; none by default. */
  readonly allowEmptyHint?: string;
  /** Tests only: lower the limits of the zonal thread split so small rasters are split too (never changes a result). */
  readonly splitLimits?: SplitLimits;
}

/** Work a stage read back from a cache (hits) or computed (misses): the progress note "N from cache", run.json `cache`. */
export interface CacheUse {
  readonly hits: number;
  readonly misses: number;
}

/**
 * What one run carries from stage to stage. The first block is set up by the runner; each later field is written
 * by the stage named beside it and read by the stages after it (`need` reads one that must be there).
 */
export interface RunContext {
  /**
   * The plan as given: files pinned by checksum (verify, saturation and run.json `inputs` read these files). The
   * verify stage adds the version each remote raster's server reported (part of every cache key).
   */
  pinned: PanelPlan;
  readonly opts: RunOptions;
  /** The zonal result cache, DIR/.cache (zonal, shards, saturation). */
  readonly cache: ResultCache;
  /** Warnings of the run, in the order they arise (run.json, the summary). */
  readonly warnings: string[];
  /** Output files to publish, in run.json order (estimate, encode, maps append). */
  readonly files: OutputFile[];
  /** Work read from / written to a cache, per stage name (recorded by the runner from each stage's outcome). */
  readonly cacheUse: Record<string, CacheUse>;
  /** Requests and bytes per remote URL before the run (remoteTraffic()), so run.json records what this run fetched. */
  readonly traffic0: ReadonlyMap<string, { readonly requests: number; readonly bytes: number }>;
  /** verify: what each remote raster's server reported (run.json `inputs`). */
  remoteSeen: ReadonlyMap<string, RemoteReport>;

  /** The plan the zonal stage reads: `pinned` with calibrated rasters (calibrate) and the pixel-harmonised series (harmonise). */
  plan: PanelPlan;
  /** calibrate: one record per calibrated raster written or reused. */
  calibration: readonly CalibrationRecord[];
  /** harmonise (pixel or district level): the fit, for harmonisation.json and run.json. */
  harmonisation: PixelHarmonisationRecord | HarmonisationRecord | null;
  /** boundaries: the units of the run, read and selected (boundaries.units). */
  zoneSet?: ZoneSet;
  /** boundaries: the same zones, reprojected on demand to each raster's grid. */
  zones?: PreparedZones;
  /** hierarchy: county → prefecture → province of every unit. */
  hierarchy?: Hierarchy;
  /** zonal (then saturation): statistics per series and period. */
  periods?: readonly PeriodStats[];
  /** panel (then crosswalk, harmonise, gap): the long county × period panel. */
  panel?: Table;
  /** inequality: the inequality table and its run.json record (null: nothing to compute). */
  inequality?: InequalityStageResult | null;
  /** spatial: adjacency files and the exposure panel. */
  spatial?: SpatialOutputs | null;
}

/** What a stage reports back to the runner's loop. */
export interface StageOutcome {
  readonly cache?: CacheUse;
}

/**
 * One stage of a run. The runner's loop skips it unless `enabled`, times it under `name` in run.json `timings`
 * (unless `timed` is false), draws its progress bar when it has a `progress` total, and records its cache use.
 */
export interface Stage {
  /** run.json `timings` and progress name (two stages may share one, e.g. the two harmonise levels). */
  readonly name: string;
  /** Decided on the plan as given (calibration and pixel harmonisation change only its series). */
  enabled(plan: PanelPlan, opts: RunOptions): boolean;
  /** Work items of the progress bar (ticked through `run`'s `tick`); absent = no progress line. */
  progress?(ctx: RunContext): number;
  /** false: not in run.json `timings` (quick in-memory steps). Default true. */
  readonly timed?: boolean;
  run(ctx: RunContext, tick: () => void): Promise<StageOutcome | void>;
}

type Produced = 'zoneSet' | 'zones' | 'hierarchy' | 'periods' | 'panel';

/** A field an earlier stage must have produced (an internal error names it otherwise: the stage list is out of order). */
export function need<K extends Produced>(ctx: RunContext, key: K): NonNullable<RunContext[K]> {
  const value = ctx[key];
  if (value === undefined) throw new Error(`internal error: the run context has no ${key} yet (stage order in stage-list.ts); please report it`);
  return value as NonNullable<RunContext[K]>;
}
