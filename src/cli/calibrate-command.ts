/**
 * `ntl calibrate`: DMSP inter-calibration (+ same-year composite), VIIRS denoising, monthly → annual
 * composites, and the continuity report. Rasters stream band by band into a tiled DEFLATE GeoTIFF.
 */
import { readFileSync } from 'node:fs';
import { NtlError } from '../errors.js';
import { openRaster } from '../raster/index.js';
import { GeoTiffWriter, type WritableDtype } from '../raster/write-geotiff.js';
import type { RasterSource } from '../raster/types.js';
import { alignRows, checkSameGrid } from '../calibrate/align.js';
import { buildCalibrateChain, type CalibrateStep } from '../calibrate/chain.js';
import { AnnualAccumulator } from '../calibrate/viirs.js';
import { writeContinuityReport, type SeriesInput } from '../calibrate/report.js';
import { optionalNumber, parseFlags, requireFlag } from './args.js';
import type { CommandIo } from './zonal-command.js';

export const CALIBRATE_HELP = `ntl calibrate — calibrate DMSP-OLS / NPP-VIIRS night lights into one continuous series

Usage:
  ntl calibrate --input F101992.tif --satellite F10 --year 1992 [--table elvidge2014] [--clamp 63] --out out.tif
  ntl calibrate --input F141999.tif --satellite F14 --year 1999 --composite F121999.tif --composite-satellite F12 --out 1999.tif
  ntl calibrate --viirs-denoise --input viirs2013.tif [--threshold 0.3] [--dmsp-mask F182013.tif] [--cap 300 | --cap-percentile 99.99] --out out.tif
  ntl calibrate --monthly cube.tif --dates band_dates.csv --year 2013 [--coverage cloudfree.tif] --out viirs2013.tif
  ntl calibrate --report 2012=a.tif 2013:viirs=b.tif … --out report   (writes report.csv + report.png)

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
  --monthly <file> --dates <csv> --year <yyyy> [--coverage <file>]   mean of the year's months, weighted by the
                            coverage file's cloud-free counts (same bands); duplicate dates are used once
Output:
  --out <file>              GeoTIFF (tiled 256×256, DEFLATE, no-data tag); for --report the base name
  --out-type <t>            float32 (default, no-data NaN), float64, uint8, int16, uint16, int32
  --out-nodata <x>          no-data value for integer output types (default 255 for uint8, else -1)
  --threads <n>             decoder threads
`;

const FLAGS = {
  input: { type: 'string' }, satellite: { type: 'string' }, year: { type: 'string' }, table: { type: 'string' },
  clamp: { type: 'string' }, composite: { type: 'string' }, 'composite-satellite': { type: 'string' },
  'composite-rule': { type: 'string' }, 'viirs-denoise': { type: 'boolean' }, threshold: { type: 'string' },
  'dmsp-mask': { type: 'string' }, cap: { type: 'string' }, 'cap-percentile': { type: 'string' },
  monthly: { type: 'string' }, dates: { type: 'string' }, coverage: { type: 'string' }, report: { type: 'boolean' },
  'lit-threshold': { type: 'string' }, out: { type: 'string' }, 'out-type': { type: 'string' }, 'out-nodata': { type: 'string' },
  threads: { type: 'string' }, help: { type: 'boolean', short: 'h' },
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
  if (values.report) {
    const inputs = positionals.map(parseSeriesArg);
    const lit = optionalNumber('calibrate', values, 'lit-threshold', () => true, 'a number') ?? 0;
    const rows = await writeContinuityReport(inputs, out.replace(/\.(csv|png)$/i, ''), lit, threads);
    for (const r of rows) if (r.flag.includes('break')) io.stderr(`ntl: warning: continuity break at ${r.year} (total ×${r.totalRatio?.toFixed(3)}, lit area ×${r.litAreaRatio?.toFixed(3)}): ${r.flag}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl calibrate: unexpected argument "${positionals[0]}"; see \`ntl calibrate --help\``);
  const outType = (values['out-type'] ?? 'float32') as WritableDtype;
  if (!OUT_TYPES.includes(outType)) throw new NtlError(`ntl calibrate: --out-type must be one of ${OUT_TYPES.join(', ')}, got "${String(values['out-type'])}"`);
  const outNodata = outType.startsWith('float') ? NaN
    : optionalNumber('calibrate', values, 'out-nodata', Number.isFinite, 'a number') ?? (outType === 'uint8' ? 255 : -1);

  if (typeof values.monthly === 'string') return monthlyToAnnual(values, out, outType, outNodata, threads, io);

  const inputPath = requireFlag('calibrate', values, 'input');
  const steps: Record<string, unknown>[] = [];
  if (values['viirs-denoise']) {
    const threshold = optionalNumber('calibrate', values, 'threshold', (n) => n >= 0, 'a radiance ≥ 0') ?? null;
    let cap = optionalNumber('calibrate', values, 'cap', (n) => n > 0, 'a radiance > 0') ?? null;
    const pct = optionalNumber('calibrate', values, 'cap-percentile', (n) => n > 0 && n <= 100, 'a percentile in (0, 100]');
    if (pct !== undefined) cap = await percentileOfPositive(inputPath, pct, threads);
    steps.push({ step: 'viirs_denoise', threshold, dmsp_mask: typeof values['dmsp-mask'] === 'string', cap });
  } else {
    const satellite = requireFlag('calibrate', values, 'satellite');
    const year = optionalNumber('calibrate', values, 'year', Number.isInteger, 'a year such as 1992');
    if (year === undefined) throw new NtlError('ntl calibrate: --year is required with --satellite; see `ntl calibrate --help`');
    const clamp = optionalNumber('calibrate', values, 'clamp', (n) => n > 0, 'a number > 0') ?? null;
    steps.push({ step: 'intercalibrate', table: values.table ?? 'elvidge2014', satellite, year, clamp });
    if (typeof values.composite === 'string') {
      const cs = values['composite-satellite'];
      if (typeof cs !== 'string') throw new NtlError('ntl calibrate: --composite needs --composite-satellite (the second image\'s satellite, e.g. F12)');
      steps.push({ step: 'composite', rule: values['composite-rule'] ?? 'liu', satellite: cs });
    }
  }
  const chain = buildCalibrateChain(steps, 'ntl calibrate');
  const auxPaths: Record<string, string> = {};
  if (chain.aux.includes('composite')) auxPaths.composite = values.composite as string;
  if (chain.aux.includes('dmsp_mask')) auxPaths.dmsp_mask = values['dmsp-mask'] as string;
  await runChain(inputPath, auxPaths, chain, out, outType, outNodata, threads);
  if (chain.counts.negatives || chain.counts.capped || chain.counts.background) {
    io.stderr(`ntl: VIIRS denoise: ${chain.counts.negatives} negative pixels set to 0, ${chain.counts.background} background pixels set to 0, ${chain.counts.capped} pixels capped\n`);
  }
  io.stderr(`ntl: wrote ${out} (${(chain.record as CalibrateStep[]).map((s) => s.step).join(' → ')})\n`);
  return 0;
}

async function runChain(inputPath: string, auxPaths: Record<string, string>, chain: ReturnType<typeof buildCalibrateChain>, out: string, outType: WritableDtype, outNodata: number, threads?: number): Promise<void> {
  const main = await openRaster(inputPath, { threads });
  const names = Object.keys(auxPaths);
  const aux: RasterSource[] = [];
  let writer: GeoTiffWriter | null = null;
  try {
    for (const n of names) {
      const s = await openRaster(auxPaths[n] as string, { threads });
      aux.push(s);
      checkSameGrid(main.info, s.info, `--${n.replace('_', '-')}`);
    }
    const info = main.info;
    const nodata = info.nodata;
    writer = await GeoTiffWriter.create(out, { width: info.width, height: info.height, dtype: outType, geoTransform: info.geoTransform, crs: info.crs, nodata: outNodata });
    let buf: Float32Array | undefined;
    for await (const slab of alignRows([main, ...aux])) {
      const band = { data: slab.data[0]!, rows: slab.rows, width: info.width, row0: slab.row0, col0: 0 };
      const auxWin: Record<string, typeof band> = {};
      const auxNd: Record<string, number | null> = {};
      names.forEach((n, k) => {
        auxWin[n] = { ...band, data: slab.data[k + 1]! };
        auxNd[n] = aux[k]!.info.nodata;
      });
      buf = chain.apply(band, { nodata, aux: auxWin, auxNodata: auxNd }, buf); // the writer copies: reuse
      await writer.writeRows(buf, slab.rows);
    }
    await writer.finish();
    writer = null;
  } finally {
    if (writer) await writer.abort();
    await main.close();
    for (const s of aux) await s.close();
  }
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

async function monthlyToAnnual(values: Record<string, string | boolean | undefined>, out: string, outType: WritableDtype, outNodata: number, threads: number | undefined, io: CommandIo): Promise<number> {
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
  const w = await GeoTiffWriter.create(out, { width: info.width, height: info.height, dtype: outType, geoTransform: info.geoTransform, crs: info.crs, nodata: outNodata });
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

