/** Types shared by the plan and its stages, kept apart so that no stage imports plan.ts back (no cycle). */

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
}
