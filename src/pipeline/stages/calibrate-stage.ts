/**
 * Calibration inside a pipeline, planning half: the `calibrate:` list → the concrete steps of every input file,
 * with the rasters they read beside the main one. Steps may name a `series` (default: every panel series); an
 * intercalibrate step takes satellite and year from the manifest entry when it does not give them.
 *
 * Pipeline-only keys name other series of the spec, matched by year (and month):
 *   viirs_denoise  dmsp_mask: <series>   background where that series' DMSP image of the year is 0
 *   vanui          ndvi: <series>        the year's NDVI raster
 *   pareto         rank_by: <series>     rank top-coded pixels by that series' raster (Bluhm & Krause)
 *   composite      —                     the series' second satellite of the year (duplicates: composite)
 *   continuity     —                     every year of the series (a series-level step)
 * Series read only this way are declared with `role: calibration` (no panel rows).
 * Per-window steps stream inside the zonal stage (calibratedSource); files whose steps need another raster or the
 * whole grid, and series with continuity, are written to calibrated rasters first (materialise-stage.ts).
 */
import { NtlError } from '../../errors.js';
import { parseCalibrateStep, type CalibrateChain } from '../../calibrate/chain.js';
import type { ContinuityVariant } from '../../calibrate/composite.js';
import type { BandWindow, RasterSource, RowBand } from '../../raster/types.js';
import type { PinnedFile } from '../plan/types.js';

export type PipelineCalibrateStep = Readonly<Record<string, unknown>> & { readonly step: string };

/** The file of `series` for a period, or a reason why there is none. */
export type AuxLookup = (series: string, year: number, month: number | undefined) => PinnedFile | string;

/** Keys a pipeline step may carry that name another series (→ the aux raster name the chain reads). */
const SERIES_KEYS: Readonly<Record<string, { readonly key: string; readonly aux: string; readonly required: boolean }>> = {
  viirs_denoise: { key: 'dmsp_mask', aux: 'dmsp_mask', required: false },
  vanui: { key: 'ndvi', aux: 'ndvi', required: true },
  pareto: { key: 'rank_by', aux: 'pareto_rank', required: false },
};

/** Names of the series that the steps read as aux rasters (dmsp_mask:, ndvi:, rank_by:). */
export function seriesReadBy(steps: readonly PipelineCalibrateStep[]): Set<string> {
  const read = new Set<string>();
  for (const s of steps) {
    const ref = SERIES_KEYS[s.step];
    const v = ref ? s[ref.key] : undefined;
    if (typeof v === 'string') read.add(v);
  }
  return read;
}

/** Steps that make the file be written out before zonal statistics (they read other rasters or the whole grid). */
const WRITE_FIRST = new Set(['composite', 'vanui', 'seam', 'pareto']);

export interface FileCalibration {
  readonly steps: Record<string, unknown>[];
  /** Rasters read beside the main one, by the chain's aux names (composite, dmsp_mask, ndvi, pareto_rank). */
  readonly aux: Record<string, PinnedFile>;
}

export interface InputFiles {
  readonly year: number;
  readonly month?: number;
  /** One file, or the two satellites of a composite year (main first). */
  readonly files: readonly (PinnedFile & { satellite?: string; year?: number })[];
}

/** True when the series' list applies to this series. */
function appliesTo(s: PipelineCalibrateStep, series: string): boolean {
  return s.series === undefined || s.series === series;
}

/** The continuity variant of a series (null: none); refuses it on monthly series. */
export function continuityOf(steps: readonly PipelineCalibrateStep[], series: string, monthly: boolean, where: string): ContinuityVariant | null {
  let v: ContinuityVariant | null = null;
  steps.forEach((s, i) => {
    if (s.step !== 'continuity' || !appliesTo(s, series)) return;
    const { series: _s, ...rest } = s as Record<string, unknown>;
    const parsed = parseCalibrateStep(rest, i, where) as { variant: ContinuityVariant };
    if (monthly)
      throw new NtlError(
        `${where}: calibrate entry ${i + 1}: continuity compares consecutive years; series ${series} is monthly — build annual composites first (ntl calibrate monthly)`,
      );
    v = parsed.variant;
  });
  return v;
}

/** The concrete steps (continuity excluded) and aux rasters for one period of one series. */
export function calibrationForInput(
  steps: readonly PipelineCalibrateStep[],
  series: string,
  input: InputFiles,
  lookup: AuxLookup,
  where: string,
): FileCalibration {
  const out: Record<string, unknown>[] = [];
  const aux: Record<string, PinnedFile> = {};
  const file = input.files[0]!;
  let composite = false;
  steps.forEach((s, i) => {
    if (!appliesTo(s, series) || s.step === 'continuity') return;
    const at = `${where}: calibrate entry ${i + 1} (step ${s.step})`;
    const { series: _only, ...rest } = s as Record<string, unknown>;
    const ref = SERIES_KEYS[s.step];
    if (ref) {
      const named = rest[ref.key];
      delete rest[ref.key];
      if (named === true) throw new NtlError(`${at}: ${ref.key} names a series of this pipeline (e.g. ${ref.key}: dmsp), not true`);
      if (named === undefined && ref.required)
        throw new NtlError(`${at}: needs ${ref.key}: <series> (a series, usually role: calibration, with one raster per year on the same grid)`);
      if (named !== undefined && named !== false) {
        if (typeof named !== 'string') throw new NtlError(`${at}: ${ref.key} must be a series name`);
        const hit = lookup(named, input.year, input.month);
        if (typeof hit === 'string') throw new NtlError(`${at}: ${ref.key}: ${hit}`);
        aux[ref.aux] = hit;
        if (s.step === 'viirs_denoise') rest.dmsp_mask = true;
        if (s.step === 'pareto') rest.rank_by_aux = true;
      }
    }
    if (s.step === 'intercalibrate') {
      if (rest.satellite === undefined) {
        if (!file.satellite)
          throw new NtlError(
            `${at}: intercalibrate needs a satellite, and manifest entry ${file.id} records none (add satellite: F16 to the entry or to the step)`,
          );
        rest.satellite = file.satellite;
      }
      if (rest.year === undefined) rest.year = file.year ?? input.year;
    }
    if (s.step === 'composite') {
      const other = input.files[1];
      if (!other)
        throw new NtlError(
          `${at}: series ${series} has one image for ${input.year}; composite combines two satellites of a year — set duplicates: composite on the series (years with one image are left alone then)`,
        );
      if (rest.satellite !== undefined)
        throw new NtlError(`${at}: the second image's satellite comes from its manifest entry (${other.id}); remove satellite: from the step`);
      const hasIntercal = out.some((x) => x.step === 'intercalibrate');
      if (hasIntercal) {
        if (!other.satellite)
          throw new NtlError(`${at}: manifest entry ${other.id} records no satellite, so it cannot be inter-calibrated before the composite`);
        rest.satellite = other.satellite;
      }
      aux.composite = other;
      composite = true;
    }
    parseCalibrateStep(rest, i, `${where} (${series} ${input.year})`); // every parameter checked before any work
    out.push(rest);
  });
  if (input.files.length > 1 && !composite) {
    throw new NtlError(
      `${where}: series ${series} combines two satellites for ${input.year} (duplicates: composite) but no calibrate step { step: composite } applies to it`,
    );
  }
  return { steps: out, aux };
}

/** Files with these steps (or any aux raster) are written out before zonal statistics. */
export function needsWriting(f: Pick<PinnedFile, 'calibrate' | 'aux'>): boolean {
  return Object.keys(f.aux ?? {}).length > 0 || (f.calibrate ?? []).some((s) => WRITE_FIRST.has(String(s.step)));
}

/** A RasterSource whose bands are the chain's output (float32, NaN = no-data). */
export function calibratedSource(source: RasterSource, chain: CalibrateChain): RasterSource {
  const info = { ...source.info, dtype: 'float32' as const, nodata: null };
  const nodata = source.info.nodata;
  return {
    info,
    async *bands(window?: BandWindow): AsyncIterable<RowBand> {
      // no ReadHint passed on: the chain may count or look at every cell of a band, so no block may be skipped under it
      for await (const band of source.bands(window)) {
        yield { row0: band.row0, rows: band.rows, col0: band.col0, width: band.width, data: chain.apply(band, { nodata }) };
      }
    },
    close: () => source.close(),
  };
}
