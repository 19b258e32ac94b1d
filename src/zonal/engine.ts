/**
 * The zonal traversal: stream the raster once, top to bottom, in the reader's row bands; for each band,
 * every zone whose rows intersect it gets its coverage for just those rows (small, dense) and feeds
 * (value, coverage, cell area) into its accumulator. Memory is bounded by band size × active zones.
 * Because coverage rows are computed independently and cells are fed in row-major order, results are
 * bitwise independent of the band height.
 */
import { NtlError } from '../errors.js';
import type { RasterSource } from '../raster/types.js';
import type { Zone } from '../vector/types.js';
import { CoverageScratch, CoverageSpans, SegmentCursor, centreCoverageInto, exactCoverageSpans, spansFromDense } from './coverage.js';
import { cellAreaKm2, gridFromTransform, type Grid } from './grid.js';
import { preparePolygon, type PreparedPolygon } from './prepare.js';
import { needsFor, ZoneAccumulator, type CellRules } from './stats.js';
import type { ZonalOptions, ZonalResult, ZonalRow } from './types.js';

export { DEFAULT_STATS, parseStats } from './spec.js';

export interface EngineOptions extends ZonalOptions {
  /** true when the raster grid is in degrees (spherical cell areas); false = projected, metres. */
  readonly geographic: boolean;
  /** The polygon's own area in km² (e.g. src/vector's geodesicAreaKm2); needed only for `area_km2`. */
  readonly areaKm2?: (zone: Zone, index: number) => number | null;
}

interface ZoneTask {
  readonly index: number;
  readonly poly: PreparedPolygon;
  readonly acc: ZoneAccumulator;
  /** Segments crossing the current band; created when the zone becomes active. */
  cursor: SegmentCursor | null;
}

const MAX_IDS_IN_WARNING = 20;

export async function zonalStatistics(source: RasterSource, zones: readonly Zone[], opts: EngineOptions): Promise<ZonalResult> {
  const info = source.info;
  if (opts.stats.length === 0) throw new NtlError('zonal statistics: no statistics requested; pass e.g. --stats count,sum,mean.');
  if (opts.stats.some((s) => s.name === 'area_km2') && opts.areaKm2 === undefined) {
    throw new NtlError('zonal statistics: area_km2 was requested but no polygon area function was supplied (internal wiring: pass areaKm2, e.g. geodesicAreaKm2 from src/vector).');
  }
  if (!Number.isFinite(opts.litThreshold)) {
    throw new NtlError(`zonal statistics: the lit threshold ${opts.litThreshold} is not a finite number; pass e.g. --lit-threshold 0.`);
  }
  const grid = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
  const rules: CellRules = { nodata: info.nodata, nodataAsZero: opts.nodataAsZero, litThreshold: opts.litThreshold };
  const needs = needsFor(opts.stats, info.dtype);

  const accs = zones.map(() => new ZoneAccumulator(needs, rules));
  const tasks: ZoneTask[] = [];
  zones.forEach((z, index) => {
    const poly = preparePolygon(z.parts, grid, `zone "${z.id}"`);
    const w = poly.window;
    if (w.row0 < w.row1 && w.col0 < w.col1) tasks.push({ index, poly, acc: accs[index], cursor: null });
  });
  // Zones enter the active list in order of their first row (ties: input order).
  tasks.sort((a, b) => a.poly.window.row0 - b.poly.window.row0 || a.index - b.index);

  if (tasks.length > 0) await traverse(source, grid, tasks, opts);

  const rows: ZonalRow[] = zones.map((z, i) => ({
    id: z.id,
    values: accs[i].finish(opts.stats, opts.areaKm2 ? opts.areaKm2(z, i) : null),
  }));
  const emptyIds = zones.filter((_, i) => accs[i].isEmpty).map((z) => z.id);
  const warnings: string[] = [];
  if (emptyIds.length > 0) {
    const shown = emptyIds.slice(0, MAX_IDS_IN_WARNING).join(', ');
    const more = emptyIds.length > MAX_IDS_IN_WARNING ? `, … (${emptyIds.length - MAX_IDS_IN_WARNING} more)` : '';
    warnings.push(`${emptyIds.length} zone${emptyIds.length === 1 ? '' : 's'} lie outside the raster or have no valid cell (their statistics are left empty): ids ${shown}${more}`);
  }
  return { columns: opts.stats.map((s) => s.column), rows, warnings };
}

async function traverse(source: RasterSource, grid: Grid, tasks: readonly ZoneTask[], opts: EngineOptions): Promise<void> {
  let rowStart = Infinity, rowEnd = -Infinity, colStart = Infinity, colEnd = -Infinity;
  for (const t of tasks) {
    const w = t.poly.window;
    rowStart = Math.min(rowStart, w.row0); rowEnd = Math.max(rowEnd, w.row1);
    colStart = Math.min(colStart, w.col0); colEnd = Math.max(colEnd, w.col1);
  }
  const scratch = new CoverageScratch();
  const spans = new CoverageSpans();
  let cov = new Float64Array(0);
  const centre = opts.rule === 'centre';
  let active: ZoneTask[] = [];
  let next = 0;

  // cells: only the zones' windows are ever read, so a remote raster fetches only the blocks they touch
  const cells = tasks.map((t) => t.poly.window);
  for await (const band of source.bands({ rowStart, rowEnd, colStart, colEnd }, { cells })) {
    const b0 = band.row0, b1 = band.row0 + band.rows;
    while (next < tasks.length && tasks[next].poly.window.row0 < b1) active.push(tasks[next++]);
    active = active.filter((t) => {
      if (t.poly.window.row1 > b0) return true;
      t.cursor = null; // done: let its segment list go
      return false;
    });
    if (active.length === 0) continue;
    const areas = new Float64Array(band.rows);
    for (let r = 0; r < band.rows; r++) areas[r] = cellAreaKm2(grid, b0 + r, opts.geographic);

    for (const t of active) {
      const w = t.poly.window;
      const rs = Math.max(w.row0, b0), re = Math.min(w.row1, b1);
      if (rs >= re) continue;
      if (w.col0 < band.col0 || w.col1 > band.col0 + band.width) {
        throw new NtlError(`${source.info.path}: the raster reader returned columns ${band.col0}–${band.col0 + band.width} but columns ${w.col0}–${w.col1} were requested (reader bug; please report it).`);
      }
      const sub = { row0: rs, row1: re, col0: w.col0, col1: w.col1 };
      if (centre) {
        const need = (re - rs) * (w.col1 - w.col0);
        if (cov.length < need) cov = new Float64Array(Math.max(need, cov.length * 2));
        centreCoverageInto(t.poly, sub, cov, scratch);
        spansFromDense(cov, sub, spans);
      } else {
        t.cursor ??= new SegmentCursor(t.poly);
        t.cursor.advance(rs, re);
        exactCoverageSpans(t.poly, sub, spans, scratch, t.cursor);
      }
      for (let r = rs; r < re; r++) {
        t.acc.addSpans(band.data, (r - b0) * band.width - band.col0, spans, r - rs, areas[r - b0]);
      }
    }
  }
}
