/** Calibration contract: every step is a pure transform of one row window of a raster. */
import type { PixelArray } from '../raster/types.js';

/** A row window as the raster reader yields it (RowBand-compatible): rows × width cells, row-major. */
export interface CalWindow {
  readonly data: PixelArray | Float32Array;
  readonly rows: number;
  readonly width: number;
  readonly row0: number;
  readonly col0: number;
}

/**
 * What a step knows beyond the pixels. `nodata` is the input's no-data value (null = none); NaN in a
 * Float32Array window always means no-data (every step's output uses NaN for no-data).
 * `aux` holds windows of auxiliary rasters aligned with the main one (same grid, same rows), by name:
 * e.g. `composite` (second satellite), `ndvi`, `dmsp_mask`.
 */
export interface StepContext {
  readonly nodata: number | null;
  readonly aux?: Readonly<Record<string, CalWindow>>;
  /** No-data value of each aux raster (by the same name); NaN is always no-data. */
  readonly auxNodata?: Readonly<Record<string, number | null>>;
}

/** `into`: optional buffer the result may be written to (the caller no longer needs its old contents). */
export type WindowTransform = (band: CalWindow, ctx: StepContext, into?: Float32Array) => Float32Array;

/** True when a raw input value is missing: the no-data value or NaN. */
export function isMissing(v: number, nodata: number | null): boolean {
  return v !== v || (nodata !== null && v === nodata);
}
