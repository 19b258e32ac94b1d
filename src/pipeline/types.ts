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
