/**
 * One raster calibrated to one file by a list of steps (the pipeline's `calibrate:` entries, validated by the step
 * schema): the chain is built, auxiliary rasters are matched to the steps that read them, an `auto` output type is
 * resolved from the chain, and writeCalibratedRaster writes it — the same writer as the pipeline's calibrate stage.
 * Every raster-writing `ntl calibrate` verb is this function with its own steps.
 */
import { openRaster } from '../raster/index.js';
import type { WritableDtype } from '../raster/write-geotiff.js';
import { NtlError } from '../errors.js';
import { buildCalibrateChain, type CalibrateChain } from './chain.js';
import { writeCalibratedRaster, type CalibratedSummary, type RasterRef } from './write-calibrated.js';

export const OUTPUT_TYPES: readonly WritableDtype[] = ['float32', 'float64', 'uint8', 'int16', 'uint16', 'int32'];

/** The auxiliary rasters a chain may read, in the order they are opened. */
const AUX_NAMES = ['ndvi', 'pareto_rank', 'composite', 'dmsp_mask'] as const;

export interface CalibrateFileOptions {
  /** The raster to calibrate (band, no-data read as dark). */
  readonly input: RasterRef;
  /** `{ step: name, ...params }` entries, as in a pipeline's `calibrate:` list (continuity excluded). */
  readonly steps: readonly Record<string, unknown>[];
  /** Rasters on the input's grid by the chain's names: composite, dmsp_mask, ndvi, pareto_rank. */
  readonly aux?: Readonly<Record<string, string>>;
  readonly out: string;
  /** float32 (default; no-data NaN), another type, or auto: uint8 / int16 when every output is a whole number. */
  readonly dtype?: WritableDtype | 'auto';
  /** No-data of integer outputs (default 255 for uint8, else -1); floats use NaN. */
  readonly nodata?: number;
  /** DEFLATE level 1–9 (default 1) and TIFF predictor (default 1). */
  readonly level?: number;
  readonly predictor?: 1 | 2 | 3;
  /** Where the steps come from, for messages (e.g. "ntl calibrate seam"). */
  readonly where?: string;
  readonly threads?: number;
}

export interface CalibrateFileResult {
  readonly chain: CalibrateChain;
  readonly summary: CalibratedSummary;
  /** The output type and no-data written (auto resolved). */
  readonly dtype: WritableDtype;
  readonly nodata: number;
  /** For dtype auto: the whole-number output range that decided it, or null (not all whole numbers). */
  readonly auto: { readonly range: { readonly min: number; readonly max: number } | null } | null;
}

export async function calibrateFile(o: CalibrateFileOptions): Promise<CalibrateFileResult> {
  const where = o.where ?? 'calibrate';
  const chain = buildCalibrateChain(o.steps, where);
  if (chain.continuity) throw new NtlError(`${where}: the continuity step runs over every year of a series, not on one raster; use ntl calibrate continuity`);
  const requested = o.dtype ?? 'float32';
  let dtype: WritableDtype = requested === 'auto' ? 'float32' : requested;
  let nodata = dtype.startsWith('float') ? NaN : (o.nodata ?? (dtype === 'uint8' ? 255 : -1));
  let auto: CalibrateFileResult['auto'] = null;
  if (requested === 'auto') {
    const src = await openRaster(o.input.path, { band: o.input.band, threads: o.threads });
    const r = chain.integralRange(src.info.dtype, o.input.nodataAsZero ? null : src.info.nodata);
    await src.close();
    if (r && r.min >= 0 && r.max <= 254) {
      dtype = 'uint8';
      nodata = 255;
    } else if (r && r.min >= -32767 && r.max <= 32767) {
      dtype = 'int16';
      nodata = -32768;
    }
    auto = { range: r };
  }
  const aux: Record<string, RasterRef> = {};
  for (const name of AUX_NAMES) {
    if (!chain.aux.includes(name)) continue;
    const path = o.aux?.[name];
    if (path === undefined) throw new NtlError(`${where}: a step reads the ${name} raster, and none is given`);
    aux[name] = { path };
  }
  const summary = await writeCalibratedRaster(o.input, aux, chain, { path: o.out, dtype, nodata, level: o.level ?? 1, predictor: o.predictor ?? 1 }, o.threads);
  return { chain, summary, dtype, nodata, auto };
}
