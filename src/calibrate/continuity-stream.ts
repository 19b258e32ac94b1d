/**
 * The inter-annual continuity rule (composite.ts) over whole rasters: every year's raster streams row-aligned,
 * each slab of all years is corrected together, and each year's output is written as it goes (memory: one slab
 * per year). The years must share one grid exactly (checkSameGrid names the shift, e.g. Wu's 2019 → 2020).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GeoTiffWriter } from '../raster/write-geotiff.js';
import type { RasterSource } from '../raster/types.js';
import { NtlError } from '../errors.js';
import { alignRows, checkSameGrid } from './align.js';
import { continuityInPlace, type ContinuityVariant } from './composite.js';
import { openRef, type CalibratedOutput } from './write-calibrated.js';

export interface ContinuityCounts {
  /** Pixels set to 0 because the next year is dark, per year (first and last are never changed). */
  readonly zeroed: number[];
  /** Pixels raised to the previous year's value, per year. */
  readonly raised: number[];
}

/** `sources` in increasing year order, opened by the caller (closed by the caller too); one output per source. */
export async function writeContinuity(
  sources: readonly RasterSource[],
  variant: ContinuityVariant,
  outs: readonly CalibratedOutput[],
): Promise<ContinuityCounts> {
  if (sources.length !== outs.length) throw new NtlError('internal: continuity needs one output per year');
  if (sources.length < 3)
    throw new NtlError(`the continuity rule changes the years between the first and the last, so it needs at least 3 years (got ${sources.length})`);
  const first = sources[0]!.info;
  sources.slice(1).forEach((s, k) => checkSameGrid(first, s.info, `continuity year ${k + 2}`));
  const writers: GeoTiffWriter[] = [];
  const zeroed = sources.map(() => 0),
    raised = sources.map(() => 0);
  try {
    for (const o of outs) {
      writers.push(
        await GeoTiffWriter.create(o.path, {
          width: first.width,
          height: first.height,
          dtype: o.dtype,
          geoTransform: first.geoTransform,
          crs: first.crs,
          nodata: o.nodata,
          level: o.level,
          predictor: o.predictor,
        }),
      );
    }
    for await (const slab of alignRows(sources)) {
      const years = slab.data.map((d, k) => {
        const nd = sources[k]!.info.nodata;
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) {
          const v = d[i] as number;
          out[i] = nd !== null && v === nd ? NaN : v;
        }
        return out;
      });
      const c = continuityInPlace(years, variant);
      for (let t = 0; t < years.length; t++) {
        zeroed[t]! += c.zeroed[t]!;
        raised[t]! += c.raised[t]!;
        await writers[t]!.writeRows(years[t]!, slab.rows);
      }
    }
    for (const w of writers.splice(0)) await w.finish();
  } finally {
    for (const w of writers) await w.abort();
  }
  return { zeroed, raised };
}

/** One year of a series: its raster. */
export interface YearFile {
  readonly year: number;
  readonly path: string;
}

/**
 * The continuity rule over every year of `inputs` (any order; one raster per year), written as float32 GeoTIFFs
 * `YEAR.tif` in `outDir` (created). `nodataAsZero` reads each input's no-data as dark. Returns the years in order,
 * their output paths and the counts per year.
 */
export async function writeContinuityFolder(
  inputs: readonly YearFile[],
  variant: ContinuityVariant,
  outDir: string,
  opts: { readonly nodataAsZero?: boolean; readonly threads?: number } = {},
): Promise<{ years: number[]; paths: string[]; counts: ContinuityCounts }> {
  const ordered = [...inputs].sort((a, b) => a.year - b.year);
  ordered.forEach((x, k) => {
    if (k > 0 && x.year === ordered[k - 1]!.year)
      throw new NtlError(`continuity: year ${x.year} is given twice; composite the two satellites first (ntl calibrate composite)`);
  });
  await mkdir(outDir, { recursive: true });
  const paths = ordered.map((x) => join(outDir, `${x.year}.tif`));
  const sources: RasterSource[] = [];
  try {
    for (const x of ordered) sources.push(await openRef({ path: x.path, nodataAsZero: !!opts.nodataAsZero }, opts.threads));
    const counts = await writeContinuity(
      sources,
      variant,
      paths.map((path) => ({ path, dtype: 'float32', nodata: NaN, level: 1, predictor: 1 })),
    );
    return { years: ordered.map((x) => x.year), paths, counts };
  } finally {
    for (const src of sources) await src.close();
  }
}
