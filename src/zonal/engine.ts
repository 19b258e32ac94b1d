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
import { cellAreaKm2, gridFromTransform, type CellWindow, type Grid } from './grid.js';
import { polygonWindow, preparePolygon, type PreparedPolygon } from './prepare.js';
import { needsFor, ZoneAccumulator, type CellRules } from './stats.js';
import type { EmptyZones, ZonalOptions, ZonalResult, ZonalRow } from './types.js';

export { DEFAULT_STATS, parseStats } from './spec.js';

export interface EngineOptions extends ZonalOptions {
  /** true when the raster grid is in degrees (spherical cell areas); false = projected, metres. */
  readonly geographic: boolean;
  /** The polygon's own area in km² (e.g. src/vector's geodesicAreaKm2); needed only for `area_km2`. */
  readonly areaKm2?: (zone: Zone, index: number) => number | null;
}

interface ZoneTask {
  readonly index: number;
  readonly zone: Zone;
  /** The cells its polygon's bbox overlaps (= preparePolygon(...).window). */
  readonly window: CellWindow;
  readonly acc: ZoneAccumulator;
  /** Prepared when the zone's first band arrives and dropped after its last, so memory follows the active zones. */
  poly: PreparedPolygon | null;
  /** Segments crossing the current band; created when the zone becomes active. */
  cursor: SegmentCursor | null;
}

const MAX_IDS_IN_WARNING = 20;

/** What a zone's accumulator says once the raster has been read (all a result row needs). */
export interface ZoneOutcome {
  readonly values: (number | null)[];
  readonly coversRaster: boolean;
  readonly isEmpty: boolean;
}

/** The option checks every entry point makes before reading anything. */
export function checkEngineOptions(opts: EngineOptions): void {
  if (opts.stats.length === 0) throw new NtlError('zonal statistics: no statistics requested; pass e.g. --stats count,sum,mean.');
  if (opts.stats.some((s) => s.name === 'area_km2') && opts.areaKm2 === undefined) {
    throw new NtlError('zonal statistics: area_km2 was requested but no polygon area function was supplied (internal wiring: pass areaKm2, e.g. geodesicAreaKm2 from src/vector).');
  }
  if (!Number.isFinite(opts.litThreshold)) {
    throw new NtlError(`zonal statistics: the lit threshold ${opts.litThreshold} is not a finite number; pass e.g. --lit-threshold 0.`);
  }
}

/** Each zone's cell window on the grid, in input order (a bad coordinate fails here, on the first such zone). */
export function zoneWindows(zones: readonly Zone[], grid: Grid): CellWindow[] {
  return zones.map((z) => polygonWindow(z.parts, grid, `zone "${z.id}"`));
}

export async function zonalStatistics(source: RasterSource, zones: readonly Zone[], opts: EngineOptions): Promise<ZonalResult> {
  checkEngineOptions(opts);
  const grid = gridFromTransform(source.info.geoTransform, source.info.width, source.info.height, source.info.path);
  const windows = zoneWindows(zones, grid);
  const outcomes = await zoneOutcomes(source, grid, zones, windows, opts, (_, i) => (opts.areaKm2 ? opts.areaKm2(zones[i], i) : null));
  return assembleResult(zones, outcomes, opts);
}

/**
 * Read the raster once for `zones` (with their windows from zoneWindows) and finish each zone's statistics;
 * `area(zone, i)` gives the area_km2 value. The worker threads of parallel.ts call this on their share of the zones:
 * a zone's cells are fed in the same order whichever zones it is read with, so its numbers are the same.
 */
export async function zoneOutcomes(
  source: RasterSource, grid: Grid, zones: readonly Zone[], windows: readonly CellWindow[], opts: EngineOptions,
  area: (zone: Zone, index: number) => number | null,
): Promise<ZoneOutcome[]> {
  const rules: CellRules = { nodata: source.info.nodata, nodataAsZero: opts.nodataAsZero, litThreshold: opts.litThreshold };
  const needs = needsFor(opts.stats, source.info.dtype);
  const accs = zones.map(() => new ZoneAccumulator(needs, rules));
  const tasks: ZoneTask[] = [];
  zones.forEach((zone, index) => {
    const w = windows[index];
    if (w.row0 < w.row1 && w.col0 < w.col1) tasks.push({ index, zone, window: w, acc: accs[index], poly: null, cursor: null });
  });
  // Zones enter the active list in order of their first row (ties: input order).
  tasks.sort((a, b) => a.window.row0 - b.window.row0 || a.index - b.index);

  if (tasks.length > 0) await traverse(source, grid, tasks, opts);
  return zones.map((z, i) => ({ values: accs[i].finish(opts.stats, area(z, i)), coversRaster: accs[i].coversRaster, isEmpty: accs[i].isEmpty }));
}

/** Rows, empty-zone lists and warnings from the zones' outcomes (in zone order). */
export function assembleResult(zones: readonly Zone[], outcomes: readonly ZoneOutcome[], opts: EngineOptions): ZonalResult {
  const rows: ZonalRow[] = zones.map((z, i) => ({ id: z.id, values: outcomes[i].values }));
  const empty: EmptyZones = {
    noGeometry: zones.filter((z) => z.parts.length === 0).map((z) => z.id),
    outside: zones.filter((z, i) => z.parts.length > 0 && !outcomes[i].coversRaster).map((z) => z.id),
    nodataOnly: zones.filter((_, i) => outcomes[i].coversRaster && outcomes[i].isEmpty).map((z) => z.id),
  };
  const warnings = emptyZoneWarnings(empty);
  return { columns: opts.stats.map((s) => s.column), rows, warnings, empty };
}

/**
 * The warnings for empty rows. Zones without geometry are not listed: the boundary reader already names them
 * ("no geometry (null shape)"), and they are not outside the raster.
 */
export function emptyZoneWarnings(empty: EmptyZones): string[] {
  const ids = (list: readonly string[]): string => {
    const shown = list.slice(0, MAX_IDS_IN_WARNING).join(', ');
    return list.length > MAX_IDS_IN_WARNING ? `${shown}, … (${list.length - MAX_IDS_IN_WARNING} more)` : shown;
  };
  const out: string[] = [];
  const k = empty.outside.length, m = empty.nodataOnly.length;
  if (k > 0) out.push(`${k} zone${k === 1 ? ' lies' : 's lie'} outside the raster (no cell covered; statistics left empty): ids ${ids(empty.outside)}`);
  if (m > 0) out.push(`${m} zone${m === 1 ? ' covers' : 's cover'} only no-data cells (statistics left empty, nodata_count filled): ids ${ids(empty.nodataOnly)}`);
  return out;
}

/** Recognises the warnings of emptyZoneWarnings (the row-band merge replaces the per-band ones). */
export const EMPTY_ZONE_WARNING = /^\d+ zones? (lies? outside the raster|covers? only no-data cells) \(/;

/**
 * The columns zones need in rows [row0, row1), as sorted disjoint [c0, c1) pairs: the reader leaves other blocks
 * undecoded (a world grid is mostly ocean between the zones).
 */
function neededColumns(tasks: readonly ZoneTask[]): (row0: number, row1: number) => number[] {
  return (row0, row1) => {
    const iv: CellWindow[] = [];
    for (const t of tasks) {
      if (t.window.row0 >= row1) break; // sorted by first row
      if (t.window.row1 > row0) iv.push(t.window);
    }
    iv.sort((a, b) => a.col0 - b.col0);
    const out: number[] = [];
    for (const w of iv) {
      const n = out.length;
      if (n > 0 && w.col0 <= out[n - 1]) out[n - 1] = Math.max(out[n - 1], w.col1);
      else out.push(w.col0, w.col1);
    }
    return out;
  };
}

async function traverse(source: RasterSource, grid: Grid, tasks: readonly ZoneTask[], opts: EngineOptions): Promise<void> {
  let rowStart = Infinity, rowEnd = -Infinity, colStart = Infinity, colEnd = -Infinity;
  for (const t of tasks) {
    const w = t.window;
    rowStart = Math.min(rowStart, w.row0); rowEnd = Math.max(rowEnd, w.row1);
    colStart = Math.min(colStart, w.col0); colEnd = Math.max(colEnd, w.col1);
  }
  const scratch = new CoverageScratch();
  const spans = new CoverageSpans();
  let cov = new Float64Array(0);
  const centre = opts.rule === 'centre';
  let active: ZoneTask[] = [];
  let next = 0;

  const window = { rowStart, rowEnd, colStart, colEnd, needed: neededColumns(tasks), reuseBuffers: true };
  for await (const band of source.bands(window)) {
    const b0 = band.row0, b1 = band.row0 + band.rows;
    while (next < tasks.length && tasks[next].window.row0 < b1) active.push(tasks[next++]);
    active = active.filter((t) => {
      if (t.window.row1 > b0) return true;
      t.cursor = null; // done: let its segments go
      t.poly = null;
      return false;
    });
    if (active.length === 0) continue;
    const areas = new Float64Array(band.rows);
    for (let r = 0; r < band.rows; r++) areas[r] = cellAreaKm2(grid, b0 + r, opts.geographic);

    for (const t of active) {
      const w = t.window;
      const rs = Math.max(w.row0, b0), re = Math.min(w.row1, b1);
      if (rs >= re) continue;
      if (w.col0 < band.col0 || w.col1 > band.col0 + band.width) {
        throw new NtlError(`${source.info.path}: the raster reader returned columns ${band.col0}–${band.col0 + band.width} but columns ${w.col0}–${w.col1} were requested (reader bug; please report it).`);
      }
      const poly = (t.poly ??= preparePolygon(t.zone.parts, grid, `zone "${t.zone.id}"`));
      const sub = { row0: rs, row1: re, col0: w.col0, col1: w.col1 };
      if (centre) {
        const need = (re - rs) * (w.col1 - w.col0);
        if (cov.length < need) cov = new Float64Array(Math.max(need, cov.length * 2));
        centreCoverageInto(poly, sub, cov, scratch);
        spansFromDense(cov, sub, spans);
      } else {
        t.cursor ??= new SegmentCursor(poly);
        t.cursor.advance(rs, re);
        exactCoverageSpans(poly, sub, spans, scratch, t.cursor);
      }
      for (let r = rs; r < re; r++) {
        t.acc.addSpans(band.data, (r - b0) * band.width - band.col0, spans, r - rs, areas[r - b0]);
      }
    }
  }
}
