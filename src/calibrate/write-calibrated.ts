/**
 * One calibrated raster written to disk: the chain's window steps stream band by band (with any auxiliary rasters
 * row-aligned), then SEAM and Pareto — streamed in strips / two passes; when both run, SEAM's output is streamed to
 * a temporary GeoTIFF that Pareto's passes read. Only a rank proxy that is NaN on a pixel ≥ L (no defined rank) makes
 * the whole grid come into memory. Shared by `ntl calibrate` and the pipeline's calibrate stage,
 * so both write the same bytes for the same steps.
 */
import { rm } from 'node:fs/promises';
import { tempSiblingPath } from '../output/atomic.js';
import { openRaster } from '../raster/index.js';
import { GeoTiffWriter, type WritableDtype } from '../raster/write-geotiff.js';
import type { RasterSource } from '../raster/types.js';
import { alignRows, checkSameGrid, type AlignedRows } from './align.js';
import type { CalibrateChain } from './chain.js';
import { paretoStream } from './pareto-stream.js';
import { paretoAdjust } from './saturation.js';
import { seamCorrect, type SeamResult } from './seam.js';
import { seamStream } from './seam-stream.js';
import { nodataAsZero } from './nodata-zero.js';
import type { CalWindow, StepContext } from './types.js';

/** A raster to read: path and 1-based band. */
export interface RasterRef {
  readonly path: string;
  readonly band?: number;
  /** Read the no-data value as 0 (dark): products that store dark cells as no-data (nodata-zero.ts). */
  readonly nodataAsZero?: boolean;
}

/** Open a RasterRef (band, no-data as zero). */
export async function openRef(ref: RasterRef, threads?: number): Promise<RasterSource> {
  const s = await openRaster(ref.path, { band: ref.band, threads });
  return ref.nodataAsZero ? nodataAsZero(s) : s;
}

export interface CalibratedOutput {
  readonly path: string;
  readonly dtype: WritableDtype;
  /** NaN for float outputs. */
  readonly nodata: number;
  /** DEFLATE level 1–9 and TIFF predictor. */
  readonly level: number;
  readonly predictor: 1 | 2 | 3;
}

/** What the whole-grid steps did, for logs and run.json. */
export interface CalibratedSummary {
  readonly seam: Omit<SeamResult, 'image'> | null;
  readonly pareto: { readonly alpha: number; readonly lower: number; readonly upper: number; readonly rankedBy: string } | null;
}

/**
 * Write `chain` applied to `input` (aux rasters by the chain's names: composite, dmsp_mask, ndvi, pareto_rank).
 * Grids must match exactly (checkSameGrid says by how much they do not). The chain's VIIRS counts hold the
 * counts of one pass over the raster when this returns.
 */
export async function writeCalibratedRaster(
  input: RasterRef,
  aux: Readonly<Record<string, RasterRef>>,
  chain: CalibrateChain,
  out: CalibratedOutput,
  threads?: number,
): Promise<CalibratedSummary> {
  const main = await openRef(input, threads);
  const names = Object.keys(aux);
  const auxSources: RasterSource[] = [];
  let writer: GeoTiffWriter | null = null;
  try {
    for (const n of names) {
      const ref = aux[n] as RasterRef;
      const s = await openRef(ref, threads);
      auxSources.push(s);
      checkSameGrid(main.info, s.info, `--${n.replace('_', '-')}`);
    }
    const info = main.info;
    const nodata = info.nodata;
    writer = await GeoTiffWriter.create(out.path, {
      width: info.width,
      height: info.height,
      dtype: out.dtype,
      geoTransform: info.geoTransform,
      crs: info.crs,
      nodata: out.nodata,
      level: out.level,
      predictor: out.predictor,
    });
    let buf: Float32Array | undefined;
    const rankIdx = names.indexOf('pareto_rank');
    const rankedBy = rankIdx >= 0 ? (aux.pareto_rank as RasterRef).path : 'DN (Pareto-adjusted, not Bluhm–Krause)';
    // the streamed SEAM / Pareto passes each re-read the inputs and re-run the window steps, whose VIIRS counts
    // are kept from the first pass only; the proxy rows come as float32 with its no-data as NaN
    let counts: typeof chain.counts | null = null;
    const open = async function* () {
      if (counts) Object.assign(chain.counts, counts);
      try {
        for await (const slab of alignRows([main, ...auxSources])) {
          const { band, ctx } = slabWindows(slab, info.width, nodata, names, auxSources);
          buf = chain.applyWindowSteps(band, ctx, buf);
          if (rankIdx < 0) {
            yield { data: buf, rows: slab.rows };
            continue;
          }
          yield { data: buf, rank: proxyRows(slab.data[rankIdx + 1]!, auxSources[rankIdx]!.info.nodata), rows: slab.rows };
        }
      } finally {
        if (!counts) counts = { ...chain.counts };
        else Object.assign(chain.counts, counts);
      }
    };
    const w = writer;
    const seamParams = chain.seam
      ? { window: chain.seam.window, region: chain.seam.region, minPlp: chain.seam.min_plp, smooth: chain.seam.smooth, renormalise: chain.seam.renormalise }
      : null;
    if (chain.pareto && !chain.seam) {
      // Pareto streams in two passes (exact counts per tie group); a NaN proxy on a pixel ≥ L falls back below
      const p = chain.pareto;
      if (await paretoStream(open, { alpha: p.alpha, lower: p.lower, upper: p.upper }, rankIdx >= 0, (rows, n) => w.writeRows(rows, n))) {
        await writer.finish();
        writer = null;
        return { seam: null, pareto: { alpha: p.alpha, lower: p.lower, upper: p.upper, rankedBy } };
      }
      counts = null; // nothing written yet: the whole-grid path below counts afresh
      Object.assign(chain.counts, { negatives: 0, background: 0, capped: 0 });
    }
    if (seamParams && !chain.pareto) {
      // SEAM streams in strips: pass 1 fits, pass 2 (3 with renormalise) corrects and writes
      const res = await seamStream(open, info.width, info.height, seamParams, (rows, n) => w.writeRows(rows, n));
      await writer.finish();
      writer = null;
      const { passes: _passes, ...seam } = res;
      return { seam, pareto: null };
    }
    if (seamParams && chain.pareto) {
      // SEAM then Pareto, both streamed: SEAM's output goes to a temporary float32 GeoTIFF beside the output, Pareto's
      // two passes read it (with the proxy rows), and the temporary file is removed — the same bits as the whole grid
      const p = chain.pareto;
      const tmp = `${tempSiblingPath(out.path)}.seam.tif`;
      let seam: CalibratedSummary['seam'] = null;
      let streamed = false;
      try {
        const tw = await GeoTiffWriter.create(tmp, {
          width: info.width,
          height: info.height,
          dtype: 'float32',
          geoTransform: info.geoTransform,
          crs: info.crs,
          nodata: NaN,
          level: 1,
        });
        try {
          const { passes: _passes, ...res } = await seamStream(open, info.width, info.height, seamParams, (rows, n) => tw.writeRows(rows, n));
          seam = res;
          await tw.finish();
        } catch (e) {
          await tw.abort();
          throw e;
        }
        const corrected = await openRaster(tmp, { threads });
        try {
          const rankSrc = rankIdx >= 0 ? auxSources[rankIdx]! : null;
          const open2 = async function* () {
            for await (const slab of alignRows(rankSrc ? [corrected, rankSrc] : [corrected])) {
              if (!rankSrc) {
                yield { data: slab.data[0]!, rows: slab.rows };
                continue;
              }
              yield { data: slab.data[0]!, rank: proxyRows(slab.data[1]!, rankSrc.info.nodata), rows: slab.rows };
            }
          };
          streamed = await paretoStream(open2, { alpha: p.alpha, lower: p.lower, upper: p.upper }, rankSrc !== null, (rows, n) => w.writeRows(rows, n));
        } finally {
          await corrected.close();
        }
      } finally {
        await rm(tmp, { force: true });
      }
      if (streamed) {
        await writer.finish();
        writer = null;
        return { seam, pareto: { alpha: p.alpha, lower: p.lower, upper: p.upper, rankedBy } };
      }
      counts = null; // a NaN proxy on a pixel ≥ L: nothing written yet, the whole-grid path below counts afresh
      Object.assign(chain.counts, { negatives: 0, background: 0, capped: 0 });
    }
    // A pointwise chain over uint8 is a 256-value table: the writer expands it tile by tile, skipping uniform tiles
    const lookup =
      !chain.seam && !chain.pareto && names.length === 0 && out.dtype === 'float32' && out.predictor === 1 ? chain.byteLookup(info.dtype, nodata) : null;
    if (lookup) {
      for await (const b of main.bands()) await writer.writeRowsLookup(b.data as Uint8Array, b.rows, lookup.table);
      await writer.finish();
      lookup.countHistogram(writer.rawHistogram);
      writer = null;
      return { seam: null, pareto: null };
    }
    // Pareto ranks need every pixel (a SEAM before it then runs on the whole grid): collect the window steps' output, correct, then write
    const whole = chain.seam || chain.pareto ? new Float32Array(info.width * info.height) : null;
    const rank = rankIdx >= 0 ? new Float32Array(info.width * info.height) : null;
    for await (const slab of alignRows([main, ...auxSources])) {
      const { band, ctx } = slabWindows(slab, info.width, nodata, names, auxSources);
      buf = chain.applyWindowSteps(band, ctx, buf); // the writer copies: reuse
      if (rank) rank.set(slab.data[rankIdx + 1]!, slab.row0 * info.width);
      if (whole) whole.set(buf, slab.row0 * info.width);
      else await writer.writeRows(buf, slab.rows);
    }
    let image: Float32Array | null = whole;
    let seam: CalibratedSummary['seam'] = null;
    if (whole && seamParams) {
      const { image: corrected, ...rest } = seamCorrect(whole, info.width, info.height, seamParams);
      image = corrected;
      seam = rest;
    }
    let pareto: CalibratedSummary['pareto'] = null;
    if (image && chain.pareto) {
      const p = chain.pareto;
      if (rank) {
        const nd = auxSources[rankIdx]!.info.nodata;
        for (let i = 0; i < rank.length; i++) if (nd !== null && rank[i] === nd) rank[i] = NaN;
      }
      image = Float32Array.from(paretoAdjust(image, { alpha: p.alpha, lower: p.lower, upper: p.upper }, rank ?? undefined));
      pareto = { alpha: p.alpha, lower: p.lower, upper: p.upper, rankedBy };
    }
    if (image) await writer.writeRows(image, info.height);
    await writer.finish();
    writer = null;
    return { seam, pareto };
  } finally {
    if (writer) await writer.abort();
    await main.close();
    for (const s of auxSources) await s.close();
  }
}

/** Pareto rank proxy rows as float32 with the proxy's no-data as NaN. */
function proxyRows(data: ArrayLike<number>, nodata: number | null): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Math.fround(data[i] as number);
    out[i] = nodata !== null && v === nodata ? NaN : v;
  }
  return out;
}

/** The SEAM / Pareto lines `ntl calibrate` prints (the pipeline records the same in run.json). */
export function describeSummary(s: CalibratedSummary): string[] {
  const lines: string[] = [];
  if (s.seam && s.seam.plpCount === 0) {
    lines.push(
      'warning: SEAM found no pseudo-light pixel (no lit pixel touches a dark one), so nothing was corrected; if the input stores dark cells as no-data (e.g. the 8-bit VIIRS-like product, no-data 0), read them as dark with --nodata-as-zero',
    );
  } else if (s.seam) {
    const g = s.seam.global;
    lines.push(
      `SEAM: ${s.seam.plpCount} pseudo-light pixels, global fit DN = ${g.b.toPrecision(6)} + ${g.a.toPrecision(6)}·R (R² ${g.r2.toFixed(3)}, N ${g.n})${s.seam.blocks.length ? `, ${s.seam.blocks.filter((b) => b.source === 'block').length} of ${s.seam.blocks.length} blocks fitted locally` : ''}; total ${s.seam.totalIn.toPrecision(8)} → ${s.seam.totalOut.toPrecision(8)}`,
    );
  }
  if (s.pareto) {
    const p = s.pareto;
    lines.push(`Pareto top-code: values ≥ ${p.lower} replaced by truncated-Pareto quantiles (α ${p.alpha}, H ${p.upper}), ranked by ${p.rankedBy}`);
  }
  return lines;
}

/** One aligned slab as the chain's main window plus its auxiliary windows (same rows) and their no-data values. */
export function slabWindows(
  slab: AlignedRows,
  width: number,
  nodata: number | null,
  names: readonly string[],
  aux: readonly RasterSource[],
): { band: CalWindow; ctx: StepContext } {
  const band: CalWindow = { data: slab.data[0]!, rows: slab.rows, width, row0: slab.row0, col0: 0 };
  const auxWin: Record<string, CalWindow> = {};
  const auxNd: Record<string, number | null> = {};
  names.forEach((n, k) => {
    auxWin[n] = { ...band, data: slab.data[k + 1]! };
    auxNd[n] = aux[k]!.info.nodata;
  });
  return { band, ctx: { nodata, aux: auxWin, auxNodata: auxNd } };
}
