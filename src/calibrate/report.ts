/** Continuity report files: per-year totals of a raster series (streamed), then CSV + PNG chart. */
import sharp from 'sharp';
import { NtlError } from '../errors.js';
import { csvText, type CsvCell } from '../output/csv.js';
import { writeFileAtomic } from '../output/atomic.js';
import { openRaster } from '../raster/index.js';
import type { RasterInfo } from '../raster/types.js';
import { continuityReport, type ContinuityRow, type YearTotals } from './diagnostics.js';
import { isMissing } from './types.js';

const R_KM = 6371.0072; // authalic radius: cell areas on the sphere of equal surface

/** Area (km²) of one cell in each row: spherical zone area for lon/lat grids, |Δx·Δy| for projected ones. */
export function rowCellAreasKm2(info: RasterInfo): Float64Array {
  const gt = info.geoTransform;
  const out = new Float64Array(info.height);
  const geographic = info.crs?.geographic ?? false;
  for (let r = 0; r < info.height; r++) {
    if (!geographic) out[r] = Math.abs(gt[1] * gt[5]) / 1e6;
    else {
      const lat1 = ((gt[3] + r * gt[5]) * Math.PI) / 180,
        lat2 = ((gt[3] + (r + 1) * gt[5]) * Math.PI) / 180;
      out[r] = R_KM * R_KM * Math.abs((gt[1] * Math.PI) / 180) * Math.abs(Math.sin(lat1) - Math.sin(lat2));
    }
  }
  return out;
}

export interface SeriesInput {
  readonly year: number;
  readonly sensor: string;
  readonly path: string;
}

/** Stream one raster: total of valid values, cells > litThreshold and their area. No-data counts as missing. */
export async function yearTotals(input: SeriesInput, litThreshold: number, threads?: number): Promise<YearTotals> {
  const src = await openRaster(input.path, { threads });
  const areas = rowCellAreasKm2(src.info);
  const nd = src.info.nodata;
  let total = 0,
    lit = 0,
    litArea = 0,
    valid = 0;
  try {
    for await (const b of src.bands()) {
      for (let r = 0; r < b.rows; r++) {
        const a = areas[b.row0 + r] as number;
        const base = r * b.width;
        for (let c = 0; c < b.width; c++) {
          const v = b.data[base + c] as number;
          if (isMissing(v, nd)) continue;
          valid++;
          total += v;
          if (v > litThreshold) {
            lit++;
            litArea += a;
          }
        }
      }
    }
  } finally {
    await src.close();
  }
  return { year: input.year, sensor: input.sensor, file: input.path, total, litCells: lit, litAreaKm2: litArea, validCells: valid };
}

const fmt = (x: number | null): CsvCell => (x === null ? null : Number.isFinite(x) ? x : null);

export function reportCsv(rows: readonly ContinuityRow[]): string {
  return csvText(
    ['year', 'sensor', 'file', 'total', 'valid_cells', 'lit_cells', 'lit_area_km2', 'total_ratio', 'lit_area_ratio', 'flag'],
    rows.map((r): CsvCell[] => [r.year, r.sensor, r.file, r.total, r.validCells, r.litCells, r.litAreaKm2, fmt(r.totalRatio), fmt(r.litAreaRatio), r.flag]),
  );
}

/** A small line chart of totals by year; flagged steps drawn in red. */
export function reportSvg(rows: readonly ContinuityRow[]): string {
  const W = 720,
    H = 360,
    L = 80,
    R = 20,
    T = 30,
    B = 50;
  const ys = rows.map((r) => r.year),
    vs = rows.map((r) => r.total);
  const x0 = Math.min(...ys),
    x1 = Math.max(...ys),
    vmax = Math.max(...vs, 1);
  const X = (y: number) => L + ((y - x0) / Math.max(1, x1 - x0)) * (W - L - R);
  const Y = (v: number) => H - B - (v / vmax) * (H - T - B);
  const seg = rows.slice(1).map((r, i) => {
    const p = rows[i] as ContinuityRow;
    const red = r.flag.includes('break');
    return `<line x1="${X(p.year)}" y1="${Y(p.total)}" x2="${X(r.year)}" y2="${Y(r.total)}" stroke="${red ? '#d62728' : '#1f77b4'}" stroke-width="${red ? 3 : 2}"/>`;
  });
  const dots = rows.map((r) => `<circle cx="${X(r.year)}" cy="${Y(r.total)}" r="3.5" fill="${r.flag.includes('break') ? '#d62728' : '#1f77b4'}"/>`);
  const ticks = rows.map((r) => `<text x="${X(r.year)}" y="${H - B + 18}" font-size="11" text-anchor="middle" font-family="sans-serif">${r.year}</text>`);
  const yt = [0, 0.5, 1].map(
    (f) => `<text x="${L - 6}" y="${Y(vmax * f) + 4}" font-size="11" text-anchor="end" font-family="sans-serif">${(vmax * f).toPrecision(3)}</text>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="white"/>` +
    `<text x="${L}" y="18" font-size="13" font-family="sans-serif">Total light by year (red: flagged break)</text>` +
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#444"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#444"/>` +
    seg.join('') +
    dots.join('') +
    ticks.join('') +
    yt.join('') +
    '</svg>'
  );
}

/** The base name of the report files for `--out` (a trailing .csv or .png is dropped): BASE.csv and BASE.png. */
export function reportBase(out: string): string {
  return out.replace(/\.(csv|png)$/i, '');
}

export async function writeContinuityReport(inputs: readonly SeriesInput[], outBase: string, litThreshold = 0, threads?: number): Promise<ContinuityRow[]> {
  if (inputs.length < 2) throw new NtlError('the continuity report needs at least two inputs (YEAR=FILE or YEAR:SENSOR=FILE)');
  const totals: YearTotals[] = [];
  for (const i of inputs) totals.push(await yearTotals(i, litThreshold, threads));
  const rows = continuityReport(totals);
  await writeFileAtomic(`${outBase}.csv`, reportCsv(rows));
  const png = await sharp(Buffer.from(reportSvg(rows)))
    .png({ compressionLevel: 9 })
    .toBuffer();
  await writeFileAtomic(`${outBase}.png`, png);
  return rows;
}
