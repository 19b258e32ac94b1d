/** Zonal statistics contract between the CLI/pipeline and the zonal engine. */
import type { RemoteOptions } from '../raster/http-source.js';

/**
 * The statistic names, as the user writes them (`--stats count,sum,quantile:0.9`, the pipeline's `zonal.stats`):
 * the one list `ntl zonal`, `ntl panel` and the pipeline spec accept.
 */
export const STAT_NAMES = [
  'count',
  'sum',
  'mean',
  'min',
  'max',
  'stdev',
  'variance',
  'median',
  'quantile',
  'lit_count',
  'lit_share',
  'nodata_count',
  'area_km2',
  'cell_area_sum_km2',
  'weighted_sum',
  'weighted_mean',
  'weight_sum',
  'per_weight',
] as const;
export type StatName = (typeof STAT_NAMES)[number];

export interface StatSpec {
  readonly name: StatName;
  /** quantile level q in [0,1] for `quantile:q`; undefined otherwise. */
  readonly q?: number;
  /** Output column name, a valid Stata/R/SQL name (src/output/column-names.ts): "sum", "quantile_0_9". */
  readonly column: string;
}

/** exact: fractional cell coverage; centre: the cell-centre rule. */
export const COVERAGE_RULES = ['exact', 'centre'] as const;
export type CoverageRule = (typeof COVERAGE_RULES)[number];

/**
 * The zonal settings: one type for `ntl zonal` (src/jobs/zonal-job.ts), `ntl panel` and the pipeline plan (built
 * from the spec's `zonal:` section by `zonalSettings` in spec.ts), and the engine's options.
 */
/** A weighting raster (`--weights`, a pipeline series' `weights:`): weighted_sum / weighted_mean / weight_sum / per_weight. */
export interface WeightsSetting {
  readonly path: string;
  /** 1-based band of the weighting raster (default 1). */
  readonly band?: number;
  /** Weight of cells without one (no-data or outside the raster); null (default) = such cells empty the weighted statistics. */
  readonly defaultWeight: number | null;
  /** CRS of the weighting raster when its GeoKeys carry none. */
  readonly crs?: string;
  /** An http(s) weighting raster: read in place as the value raster is (`ntl zonal`'s options; a pipeline entry's pins). */
  readonly remote?: RemoteOptions;
}

export interface ZonalSettings {
  readonly stats: readonly StatSpec[];
  readonly rule: CoverageRule;
  /** Treat no-data cells as value 0 (counted as valid) instead of excluding them. */
  readonly nodataAsZero: boolean;
  /** lit_count / lit_share count cells with value > litThreshold. */
  readonly litThreshold: number;
  /** A weighting raster for the weighted statistics; absent = weighted_sum / weighted_mean weight by cell area. */
  readonly weights?: WeightsSetting;
}

export interface ZonalRow {
  readonly id: string;
  /** One entry per StatSpec, in order; null = empty field (no valid cell, or outside the raster). */
  readonly values: readonly (number | null)[];
}

/** Zones whose statistics are empty, by cause (ids in zone order). */
export interface EmptyZones {
  /** No polygon at all (null geometry, or nothing left after cleaning). */
  readonly noGeometry: readonly string[];
  /** A polygon, but it covers no raster cell. */
  readonly outside: readonly string[];
  /** Covers raster cells, all of them no-data. */
  readonly nodataOnly: readonly string[];
}

export interface ZonalResult {
  readonly columns: readonly string[];
  readonly rows: readonly ZonalRow[];
  readonly warnings: readonly string[];
  /** Why empty rows are empty; absent on results computed before this field existed (e.g. old caches). */
  readonly empty?: EmptyZones;
}

/** The engine's options are the zonal settings; the weighting raster reaches the engine opened (EngineOptions.weights). */
export type ZonalOptions = Omit<ZonalSettings, 'weights'>;
