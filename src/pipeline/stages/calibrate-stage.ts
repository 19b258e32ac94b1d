/**
 * Calibration inside a pipeline: the `calibrate:` steps become a per-window transform wrapped around each
 * raster source, so zonal statistics read calibrated values while the raster still streams band by band.
 * Steps may name a `series` (default: every series); an intercalibrate step takes satellite and year from the
 * manifest entry when it does not give them. Steps that need other rasters (composite, DMSP mask, NDVI) or the
 * whole grid / all years (SEAM, continuity) are refused here with a pointer to `ntl calibrate`.
 */
import { NtlError } from '../../errors.js';
import type { CalibrateChain } from '../../calibrate/chain.js';
import type { BandWindow, RasterSource, RowBand } from '../../raster/types.js';
import type { PinnedFile } from '../plan.js';

export type PipelineCalibrateStep = Readonly<Record<string, unknown>> & { readonly step: string };

const PER_WINDOW_ONLY = new Set(['intercalibrate', 'viirs_denoise', 'saturation_mask', 'dmsp_like']);

/** The steps that apply to one file of one series, with entry-derived defaults filled in. */
export function stepsForFile(steps: readonly PipelineCalibrateStep[], series: string, file: PinnedFile & { satellite?: string; year?: number }, where: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  steps.forEach((s, i) => {
    const { series: only, ...rest } = s as Record<string, unknown>;
    if (only !== undefined && only !== series) return;
    if (!PER_WINDOW_ONLY.has(s.step)) {
      throw new NtlError(`${where}: calibrate entry ${i + 1} (step ${s.step}) needs other rasters, the whole grid or all years, which pipelines do not run yet; write calibrated rasters with \`ntl calibrate\` and record them with \`ntl manifest add\``);
    }
    if (s.step === 'viirs_denoise' && rest.dmsp_mask === true) {
      throw new NtlError(`${where}: calibrate entry ${i + 1}: viirs_denoise with dmsp_mask needs a second raster; use \`ntl calibrate --dmsp-mask\``);
    }
    if (s.step === 'intercalibrate') {
      if (rest.satellite === undefined) {
        if (!file.satellite) throw new NtlError(`${where}: calibrate entry ${i + 1}: intercalibrate needs a satellite, and manifest entry ${file.id} records none (add satellite: F16 to the entry or to the step)`);
        rest.satellite = file.satellite;
      }
      if (rest.year === undefined) rest.year = file.year;
    }
    out.push(rest);
  });
  return out;
}

/** A RasterSource whose bands are the chain's output (float32, NaN = no-data). */
export function calibratedSource(source: RasterSource, chain: CalibrateChain): RasterSource {
  const info = { ...source.info, dtype: 'float32' as const, nodata: null };
  const nodata = source.info.nodata;
  return {
    info,
    async *bands(window?: BandWindow): AsyncIterable<RowBand> {
      for await (const band of source.bands(window)) {
        yield { row0: band.row0, rows: band.rows, col0: band.col0, width: band.width, data: chain.apply(band, { nodata }) };
      }
    },
    close: () => source.close(),
  };
}
