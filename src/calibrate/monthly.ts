/**
 * Monthly → annual VIIRS composites: the months of one year from a multi-band cube (a band → date table says
 * which bands), averaged per pixel — weighted by a cloud-free coverage cube's counts when given — and streamed
 * row-aligned into one float GeoTIFF. Used by `ntl calibrate monthly`.
 */
import { readFileSync } from 'node:fs';
import { NtlError } from '../errors.js';
import { openRaster } from '../raster/index.js';
import type { RasterSource } from '../raster/types.js';
import { GeoTiffWriter } from '../raster/write-geotiff.js';
import { alignRows, checkSameGrid } from './align.js';
import { AnnualAccumulator } from './viirs.js';
import type { CalibratedOutput } from './write-calibrated.js';

/** band_dates.csv (band,days_since_1900_01_01,date) → the 1-based bands of one year, first band of a repeated date only. */
export function bandsOfYear(csv: string, year: number, file: string): { bands: number[]; duplicates: string[] } {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = (lines[0] ?? '').split(',');
  const bi = head.indexOf('band'),
    di = head.indexOf('date');
  if (bi < 0 || di < 0) throw new NtlError(`${file}: needs columns band and date (YYYY-MM-DD); found ${head.join(', ')}`);
  const seen = new Set<string>();
  const bands: number[] = [],
    duplicates: string[] = [];
  lines.slice(1).forEach((l, k) => {
    const c = l.split(',');
    const date = c[di] ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new NtlError(`${file}, row ${k + 2}: date "${date}" is not YYYY-MM-DD`);
    if (Number(date.slice(0, 4)) !== year) return;
    if (seen.has(date)) {
      duplicates.push(`${date} (band ${c[bi]})`);
      return;
    }
    seen.add(date);
    bands.push(Number(c[bi]));
  });
  return { bands, duplicates };
}

/** The bands of `year` listed in the band → date table at `datesPath`; an error when it cannot be read or lists none. */
export function annualBands(datesPath: string, year: number): { bands: number[]; duplicates: string[] } {
  let csv: string;
  try {
    csv = readFileSync(datesPath, 'utf8');
  } catch {
    throw new NtlError(`${datesPath} cannot be read; give the band → date table (band,date) with --dates`);
  }
  const r = bandsOfYear(csv, year, datesPath);
  if (r.bands.length === 0) throw new NtlError(`${datesPath} lists no month of ${year}; pick a year the cube covers`);
  return r;
}

/** Stream every month band of the year (and its coverage band) row-aligned; yields the annual rows in order. */
export async function* annualComposite(cube: string, coverage: string | null, bands: readonly number[], threads?: number): AsyncGenerator<Float32Array> {
  const srcs: RasterSource[] = [];
  try {
    for (const b of bands) srcs.push(await openRaster(cube, { band: b, threads }));
    if (coverage)
      for (const b of bands) {
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

/** Write the annual composite of `bands` of `cube` (weighted by `coverage` when not null) to `out`, atomically. */
export async function writeAnnualComposite(
  cube: string,
  coverage: string | null,
  bands: readonly number[],
  out: CalibratedOutput,
  threads?: number,
): Promise<void> {
  const first = await openRaster(cube, { band: bands[0], threads });
  const info = first.info;
  await first.close();
  const w = await GeoTiffWriter.create(out.path, {
    width: info.width,
    height: info.height,
    dtype: out.dtype,
    geoTransform: info.geoTransform,
    crs: info.crs,
    nodata: out.nodata,
    level: out.level,
    predictor: out.predictor,
  });
  try {
    for await (const slab of annualComposite(cube, coverage, bands, threads)) await w.writeRows(slab, slab.length / info.width);
    await w.finish();
  } catch (e) {
    await w.abort();
    throw e;
  }
}
