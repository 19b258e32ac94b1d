/**
 * The runner's input: a fully resolved plan (files pinned by checksum, settings parsed), built from a pipeline YAML
 * (build.ts `planFromResolved`) or from command-line flags (`ntl panel`), so both paths share one runner.
 * Types only, imported by the plan builder, the stages, the shard runs and the runner alike (no import cycle).
 */
import type { ZonalSettings } from '../../zonal/types.js';
import type { PanelFormat } from '../../output/panel-writers.js';
import type { InequalityMeasure } from '../../inequality/panel.js';
import type { HarmoniseModel } from '../../calibrate/harmonise.js';
import type { AttOptions, EventstudyOptions, OutcomeTransform, PlaceboOptions, PsmOptions } from '../../estimate/options.js';

export interface PinnedFile {
  /** Manifest entry id (or the file name for ad-hoc runs). */
  readonly id: string;
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
  /** 1-based band for multi-band rasters. */
  readonly band?: number;
  /** DMSP satellite and year of a raster entry (calibration defaults). */
  readonly satellite?: string;
  readonly year?: number;
  /** Concrete calibration steps for this file (from `calibrate:`, defaults filled in); empty = raw values. */
  readonly calibrate?: readonly Record<string, unknown>[];
  /** Rasters the calibration reads beside this one (composite, dmsp_mask, ndvi, pareto_rank), same grid. */
  readonly aux?: Readonly<Record<string, PinnedFile>>;
  /** The series' weighting raster (`weights:`), any grid in the same CRS, and its default weight (null = none). */
  readonly weights?: { readonly file: PinnedFile; readonly defaultWeight: number | null };
  /**
   * A raster read in place over http(s) (manifest `access: remote`, or a URL given to `ntl panel`): `file` is the
   * URL, `size` is checked on every open, `sha256` is the recorded one ('' if none) and is never verified.
   */
  readonly remote?: RemotePin;
  /**
   * A NASA Black Marble period: the tiles read as one mosaic (`file` is the first of them) and the layer,
   * quality and snow options of its manifest entries.
   */
  readonly blackmarble?: PinnedBlackMarble;
}

export interface PinnedBlackMarble {
  readonly tiles: readonly { readonly id: string; readonly file: string; readonly sha256: string; readonly size: number }[];
  readonly layer?: string;
  readonly quality?: string | readonly number[];
  readonly snow?: 'free' | 'covered' | 'all';
}

export interface RemotePin {
  /** Recorded ETag / Last-Modified that the server must still report. */
  readonly etag?: string;
  readonly lastModified?: string;
  /**
   * The version the verify stage saw (ETag, else Last-Modified, else the sha256 of the header bytes): part of
   * every cache key, so a replaced remote file is never answered from the cache.
   */
  readonly version?: string;
  /** What the first open of the run saw; every later open must see the same (else: changed during the run). */
  readonly seen?: { readonly etag?: string; readonly lastModified?: string; readonly headerSha256?: string };
}

export interface PlannedInput {
  readonly year: number;
  readonly month?: number;
  readonly files: readonly PinnedFile[];
  /** single: one file; mean: average the statistics of several (e.g. two satellites in one year). */
  readonly combine: 'single' | 'mean';
}

export interface PlannedSeries {
  readonly name: string;
  readonly sensor: string;
  /** Manifest product shared by the series' entries (e.g. chen2021-npp-viirs-like-8bit); decides map units and labels. */
  readonly product?: string;
  readonly inputs: readonly PlannedInput[];
  /** Inter-annual continuity rule over the series' years (calibrate step continuity); applied before zonal statistics. */
  readonly continuity?: 'sequential' | 'original';
}

export interface PlannedBoundaries {
  readonly file: PinnedFile;
  readonly companions: readonly PinnedFile[];
  readonly idField: string;
  readonly nameField?: string;
  readonly parentField?: string;
  readonly provinceField?: string;
  readonly encoding?: string;
  readonly crs?: string;
  /** mainland: drop Hong Kong, Macau and Taiwan units after the hierarchy stage; absent or all: keep every unit. */
  readonly units?: 'mainland' | 'all';
}

export interface PanelPlan {
  readonly name: string;
  /** Where the plan came from (pipeline file, or "command line"). */
  readonly origin: string;
  /** Hash of the settings that define the results (spec hash for pipelines). */
  readonly settingsHash: string;
  readonly years: readonly number[];
  readonly boundaries: PlannedBoundaries;
  readonly series: readonly PlannedSeries[];
  readonly zonal: ZonalSettings;
  /** Re-code units to `targetVintage`; the boundary file's codes are those of `sourceVintage` when known. */
  /** `calibrate:` steps of the pipeline (applied per window before zonal statistics). */
  readonly calibrate: readonly (Readonly<Record<string, unknown>> & { readonly step: string })[];
  readonly crosswalk?: { readonly file: PinnedFile; readonly targetVintage: number; readonly sourceVintage?: number };
  readonly inequality?: {
    readonly value: string;
    readonly group: 'prefecture' | 'province';
    readonly measures: readonly InequalityMeasure[];
    readonly min_group_size: number;
  };
  readonly gap?: { readonly value: string; readonly ref: 'median' | 'mean' | 'p90' };
  /**
   * district: fit `to.column ~ model(from.column)` on the overlap years' county pairs and add series `name` after
   * panel assembly (harmonise-stage.ts); pixel: fit on the overlap years' pixels before zonal statistics and add
   * `name` as a raster series (harmonise-pixel-stage.ts).
   */
  readonly harmonise?:
    | {
        readonly level: 'district';
        readonly from: string;
        readonly to: string;
        readonly stat: string;
        readonly column: string;
        readonly model: HarmoniseModel;
        readonly name: string;
      }
    | {
        readonly level: 'pixel';
        readonly from: string;
        readonly to: string;
        readonly model: HarmoniseModel;
        readonly name: string;
        readonly sigma: number;
        readonly minDn: number;
        readonly clamp: number | null;
      };
  readonly spatial?: {
    readonly rule: 'queen' | 'rook';
    readonly snapM: number;
    readonly minSharedM?: number;
    readonly exposure?: {
      readonly file: PinnedFile;
      readonly unit: string;
      readonly time?: string;
      readonly firstYear?: number;
      readonly order: 1 | 2;
      readonly waves?: boolean;
    };
  };
  /** `waves`: the table is a policy list in waves (a unit listed with several years: its earliest); else that is an error. */
  readonly treatment?: {
    readonly file: PinnedFile;
    readonly unit: string;
    readonly time: string;
    readonly exclude: Readonly<Record<string, string>>;
    readonly waves?: boolean;
  };
  readonly estimate?: {
    readonly level: 'county' | 'prefecture';
    /** Outcome column (before any transform). */
    readonly outcome: string;
    readonly transform?: OutcomeTransform;
    readonly source: string;
    readonly models: readonly ('did' | 'eventstudy' | 'placebo' | 'bacon' | 'att' | 'spillover' | 'psm')[];
    readonly eventstudy: EventstudyOptions;
    readonly placebo: PlaceboOptions;
    readonly att: AttOptions;
    /** Split variables: region or estimation-panel columns → treat:i.<col>. */
    readonly heterogeneity: readonly string[];
    /** Panel column interacted with treat. */
    readonly intensity?: string;
    /** Cohort-bin start years. */
    readonly stages?: readonly number[];
    readonly covariates?: { readonly file: PinnedFile; readonly unit: string; readonly time?: string; readonly columns: readonly string[] };
    readonly psm: PsmOptions;
  };
  /** YAML line of every spec node (pipelines only), for errors found after the run started. */
  readonly specLines?: Readonly<Record<string, number>>;
  readonly outputs: {
    readonly dir: string;
    readonly formats: readonly PanelFormat[];
    readonly wide: boolean;
    readonly maps: boolean;
    readonly report: boolean;
    readonly mapStat: string;
  };
  readonly concurrency: number;
  readonly warnings: readonly string[];
}
