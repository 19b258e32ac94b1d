/**
 * Calibration inside a pipeline, writing half: periods whose steps read another raster (composite, DMSP mask,
 * NDVI, Pareto rank) or the whole grid (SEAM, Pareto), and every year of a series with the continuity rule, are
 * written as calibrated float32 GeoTIFFs under OUT/.cache/calibrated/ — by the same code as `ntl calibrate`
 * (writeCalibratedRaster, writeContinuity) — and the plan's files are swapped for them, so the zonal stage reads
 * calibrated values like any raster. A file is keyed by its inputs' checksums and steps and written atomically
 * (temp + rename); a rerun reuses it, a killed run leaves none half-written.
 */
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCalibrateChain } from '../../calibrate/chain.js';
import { writeContinuity, type ContinuityCounts } from '../../calibrate/continuity-stream.js';
import { writeCalibratedRaster, type CalibratedOutput, type CalibratedSummary } from '../../calibrate/write-calibrated.js';
import { NtlError } from '../../errors.js';
import type { RasterSource } from '../../raster/types.js';
import { cacheKey, ResultCache } from '../cache.js';
import type { PanelPlan, PinnedFile, PlannedInput, PlannedSeries } from '../plan/types.js';
import { needsWriting } from './calibrate-stage.js';
import { fileIdentity, openInputSource } from './zonal-stage.js';

/** Bump when a calibrated raster's bytes would change for the same inputs and steps. */
const CALIBRATED_VERSION = 1;

/** One written (or reused) calibrated raster, for run.json. */
export interface CalibrationRecord {
  readonly series: string;
  readonly year: number;
  readonly month?: number;
  /** Manifest ids of the raster and the rasters it read. */
  readonly input: string;
  readonly aux: Readonly<Record<string, string>>;
  readonly steps: readonly Record<string, unknown>[];
  readonly continuity?: { readonly variant: string; readonly zeroed: number; readonly raised: number };
  readonly seam?: CalibratedSummary['seam'];
  readonly pareto?: CalibratedSummary['pareto'];
  readonly viirs?: { readonly negatives: number; readonly background: number; readonly capped: number };
  /** Path relative to the output folder. */
  readonly file: string;
  readonly cached: boolean;
}

export interface MaterialiseResult {
  readonly plan: PanelPlan;
  readonly records: readonly CalibrationRecord[];
}

/** True when some period of the plan must be written before zonal statistics. */
export function needsMaterialising(plan: PanelPlan): boolean {
  return plan.series.some((s) => s.continuity !== undefined || s.inputs.some((i) => i.files.some(needsWriting)));
}

const OUTPUT: Omit<CalibratedOutput, 'path'> = { dtype: 'float32', nodata: NaN, level: 1, predictor: 1 };

export async function materialiseCalibration(
  plan: PanelPlan,
  opts: { readonly threads?: number; readonly onDone?: () => void } = {},
): Promise<MaterialiseResult> {
  if (!needsMaterialising(plan)) return { plan, records: [] };
  const dir = join(plan.outputs.dir, '.cache', 'calibrated');
  await mkdir(dir, { recursive: true });
  const index = new ResultCache(join(plan.outputs.dir, '.cache'));
  const records: CalibrationRecord[] = [];
  const series: PlannedSeries[] = [];
  // zonal.nodata_as_zero says the inputs store dark cells as no-data: the written steps (SEAM, continuity, …) read them as 0
  const zero = plan.zonal.nodataAsZero;
  for (const s of plan.series) {
    const inputs: PlannedInput[] = [];
    for (const input of s.inputs) {
      const files: PinnedFile[] = [];
      for (const f of input.files) files.push(needsWriting(f) ? keepWeights(await writeFile(s.name, input, f, dir, index, records, zero, opts.threads), f) : f);
      inputs.push({ ...input, files });
      opts.onDone?.();
    }
    series.push({ ...s, inputs: s.continuity ? await continuity(s, inputs, dir, index, records, zero, opts.threads) : inputs });
  }
  return { plan: { ...plan, series }, records };
}

/** A calibrated file is still weighted by its series' weighting raster (weights do not enter the calibration). */
function keepWeights(out: PinnedFile, from: PinnedFile): PinnedFile {
  return from.weights ? { ...out, weights: from.weights } : out;
}

async function pinned(id: string, key: string, path: string): Promise<PinnedFile> {
  return { id, file: path, sha256: key, size: (await stat(path)).size };
}

async function writeFile(
  series: string,
  input: PlannedInput,
  f: PinnedFile,
  dir: string,
  index: ResultCache,
  records: CalibrationRecord[],
  zero: boolean,
  threads?: number,
): Promise<PinnedFile> {
  const key = cacheKey({ v: CALIBRATED_VERSION, file: fileIdentity({ ...f, weights: undefined }), ...(zero ? { nodataAsZero: true } : {}) });
  const path = join(dir, `${key.slice(0, 32)}.tif`);
  const base = {
    series,
    year: input.year,
    ...(input.month !== undefined ? { month: input.month } : {}),
    input: f.id,
    aux: Object.fromEntries(Object.entries(f.aux ?? {}).map(([k, a]) => [k, a.id])),
    file: `.cache/calibrated/${key.slice(0, 32)}.tif`,
  };
  const hit = await index.get<Omit<CalibrationRecord, 'cached'>>('calibrated', key);
  if (hit && existsSync(path)) {
    records.push({ ...hit, cached: true });
    return pinned(`${f.id}+calibrated`, key, path);
  }
  const chain = buildCalibrateChain(f.calibrate ?? [], `${series} ${input.year} (${f.id})`);
  const aux = Object.fromEntries(Object.entries(f.aux ?? {}).map(([k, a]) => [k, { path: a.file, band: a.band }]));
  const summary = await writeCalibratedRaster({ path: f.file, band: f.band, nodataAsZero: zero }, aux, chain, { path, ...OUTPUT }, threads);
  const c = chain.counts;
  const rec: Omit<CalibrationRecord, 'cached'> = {
    ...base,
    steps: chain.record,
    ...(summary.seam ? { seam: summary.seam } : {}),
    ...(summary.pareto ? { pareto: summary.pareto } : {}),
    ...(c.negatives || c.background || c.capped ? { viirs: { negatives: c.negatives, background: c.background, capped: c.capped } } : {}),
  };
  await index.put('calibrated', key, rec);
  records.push({ ...rec, cached: false });
  return pinned(`${f.id}+calibrated`, key, path);
}

/** The continuity rule over every year of a series (one file per year; window-only steps are applied on the fly). */
async function continuity(
  s: PlannedSeries,
  inputs: readonly PlannedInput[],
  dir: string,
  index: ResultCache,
  records: CalibrationRecord[],
  zero: boolean,
  threads?: number,
): Promise<PlannedInput[]> {
  const variant = s.continuity!;
  for (const i of inputs) {
    if (i.files.length !== 1)
      throw new NtlError(
        `series ${s.name}: the continuity rule needs one image per year, but ${i.year} has ${i.files.length} (duplicates: mean); use duplicates: composite or prefer-newer-satellite`,
      );
  }
  const ordered = [...inputs].sort((a, b) => a.year - b.year);
  const key = cacheKey({
    v: CALIBRATED_VERSION,
    continuity: variant,
    years: ordered.map((i) => [i.year, fileIdentity(i.files[0]!)]),
    ...(zero ? { nodataAsZero: true } : {}),
  });
  const paths = ordered.map((i) => join(dir, `${key.slice(0, 24)}-${i.year}.tif`));
  const hit = await index.get<Omit<CalibrationRecord, 'cached'>[]>('continuity', key);
  let recs: Omit<CalibrationRecord, 'cached'>[];
  let cached = false;
  if (hit && paths.every((p) => existsSync(p))) {
    recs = hit;
    cached = true;
  } else {
    const sources: RasterSource[] = [];
    let counts: ContinuityCounts;
    try {
      // a file written above has no no-data value but NaN; a raw one is read with its no-data as dark when asked
      for (const i of ordered) sources.push(await openInputSource(i.files[0]!, { threads, nodataAsZero: zero }));
      counts = await writeContinuity(
        sources,
        variant,
        paths.map((path) => ({ path, ...OUTPUT })),
      );
    } finally {
      for (const src of sources) await src.close();
    }
    recs = ordered.map((i, t) => ({
      series: s.name,
      year: i.year,
      input: i.files[0]!.id,
      aux: {},
      steps: [...(i.files[0]!.calibrate ?? []), { step: 'continuity', variant }],
      continuity: { variant, zeroed: counts.zeroed[t]!, raised: counts.raised[t]! },
      file: `.cache/calibrated/${key.slice(0, 24)}-${i.year}.tif`,
    }));
    await index.put('continuity', key, recs);
  }
  records.push(...recs.map((r) => ({ ...r, cached })));
  const out: PlannedInput[] = [];
  for (const [t, i] of ordered.entries()) {
    out.push({ ...i, files: [keepWeights(await pinned(`${i.files[0]!.id}+continuity`, cacheKey({ key, year: i.year }), paths[t]!), i.files[0]!)] });
  }
  return out;
}
