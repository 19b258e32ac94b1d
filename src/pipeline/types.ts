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
   * A raster read in place over http(s) (manifest `access: remote`, or a URL given to `ntl panel`): `file` is the
   * URL, `size` is checked on every open, `sha256` is the recorded one ('' if none) and is never verified.
   */
  readonly remote?: RemotePin;
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
