/** Zonal statistics contract between the CLI/pipeline and the zonal engine. */

/** Statistic names as the user writes them (`--stats count,sum,quantile:0.9`). */
export type StatName =
  | 'count' | 'sum' | 'mean' | 'min' | 'max' | 'stdev' | 'variance' | 'median' | 'quantile'
  | 'lit_count' | 'lit_share' | 'nodata_count' | 'area_km2' | 'cell_area_sum_km2'
  | 'weighted_sum' | 'weighted_mean' | 'weight_sum' | 'per_weight';

export interface StatSpec {
  readonly name: StatName;
  /** quantile level q in [0,1] for `quantile:q`; undefined otherwise. */
  readonly q?: number;
  /** Output column name, e.g. "sum", "quantile_0.9". */
  readonly column: string;
}

export type CoverageRule = 'exact' | 'centre';

export interface ZonalOptions {
  readonly stats: readonly StatSpec[];
  readonly rule: CoverageRule;
  /** Treat no-data cells as value 0 (counted as valid) instead of excluding them. */
  readonly nodataAsZero: boolean;
  /** lit_count / lit_share count cells with value > litThreshold. */
  readonly litThreshold: number;
}

export interface ZonalRow {
  readonly id: string;
  /** One entry per StatSpec, in order; null = empty field (no valid cell, or outside the raster). */
  readonly values: readonly (number | null)[];
}

export interface ZonalResult {
  readonly columns: readonly string[];
  readonly rows: readonly ZonalRow[];
  readonly warnings: readonly string[];
}
