/**
 * One work unit's result: per-zone partial statistics of one input raster over one row band. The zonal
 * engine runs unchanged on a view of the source restricted to the band's rows (coverage rows are computed
 * independently, so a band sees bitwise the fractions a whole-raster pass sees); besides the requested
 * statistics it returns the mergeable ones: count, sum, min, max, lit_count, nodata_count,
 * cell_area_sum_km2, weighted_sum (and variance when variance/stdev are asked).
 */
import { type PreparedZones, zonalOnSource, type ZonalSettings } from '../../jobs/zonal-job.js';
import { rowClippedSource } from '../../raster/row-clip.js';
import type { RasterSource } from '../../raster/types.js';
import type { SplitLimits, ZonalWorkers } from '../../zonal/index.js';
import type { StatName, StatSpec } from '../../zonal/types.js';
import type { RowRange } from './bands.js';

/** Per-zone values over `columns` (requested statistics first, then the mergeable ones). */
export interface UnitPartial {
  readonly columns: readonly string[];
  /** Number of requested statistics at the front of `columns`. */
  readonly requested: number;
  readonly ids: readonly string[];
  readonly values: readonly (readonly (number | null)[])[];
  readonly warnings: readonly string[];
}

const MERGEABLE: readonly StatName[] = ['count', 'sum', 'min', 'max', 'lit_count', 'nodata_count', 'cell_area_sum_km2', 'weighted_sum'];

/** The requested statistics followed by the mergeable ones (prefixed `_p_`, so names never collide). */
export function partialStats(stats: readonly StatSpec[]): StatSpec[] {
  const extra: StatName[] = [...MERGEABLE];
  if (stats.some((s) => s.name === 'variance' || s.name === 'stdev')) extra.push('variance');
  return [...stats, ...extra.map((name) => ({ name, column: `_p_${name}` }))];
}

/** Quantiles need every (value, weight) pair of a zone, so such periods are not split into bands. */
export function splittable(stats: readonly StatSpec[]): boolean {
  return !stats.some((s) => s.name === 'median' || s.name === 'quantile');
}

export { rowClippedSource };

/**
 * `split`: the source is the local GeoTIFF at its info.path as is, so the zones may be split over `threads` worker
 * threads that open it again (same numbers; zonalStatisticsParallel), clipped to the band's rows there too.
 */
export async function computeUnitPartial(
  source: RasterSource,
  band: RowRange,
  zones: PreparedZones,
  settings: ZonalSettings,
  split?: { readonly threads: number; readonly workers?: ZonalWorkers; readonly limits?: SplitLimits },
): Promise<UnitPartial> {
  const stats = partialStats(settings.stats);
  const r = await zonalOnSource(rowClippedSource(source, band), zones, { ...settings, stats }, undefined, split ? { ...split, rows: band } : undefined);
  return {
    columns: r.columns,
    requested: settings.stats.length,
    ids: r.rows.map((row) => row.id),
    values: r.rows.map((row) => row.values),
    warnings: r.warnings,
  };
}
