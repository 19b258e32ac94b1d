/**
 * `ntl calibrate`: DMSP inter-calibration (+ same-year composite), VIIRS denoising, monthly → annual
 * composites, and the continuity report. Rasters stream band by band into a tiled DEFLATE GeoTIFF.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeContinuity } from '../calibrate/continuity-stream.js';
import { pixelPairs } from '../calibrate/pixel-pairs.js';
import { fitHarmonisation, HARMONISE_MODELS, type HarmoniseModel } from '../calibrate/harmonise.js';
import { capFromCores, fitIntercalibration, regionMask, type RegionRule } from '../calibrate/region.js';
import { readWhole } from '../calibrate/whole.js';
import { writeFileAtomic } from '../output/atomic.js';
import { readTable } from '../panel/read-table.js';
import { readZones, reprojectZones } from '../vector/index.js';
import { NtlError } from '../errors.js';
import { openRaster } from '../raster/index.js';
import { GeoTiffWriter, type WritableDtype } from '../raster/write-geotiff.js';
import type { RasterSource } from '../raster/types.js';
import { alignRows, checkSameGrid } from '../calibrate/align.js';
import { describeSummary, openRef, writeCalibratedRaster } from '../calibrate/write-calibrated.js';
import { buildCalibrateChain, type CalibrateStep } from '../calibrate/chain.js';
import { AnnualAccumulator } from '../calibrate/viirs.js';
import { TABLE_NAMES } from '../calibrate/tables.js';
import { writeContinuityReport, type SeriesInput } from '../calibrate/report.js';
import { optionalNumber, parseFlags, requireFlag } from './args.js';
import { assertOutputsAreNotInputs, type GuardOutput } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';

export const CALIBRATE_HELP = `ntl calibrate — calibrate DMSP-OLS / NPP-VIIRS night lights into one continuous series

Usage:
  ntl calibrate --input F101992.tif --satellite F10 --year 1992 [--table elvidge2014] [--clamp 63] --out out.tif
  ntl calibrate --input F141999.tif --satellite F14 --year 1999 --composite F121999.tif --composite-satellite F12 --out 1999.tif
  ntl calibrate --viirs-denoise --input viirs2013.tif [--threshold 0.3] [--dmsp-mask F182013.tif] [--cap 300 | --cap-percentile 99.99] --out out.tif
  ntl calibrate --monthly cube.tif --dates band_dates.csv --year 2013 [--coverage cloudfree.tif] --out viirs2013.tif
  ntl calibrate --continuity sequential|original 1992=F101992.tif 1993=F101993.tif … --out DIR   (DIR/1993.tif …)
  ntl calibrate --report 2012=a.tif 2013:viirs=b.tif … --out report   (writes report.csv + report.png)
  ntl calibrate --saturation-mask --input F182012.tif [--saturation-threshold 63] --out-type uint8 --out sat.tif
  ntl calibrate --input F182012.tif --satellite F18 --year 2012 --ndvi ndvi2012.tif --out vanui2012.tif
  ntl calibrate --input F162008.tif --satellite F16 --year 2008 --seam [--seam-region 300] --out seam2008.tif
  ntl calibrate --input calibrated2008.tif --seam --pareto --out corrected2008.tif   (corrections alone: no --satellite)
  ntl calibrate --harmonise --model sigmoid --dmsp F182013.tif --viirs viirs2013.tif [--sigma 1] --out fit.json
  ntl calibrate --harmonise --model power --pairs county2013.csv --x viirs_sum --y dmsp_sum --out fit.json
  ntl calibrate --dmsp-like fit.json --input viirs2016.tif --out dmsp_like2016.tif
  ntl calibrate --fit-intercalibration --reference F121999.tif --input F182013.tif --region sicily.geojson --region-id name --out coefs.json

DMSP inter-calibration (DN' = C0 + C1·DN + C2·DN², Wu: DN' = a·(DN+1)^b − 1; lit pixels only, 0 stays 0,
255 is no-data, negatives → 0):
  --table <name>            elvidge2014 (default; F12 1999 / Sicily), elvidge2009, liu2012 (China, Jixi), wu2013
  --satellite <Fnn> --year <yyyy>   the composite's satellite-year; refused when the table lacks it
  --clamp <x>               clamp calibrated values at x (e.g. 63); default: keep values above 63
  --composite <file>        second satellite of the same year (same grid), combined after calibration
  --composite-satellite <Fnn>  its satellite (calibrated with the same table and year)
  --composite-rule liu|mean liu (default): 0 if either is 0, else the mean; mean: plain mean (HSW 2012)
VIIRS:
  --viirs-denoise           negatives → 0 (counted), background → 0, outliers capped
  --threshold <x>           radiance ≤ x is background
  --dmsp-mask <file>        background where this DMSP stable-lights image is 0 (same grid)
  --cap <x> | --cap-percentile <p>   cap at x, or at the p-th percentile of positive pixels (two passes)
  --cap-cores <polygons> --cores-id <field>   cap at the maximum radiance inside these city cores (北上广深);
                            a cell is inside when > 50 % covered (--region-rule centre: centre inside)
  --monthly <file> --dates <csv> --year <yyyy> [--coverage <file>]   mean of the year's months, weighted by the
                            coverage file's cloud-free counts (same bands); duplicate dates are used once
Inter-annual continuity (Liu et al. 2012; off unless asked; inputs already inter-calibrated, one grid):
  --continuity sequential   DN(n) = 0 if DN(n+1) = 0, else max(DN(n), corrected DN(n−1)) — Liu-style papers
  --continuity original     the same with the uncorrected DN(n−1); first and last years are copied unchanged
Saturation (DMSP top-codes at 63):
  --saturation-mask         write 1 where DN ≥ threshold, 0 below, no-data kept; its zonal mean is the
                            district's saturated_share (= ntl zonal --stats lit_share --lit-threshold 62.5 on raw DN)
  --saturation-threshold <x>  default 63
  --ndvi <file>             VANUI = (1 − NDVI)·NTL/NTL_max (NDVI < 0 → 0; same grid, else an error) after the above
  --ntl-max <x>             NTL_max for VANUI (default 63)
  --pareto                  replace DN ≥ L by truncated-Pareto quantiles of their rank (Bluhm & Krause 2022;
                            whole raster in memory); --pareto-alpha 1.5 --pareto-lower 55 --pareto-upper 2000
  --pareto-rank <file>      rank by this raster (radiance-calibrated DMSP or VIIRS, same grid); without it the
                            DN ranks them and the result is "Pareto-adjusted", not Bluhm–Krause
Blooming (SEAM, Cao et al. 2019; whole raster in memory):
  --seam                    subtract b + a·R (R = Σ brighter neighbours / d²) fitted on pseudo-light pixels
  --seam-window <n>         odd neighbourhood edge in pixels (default 7 ≈ 3.5 km at 30″)
  --seam-region <n>         fit a, b per block of n pixels (paper: ~150 km moving windows); 0 = one fit (default)
  --seam-min-plp <n>        blocks with fewer PLPs use the global fit (default 30)
  --seam-no-smooth          skip the 3×3 mean;  --seam-renormalise  rescale to the input total (not in SEAM)
DMSP ↔ VIIRS harmonisation (fit on overlap years; Levenberg–Marquardt; writes a JSON fit):
  --harmonise --model loglinear|power|sigmoid   DN = a+b·ln x | a·x^b | a+b/(1+exp(−c(ln x−d)))
  --dmsp <file> --viirs <file>   pixel level: VIIRS area-weighted onto the DMSP grid (grids must nest)
  --sigma <px>              Gaussian smoothing of the aggregated VIIRS, in DMSP pixels (default 0 = none)
  --min-dn <x>              use only pixels with DMSP DN ≥ x (Li et al. 2020 advise DN > 7; default 0)
  --pairs <table> --x <col> --y <col>   district level: one row per district (e.g. ntl zonal outputs)
  --dmsp-like <fit.json>    apply a stored fit to --input (VIIRS): DN = f(x) for x > 0, 0 for x ≤ 0, clamp 63
Invariant-region inter-calibration (DN_ref = c0 + c1·DN + c2·DN², reference regressed on target):
  --fit-intercalibration --reference <file> --region <polygons> --region-id <field> [--min-dn 3] [--max-dn 62]
  --region-rule coverage|centre  coverage (default): cell > 50 % inside; centre: cell centre inside
Input:
  --nodata-as-zero          read the input's no-data value as 0 (dark): for products that store dark cells as
                            no-data (the 8-bit VIIRS-like copies), else SEAM and continuity cannot see dark pixels
Output:
  --out <file>              GeoTIFF (tiled 256×256, DEFLATE, no-data tag); for --report the base name
  --out-type <t>            float32 (default, no-data NaN), float64, uint8, int16, uint16, int32, or auto:
                            uint8 (no-data 255) / int16 (−32768) when every output is a whole number (e.g.
                            --saturation-mask, or the identity row F12 1999 of elvidge2014), else float32
  --out-nodata <x>          no-data value for integer output types (default 255 for uint8, else -1)
  --zlib-level <1-9>        DEFLATE level (default 1: on the China raster level 6 costs 2.7× the CPU for 2× smaller)
  --predictor 1|2|3         TIFF predictor (default 1 none; 2 integers, 3 floats — GDAL reads both)
  --threads <n>             decoder threads
`;

const FLAGS = {
  input: { type: 'string' }, satellite: { type: 'string' }, year: { type: 'string' }, table: { type: 'string' },
  clamp: { type: 'string' }, composite: { type: 'string' }, 'composite-satellite': { type: 'string' },
  'composite-rule': { type: 'string' }, 'viirs-denoise': { type: 'boolean' }, threshold: { type: 'string' },
  'dmsp-mask': { type: 'string' }, cap: { type: 'string' }, 'cap-percentile': { type: 'string' },
  monthly: { type: 'string' }, dates: { type: 'string' }, coverage: { type: 'string' }, report: { type: 'boolean' }, continuity: { type: 'string' }, 'nodata-as-zero': { type: 'boolean' },
  'lit-threshold': { type: 'string' }, out: { type: 'string' }, 'out-type': { type: 'string' }, 'out-nodata': { type: 'string' },
  threads: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  'saturation-mask': { type: 'boolean' }, 'saturation-threshold': { type: 'string' }, ndvi: { type: 'string' }, 'ntl-max': { type: 'string' },
  seam: { type: 'boolean' }, 'seam-window': { type: 'string' }, 'seam-region': { type: 'string' }, 'seam-min-plp': { type: 'string' },
  'seam-no-smooth': { type: 'boolean' }, 'seam-renormalise': { type: 'boolean' },
  harmonise: { type: 'boolean' }, model: { type: 'string' }, dmsp: { type: 'string' }, viirs: { type: 'string' }, sigma: { type: 'string' },
  'min-dn': { type: 'string' }, 'max-dn': { type: 'string' }, pairs: { type: 'string' }, x: { type: 'string' }, y: { type: 'string' },
  'dmsp-like': { type: 'string' }, 'fit-intercalibration': { type: 'boolean' }, reference: { type: 'string' }, region: { type: 'string' },
  'region-id': { type: 'string' }, 'region-rule': { type: 'string' }, 'cap-cores': { type: 'string' }, 'cores-id': { type: 'string' },
  'zlib-level': { type: 'string' }, predictor: { type: 'string' },
  pareto: { type: 'boolean' }, 'pareto-rank': { type: 'string' }, 'pareto-alpha': { type: 'string' }, 'pareto-lower': { type: 'string' }, 'pareto-upper': { type: 'string' },
} as const;

const OUT_TYPES: readonly WritableDtype[] = ['float32', 'float64', 'uint8', 'int16', 'uint16', 'int32'];

export async function calibrateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('calibrate', argv, FLAGS);
  if (values.help) {
    io.stdout(CALIBRATE_HELP);
    return 0;
  }
  const threads = optionalNumber('calibrate', values, 'threads', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
  const out = requireFlag('calibrate', values, 'out');
  guardCalibrateOutputs(values, positionals, out);
  if (values.report) {
    const inputs = positionals.map(parseSeriesArg);
    const lit = optionalNumber('calibrate', values, 'lit-threshold', () => true, 'a number') ?? 0;
    const rows = await writeContinuityReport(inputs, out.replace(/\.(csv|png)$/i, ''), lit, threads);
    for (const r of rows) if (r.flag.includes('break')) io.stderr(`ntl: warning: continuity break at ${r.year} (total ×${r.totalRatio?.toFixed(3)}, lit area ×${r.litAreaRatio?.toFixed(3)}): ${r.flag}\n`);
    return 0;
  }
  if (typeof values.continuity === 'string') return continuityMode(values.continuity, positionals, out, threads, io, !!values['nodata-as-zero']);
  if (positionals.length > 0) throw new NtlError(`ntl calibrate: unexpected argument "${positionals[0]}"; see \`ntl calibrate --help\``);
  const requested = values['out-type'] ?? 'float32';
  if (requested !== 'auto' && !OUT_TYPES.includes(requested as WritableDtype)) throw new NtlError(`ntl calibrate: --out-type must be auto or one of ${OUT_TYPES.join(', ')}, got "${String(values['out-type'])}"`);
  // 'auto' is resolved once the chain is known (integral outputs → uint8/int16); monthly composites are float
  let outType = (requested === 'auto' ? 'float32' : requested) as WritableDtype;
  let outNodata = outType.startsWith('float') ? NaN
    : optionalNumber('calibrate', values, 'out-nodata', Number.isFinite, 'a number') ?? (outType === 'uint8' ? 255 : -1);

  if (values.harmonise) return harmoniseMode(values, out, threads, io);
  if (values['fit-intercalibration']) return fitIntercalMode(values, out, threads, io);
  const level = optionalNumber('calibrate', values, 'zlib-level', (n) => Number.isInteger(n) && n >= 1 && n <= 9, 'a whole number 1–9') ?? 1;
  const predictor = (optionalNumber('calibrate', values, 'predictor', (n) => n === 1 || n === 2 || n === 3, '1, 2 or 3') ?? 1) as 1 | 2 | 3;
  const enc: Encoding = { level, predictor };
  if (typeof values.monthly === 'string') return monthlyToAnnual(values, out, outType, outNodata, threads, io, enc);

  const inputPath = requireFlag('calibrate', values, 'input');
  const steps: Record<string, unknown>[] = [];
  if (values['saturation-mask']) {
    steps.push({ step: 'saturation_mask', threshold: optionalNumber('calibrate', values, 'saturation-threshold', Number.isFinite, 'a number') ?? 63 });
  } else if (typeof values['dmsp-like'] === 'string') {
    const fitPath = values['dmsp-like'];
    let fit: { model?: unknown; params?: unknown };
    try {
      fit = JSON.parse(readFileSync(fitPath, 'utf8')) as typeof fit;
    } catch (e) {
      throw new NtlError(`${fitPath}: cannot read the harmonisation fit (${(e as Error).message.replace(/\s+/g, ' ')}); write one with ntl calibrate --harmonise`);
    }
    if (!(HARMONISE_MODELS as readonly unknown[]).includes(fit?.model)) {
      throw new NtlError(`${fitPath}: "model" is ${JSON.stringify(fit?.model ?? null)}, not one of ${HARMONISE_MODELS.join(', ')}; give the JSON that ntl calibrate --harmonise wrote`);
    }
    steps.push({ step: 'dmsp_like', model: fit.model, params: fit.params, clamp: optionalNumber('calibrate', values, 'clamp', (n) => n > 0, 'a number > 0') ?? 63 });
  } else if (values['viirs-denoise']) {
    const threshold = optionalNumber('calibrate', values, 'threshold', (n) => n >= 0, 'a radiance ≥ 0') ?? null;
    let cap = optionalNumber('calibrate', values, 'cap', (n) => n > 0, 'a radiance > 0') ?? null;
    const pct = optionalNumber('calibrate', values, 'cap-percentile', (n) => n > 0 && n <= 100, 'a percentile in (0, 100]');
    if (pct !== undefined) cap = await percentileOfPositive(inputPath, pct, threads);
    if (typeof values['cap-cores'] === 'string') {
      const v = await readWhole(inputPath, threads);
      const mask = await polygonMask(values['cap-cores'], requireFlag('calibrate', values, 'cores-id'), v.info, regionRule(values));
      const c = capFromCores(v.data, mask, v.info.nodata);
      cap = c.cap;
      io.stderr(`ntl: VIIRS cap ${c.cap} = maximum over ${c.cells} cells inside ${values['cap-cores']}\n`);
    }
    steps.push({ step: 'viirs_denoise', threshold, dmsp_mask: typeof values['dmsp-mask'] === 'string', cap });
  } else if (typeof values.satellite === 'string' || !(values.ndvi || values.seam || values.pareto)) {
    const satellite = requireFlag('calibrate', values, 'satellite');
    const year = optionalNumber('calibrate', values, 'year', Number.isInteger, 'a year such as 1992');
    if (year === undefined) throw new NtlError('ntl calibrate: --year is required with --satellite; see `ntl calibrate --help`');
    const clamp = optionalNumber('calibrate', values, 'clamp', (n) => n > 0, 'a number > 0') ?? null;
    const table = values.table ?? 'elvidge2014';
    if (!(TABLE_NAMES as readonly unknown[]).includes(table)) throw new NtlError(`ntl calibrate: --table must be one of ${TABLE_NAMES.join(', ')}, got "${String(table)}"`);
    steps.push({ step: 'intercalibrate', table, satellite, year, clamp });
    if (typeof values.composite === 'string') {
      const cs = values['composite-satellite'];
      if (typeof cs !== 'string') throw new NtlError('ntl calibrate: --composite needs --composite-satellite (the second image\'s satellite, e.g. F12)');
      steps.push({ step: 'composite', rule: values['composite-rule'] ?? 'liu', satellite: cs });
    }
  }
  if (typeof values.ndvi === 'string') {
    steps.push({ step: 'vanui', ntl_max: optionalNumber('calibrate', values, 'ntl-max', (n) => n > 0, 'a number > 0') ?? 63 });
  }
  if (values.pareto) {
    const num = (name: string, def: number) => optionalNumber('calibrate', values, name, (n) => n > 0, 'a number > 0') ?? def;
    steps.push({ step: 'pareto', alpha: num('pareto-alpha', 1.5), lower: num('pareto-lower', 55), upper: num('pareto-upper', 2000), rank_by_aux: typeof values['pareto-rank'] === 'string' });
  }
  if (values.seam) {
    const int = (name: string, min: number, def: number) => optionalNumber('calibrate', values, name, (n) => Number.isInteger(n) && n >= min, `a whole number ≥ ${min}`) ?? def;
    steps.push({ step: 'seam', window: int('seam-window', 3, 7), region: int('seam-region', 0, 0), min_plp: int('seam-min-plp', 3, 30), smooth: !values['seam-no-smooth'], renormalise: !!values['seam-renormalise'] });
  }
  const chain = buildCalibrateChain(steps, 'ntl calibrate');
  if (requested === 'auto') {
    const src = await openRaster(inputPath, { threads });
    const r = chain.integralRange(src.info.dtype, values['nodata-as-zero'] ? null : src.info.nodata);
    await src.close();
    if (r && r.min >= 0 && r.max <= 254) { outType = 'uint8'; outNodata = 255; }
    else if (r && r.min >= -32767 && r.max <= 32767) { outType = 'int16'; outNodata = -32768; }
    io.stderr(`ntl: --out-type auto: ${outType}${r ? ` (every output is a whole number in ${r.min}…${r.max})` : ' (outputs are not all whole numbers)'}\n`);
  }
  const auxPaths: Record<string, string> = {};
  if (chain.aux.includes('ndvi')) auxPaths.ndvi = values.ndvi as string;
  if (chain.aux.includes('pareto_rank')) auxPaths.pareto_rank = values['pareto-rank'] as string;
  if (chain.aux.includes('composite')) auxPaths.composite = values.composite as string;
  if (chain.aux.includes('dmsp_mask')) auxPaths.dmsp_mask = values['dmsp-mask'] as string;
  const auxRefs = Object.fromEntries(Object.entries(auxPaths).map(([k, path]) => [k, { path }]));
  const summary = await writeCalibratedRaster({ path: inputPath, nodataAsZero: !!values['nodata-as-zero'] }, auxRefs, chain, { path: out, dtype: outType, nodata: outNodata, ...enc }, threads);
  for (const line of describeSummary(summary)) io.stderr(`ntl: ${line}\n`);
  if (chain.counts.negatives || chain.counts.capped || chain.counts.background) {
    io.stderr(`ntl: VIIRS denoise: ${chain.counts.negatives} negative pixels set to 0, ${chain.counts.background} background pixels set to 0, ${chain.counts.capped} pixels capped\n`);
  }
  io.stderr(`ntl: wrote ${out} (${(chain.record as CalibrateStep[]).map((s) => s.step).join(' → ')})\n`);
  return 0;
}

interface Encoding { readonly level: number; readonly predictor: 1 | 2 | 3 }

/** Flags whose value is a file calibrate reads. */
const INPUT_FLAGS = ['input', 'composite', 'dmsp-mask', 'monthly', 'dates', 'coverage', 'ndvi', 'pareto-rank', 'dmsp', 'viirs', 'pairs', 'dmsp-like', 'reference', 'region', 'cap-cores'] as const;

/** Every mode's outputs (a raster, a JSON fit, the report's .csv + .png, the continuity folder) against every input. */
function guardCalibrateOutputs(values: Record<string, string | boolean | undefined>, positionals: readonly string[], out: string): void {
  const inputs = INPUT_FLAGS.map((f) => ({ flag: `--${f}`, path: typeof values[f] === 'string' ? (values[f] as string) : undefined }));
  const series = values.report || typeof values.continuity === 'string' ? positionals.map(parseSeriesArg) : [];
  inputs.push(...series.map((s) => ({ flag: `${s.year}${s.sensor !== 'series' ? `:${s.sensor}` : ''}=`, path: s.path })));
  let outputs: GuardOutput[];
  if (values.report) {
    const base = out.replace(/\.(csv|png)$/i, '');
    outputs = [{ flag: '--out', path: `${base}.csv` }, { flag: '--out', path: `${base}.png` }];
  } else if (typeof values.continuity === 'string') {
    outputs = [{ flag: '--out', path: out, folderFiles: series.map((s) => `${s.year}.tif`) }];
  } else {
    outputs = [{ flag: '--out', path: out, example: values.harmonise || values['fit-intercalibration'] ? 'fit.json' : 'calibrated.tif' }];
  }
  assertOutputsAreNotInputs('calibrate', outputs, inputs);
}

/** The p-th percentile (linear interpolation) of the positive valid values: one streaming pass over a histogram
 *  of float32 bit patterns would be exact; for simplicity we collect the positive values (VIIRS lit pixels are few). */
async function percentileOfPositive(path: string, p: number, threads?: number): Promise<number> {
  const src = await openRaster(path, { threads });
  const vals: number[] = [];
  try {
    for await (const b of src.bands()) {
      for (let i = 0; i < b.data.length; i++) {
        const v = b.data[i] as number;
        if (v > 0 && v !== src.info.nodata) vals.push(v);
      }
    }
  } finally {
    await src.close();
  }
  if (vals.length === 0) throw new NtlError(`${path}: no positive pixels, so --cap-percentile has nothing to rank; use --cap <radiance>`);
  const s = Float64Array.from(vals).sort();
  const h = (s.length - 1) * (p / 100);
  const lo = Math.floor(h);
  return (s[lo] as number) + (h - lo) * ((s[Math.ceil(h)] as number) - (s[lo] as number));
}

function parseSeriesArg(arg: string): SeriesInput {
  const m = /^(\d{4})(?::([^=]+))?=(.+)$/.exec(arg);
  if (!m) throw new NtlError(`ntl calibrate --report: "${arg}" is not YEAR=FILE or YEAR:SENSOR=FILE (e.g. 2013:viirs=v2013.tif)`);
  return { year: Number(m[1]), sensor: m[2] ?? 'series', path: m[3] as string };
}

/** band_dates.csv (band,days_since_1900_01_01,date) → the 1-based bands of one year, first band of a repeated date only. */
export function bandsOfYear(csv: string, year: number, file: string): { bands: number[]; duplicates: string[] } {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = (lines[0] ?? '').split(',');
  const bi = head.indexOf('band'), di = head.indexOf('date');
  if (bi < 0 || di < 0) throw new NtlError(`${file}: needs columns band and date (YYYY-MM-DD); found ${head.join(', ')}`);
  const seen = new Set<string>();
  const bands: number[] = [], duplicates: string[] = [];
  lines.slice(1).forEach((l, k) => {
    const c = l.split(',');
    const date = c[di] ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new NtlError(`${file}, row ${k + 2}: date "${date}" is not YYYY-MM-DD`);
    if (Number(date.slice(0, 4)) !== year) return;
    if (seen.has(date)) { duplicates.push(`${date} (band ${c[bi]})`); return; }
    seen.add(date);
    bands.push(Number(c[bi]));
  });
  return { bands, duplicates };
}

async function monthlyToAnnual(values: Record<string, string | boolean | undefined>, out: string, outType: WritableDtype, outNodata: number, threads: number | undefined, io: CommandIo, enc: Encoding): Promise<number> {
  const cube = values.monthly as string;
  const datesPath = requireFlag('calibrate', values, 'dates');
  const year = optionalNumber('calibrate', values, 'year', Number.isInteger, 'a year');
  if (year === undefined) throw new NtlError('ntl calibrate: --monthly needs --year');
  let csv: string;
  try {
    csv = readFileSync(datesPath, 'utf8');
  } catch {
    throw new NtlError(`${datesPath} cannot be read; give the band → date table (band,date) with --dates`);
  }
  const { bands, duplicates } = bandsOfYear(csv, year, datesPath);
  if (bands.length === 0) throw new NtlError(`${datesPath} lists no month of ${year}; pick a year the cube covers`);
  for (const d of duplicates) io.stderr(`ntl: warning: ${datesPath}: date ${d} repeats an earlier band; used once\n`);
  const coverage = typeof values.coverage === 'string' ? values.coverage : null;
  const first = await openRaster(cube, { band: bands[0], threads });
  const info = first.info;
  await first.close();
  const w = await GeoTiffWriter.create(out, { width: info.width, height: info.height, dtype: outType, geoTransform: info.geoTransform, crs: info.crs, nodata: outNodata, ...enc });
  try {
    for await (const slab of annualComposite(cube, coverage, bands, threads)) await w.writeRows(slab, slab.length / info.width);
    await w.finish();
  } catch (e) {
    await w.abort();
    throw e;
  }
  io.stderr(`ntl: wrote ${out}: ${year} from ${bands.length} months${coverage ? ', weighted by cloud-free coverage' : ''}\n`);
  return 0;
}

/** Stream every month band of the year (and its coverage band) row-aligned; yields the annual rows in order. */
export async function* annualComposite(cube: string, coverage: string | null, bands: readonly number[], threads?: number): AsyncGenerator<Float32Array> {
  const srcs: RasterSource[] = [];
  try {
    for (const b of bands) srcs.push(await openRaster(cube, { band: b, threads }));
    if (coverage) for (const b of bands) {
      const s = await openRaster(coverage, { band: b, threads });
      srcs.push(s);
      checkSameGrid(srcs[0]!.info, s.info, '--coverage');
    }
    const n = bands.length;
    for await (const slab of alignRows(srcs)) {
      const acc = new AnnualAccumulator(slab.rows * srcs[0]!.info.width);
      for (let k = 0; k < n; k++) {
        acc.add(slab.data[k]!, srcs[k]!.info.nodata, coverage ? slab.data[n + k] : undefined, coverage ? srcs[n + k]!.info.nodata : null);
      }
      yield acc.result();
    }
  } finally {
    for (const s of srcs) await s.close();
  }
}


type Flags = Record<string, string | boolean | undefined>;

function regionRule(values: Flags): RegionRule {
  const r = values['region-rule'] ?? 'coverage';
  if (r !== 'coverage' && r !== 'centre') throw new NtlError(`ntl calibrate: --region-rule must be coverage or centre, got "${String(r)}"`);
  return r;
}

/** Polygons → a mask on the raster's grid (reprojected to its CRS first). */
async function polygonMask(path: string, idField: string, info: Parameters<typeof regionMask>[1] & { crs: import('../geo/crs.js').CrsDef | null }, rule: RegionRule): Promise<Uint8Array> {
  let zones = await readZones(path, { idField });
  if (info.crs) zones = reprojectZones(zones, info.crs);
  return regionMask(zones.zones.map((z) => z.parts), info, rule);
}

async function harmoniseMode(values: Flags, out: string, threads: number | undefined, io: CommandIo): Promise<number> {
  const model = (values.model ?? 'loglinear') as HarmoniseModel;
  if (!HARMONISE_MODELS.includes(model)) throw new NtlError(`ntl calibrate --harmonise: --model must be one of ${HARMONISE_MODELS.join(', ')}, got "${String(values.model)}"`);
  let xs: number[] | Float32Array, ys: number[] | Float32Array;
  let level: Record<string, unknown>;
  if (typeof values.pairs === 'string') {
    const t = await readTable(values.pairs);
    const xc = requireFlag('calibrate', values, 'x'), yc = requireFlag('calibrate', values, 'y');
    xs = t.numbers(xc).map((v) => v ?? NaN);
    ys = t.numbers(yc).map((v) => v ?? NaN);
    level = { level: 'district', pairs: values.pairs, x: xc, y: yc };
  } else {
    const dmspPath = requireFlag('calibrate', values, 'dmsp'), viirsPath = requireFlag('calibrate', values, 'viirs');
    const sigma = optionalNumber('calibrate', values, 'sigma', (n) => n >= 0, 'a number ≥ 0 (DMSP pixels)') ?? 0;
    const minDn = optionalNumber('calibrate', values, 'min-dn', Number.isFinite, 'a number') ?? 0;
    const v = await openRaster(viirsPath, { threads });
    try {
      const d = await openRaster(dmspPath, { threads });
      try {
        const pairs = await pixelPairs(v, d, { sigma, minDn, dmsp255: true });
        xs = pairs.x;
        ys = pairs.y;
      } finally {
        await d.close();
      }
    } finally {
      await v.close();
    }
    level = { level: 'pixel', dmsp: dmspPath, viirs: viirsPath, aggregation: 'area-weighted mean onto the DMSP grid', sigma_pixels: sigma, min_dn: minDn };
  }
  const fit = fitHarmonisation(model, xs, ys);
  await writeFileAtomic(out, JSON.stringify({ ...fit, ...level }, null, 1) + '\n');
  io.stderr(`ntl: ${model} fit ${fit.formula}: ${Object.entries(fit.params).map(([k, p]) => `${k} = ${p.toPrecision(6)}`).join(', ')}; R² ${fit.r2.toFixed(4)}, RMSE ${fit.rmse.toPrecision(4)}, N ${fit.n}${fit.dropped ? ` (${fit.dropped} pairs dropped: VIIRS ≤ 0 or missing)` : ''}${fit.converged ? '' : '; WARNING: not converged'}\n`);
  return 0;
}

async function fitIntercalMode(values: Flags, out: string, threads: number | undefined, io: CommandIo): Promise<number> {
  const refPath = requireFlag('calibrate', values, 'reference'), tgtPath = requireFlag('calibrate', values, 'input');
  const ref = await readWhole(refPath, threads), tgt = await readWhole(tgtPath, threads);
  checkSameGrid(ref.info, tgt.info, '--input');
  const regionPath = requireFlag('calibrate', values, 'region');
  const mask = await polygonMask(regionPath, requireFlag('calibrate', values, 'region-id'), ref.info, regionRule(values));
  const minDn = optionalNumber('calibrate', values, 'min-dn', Number.isFinite, 'a number');
  const maxDn = optionalNumber('calibrate', values, 'max-dn', Number.isFinite, 'a number');
  const fit = fitIntercalibration(ref.data, tgt.data, mask, { refNodata: ref.info.nodata, targetNodata: tgt.info.nodata, ...(minDn !== undefined ? { minDn } : {}), ...(maxDn !== undefined ? { maxDn } : {}) });
  const record = { model: 'DN_ref = c0 + c1*DN + c2*DN^2 (reference regressed on target)', coefficients: { c0: fit.c0, c1: fit.c1, c2: fit.c2 }, r2: fit.r2, n: fit.n, reference: refPath, target: tgtPath, region: regionPath, region_rule: regionRule(values), min_dn: minDn ?? null, max_dn: maxDn ?? null };
  await writeFileAtomic(out, JSON.stringify(record, null, 1) + '\n');
  io.stderr(`ntl: inter-calibration fit over ${fit.n} cells: c0 ${fit.c0.toPrecision(6)}, c1 ${fit.c1.toPrecision(6)}, c2 ${fit.c2.toPrecision(6)}, R² ${fit.r2.toFixed(4)}\n`);
  return 0;
}

/** `--continuity VARIANT YEAR=FILE …`: the rule over every year, one float32 raster per year in the --out folder. */
async function continuityMode(variant: string, positionals: readonly string[], outDir: string, threads: number | undefined, io: CommandIo, zeroNodata: boolean): Promise<number> {
  if (variant !== 'sequential' && variant !== 'original') throw new NtlError(`ntl calibrate: --continuity must be sequential or original, got "${variant}"`);
  const inputs = positionals.map(parseSeriesArg).sort((a, b) => a.year - b.year);
  inputs.forEach((x, k) => {
    if (k > 0 && x.year === inputs[k - 1]!.year) throw new NtlError(`ntl calibrate --continuity: year ${x.year} is given twice; composite the two satellites first (--composite)`);
  });
  await mkdir(outDir, { recursive: true });
  const sources: RasterSource[] = [];
  try {
    for (const x of inputs) sources.push(await openRef({ path: x.path, nodataAsZero: zeroNodata }, threads));
    const counts = await writeContinuity(sources, variant, inputs.map((x) => ({ path: join(outDir, `${x.year}.tif`), dtype: 'float32', nodata: NaN, level: 1, predictor: 1 })));
    inputs.forEach((x, t) => {
      if (t > 0 && t < inputs.length - 1) io.stderr(`ntl: continuity ${x.year}: ${counts.zeroed[t]} pixels set to 0 (dark next year), ${counts.raised[t]} raised to the previous year\n`);
    });
  } finally {
    for (const src of sources) await src.close();
  }
  io.stderr(`ntl: wrote ${inputs.length} rasters to ${outDir} (continuity, ${variant})\n`);
  return 0;
}
