/**
 * The zonal traversal: stream the raster once, top to bottom, in the reader's row bands; for each band,
 * every zone whose rows intersect it gets its coverage for just those rows (small, dense) and feeds
 * (value, coverage, cell area) into its accumulator. Memory is bounded by band size × active zones.
 * Because coverage rows are computed independently and cells are fed in row-major order, results are
 * bitwise independent of the band height.
 */
import { NtlError } from '../errors.js';
import type { BandWindow, PixelArray, RasterSource, ReadHint, RowBand } from '../raster/types.js';
import type { Zone } from '../vector/types.js';
import { CoverageScratch, CoverageSpans, SegmentCursor, centreCoverageInto, exactCoverageSpans, spansFromDense } from './coverage.js';
import { commonGrid, preparePolygonCommon, type CommonAxis, type CommonGrid } from './common-grid.js';
import { cellAreaKm2, gridFromTransform, type CellWindow, type Grid } from './grid.js';
import { polygonWindow, preparePolygon, type PreparedPolygon } from './prepare.js';
import { WEIGHTED_STATS, WEIGHTS_ONLY_STATS } from './spec.js';
import { needsFor, WeightedAccumulator, ZoneAccumulator, type CellRules } from './stats.js';
import type { EmptyZones, ZonalOptions, ZonalResult, ZonalRow } from './types.js';

export { DEFAULT_STATS, parseStats } from './spec.js';

export interface EngineOptions extends ZonalOptions {
  /** true when the raster grid is in degrees (spherical cell areas); false = projected, metres. */
  readonly geographic: boolean;
  /** The polygon's own area in km² (e.g. src/vector's geodesicAreaKm2); needed only for `area_km2`. */
  readonly areaKm2?: (zone: Zone, index: number) => number | null;
  /**
   * A weighting raster (same CRS as the values, any north-up grid): weighted_sum / weighted_mean then weight by it
   * instead of by cell area, and weight_sum / per_weight become available. See common-grid.ts for the alignment.
   */
  readonly weights?: WeightsInput;
}

export interface WeightsInput {
  readonly source: RasterSource;
  /** Weight of cells with no weight (no-data, or outside the weighting raster); null = they empty the weighted statistics. */
  readonly defaultWeight: number | null;
}

interface ZoneTask {
  readonly index: number;
  readonly zone: Zone;
  /** The cells its polygon's bbox overlaps on the value grid (= preparePolygon(...).window). */
  readonly window: CellWindow;
  /** Prepared when the zone's first band arrives and dropped after its last, so memory follows the active zones. */
  poly: PreparedPolygon | null;
  /** The polygon on the common grid (weights on a grid that adds edges), else null. */
  readonly cpoly: PreparedPolygon | null;
  /** Value rows [row0, row1) the zone needs (both polygons). */
  readonly row0: number;
  readonly row1: number;
  /** Segments crossing the current band; created when the zone becomes active. */
  cursor: SegmentCursor | null;
  ccursor: SegmentCursor | null;
}

const MAX_IDS_IN_WARNING = 20;

function idList(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_IDS_IN_WARNING).join(', ');
  return ids.length > MAX_IDS_IN_WARNING ? `${shown}, … (${ids.length - MAX_IDS_IN_WARNING} more)` : shown;
}

/** Statistics of one raster band over the zones. */
export async function zonalStatistics(source: RasterSource, zones: readonly Zone[], opts: EngineOptions): Promise<ZonalResult> {
  return (await zonalStatisticsLayers([source], zones, opts))[0]!;
}

/**
 * Statistics of several bands on one grid (e.g. every band of a multi-band file) in one pass: the rasters are
 * streamed in lock-step and each zone's coverage of each row band is computed once and applied to every layer.
 * Each layer's accumulators see exactly the cells, in the order, of a single-layer run, so every layer's
 * result is bitwise that of `zonalStatistics` on that layer alone.
 */
export async function zonalStatisticsLayers(sources: readonly RasterSource[], zones: readonly Zone[], opts: EngineOptions): Promise<ZonalResult[]> {
  if (sources.length === 0) throw new NtlError('zonal statistics: no raster band to read (internal wiring: pass at least one source).');
  const info = sources[0]!.info;
  checkEngineOptions(opts);
  const grid = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
  for (const s of sources.slice(1)) {
    const g = gridFromTransform(s.info.geoTransform, s.info.width, s.info.height, s.info.path);
    if (g.xmin !== grid.xmin || g.ymax !== grid.ymax || g.dx !== grid.dx || g.dy !== grid.dy || g.nx !== grid.nx || g.ny !== grid.ny) {
      throw new NtlError(
        `${s.info.path} band ${s.info.band}: its grid differs from band ${info.band}'s; bands read together must share one grid (internal wiring).`,
      );
    }
  }
  const weighted = opts.weights !== undefined && opts.stats.some((s) => WEIGHTED_STATS.includes(s.name));
  const cg = weighted ? commonGrid(grid, weightsGrid(opts.weights!.source)) : null;
  const needs = needsFor(opts.stats, info.dtype);
  const layers = sources.map((src) => {
    const rules: CellRules = { nodata: src.info.nodata, nodataAsZero: opts.nodataAsZero, litThreshold: opts.litThreshold };
    return {
      rules,
      accs: zones.map(() => new ZoneAccumulator(needs, rules)),
      waccs: weighted
        ? zones.map(() => new WeightedAccumulator(rules, { nodata: opts.weights!.source.info.nodata, defaultWeight: opts.weights!.defaultWeight }))
        : null,
    };
  });

  const tasks: ZoneTask[] = [];
  const windows = zoneWindows(zones, grid);
  zones.forEach((z, index) => {
    const window = windows[index]!;
    const cpoly = cg && !cg.identity ? preparePolygonCommon(z.parts, cg, `zone "${z.id}"`) : null;
    let row0 = window.row0,
      row1 = window.row1;
    let nonEmpty = row0 < row1 && window.col0 < window.col1;
    if (cpoly && cpoly.window.row0 < cpoly.window.row1 && cpoly.window.col0 < cpoly.window.col1) {
      const r0 = cg!.y.vIdx[cpoly.window.row0]!,
        r1 = cg!.y.vIdx[cpoly.window.row1 - 1]! + 1;
      if (!nonEmpty) {
        row0 = r0;
        row1 = r1;
      } else {
        row0 = Math.min(row0, r0);
        row1 = Math.max(row1, r1);
      }
      nonEmpty = true;
    }
    if (nonEmpty) tasks.push({ index, zone: z, window, poly: null, cpoly, row0, row1, cursor: null, ccursor: null });
  });
  // Zones enter the active list in order of their first row (ties: input order).
  tasks.sort((a, b) => a.row0 - b.row0 || a.index - b.index);

  if (tasks.length > 0) await traverse(sources, grid, cg, tasks, layers, opts);

  return layers.map((layer) => {
    const rows: ZonalRow[] = zones.map((z, i) => {
      const values = layer.accs[i]!.finish(opts.stats, opts.areaKm2 ? opts.areaKm2(z, i) : null);
      if (layer.waccs) {
        const acc = layer.accs[i]!,
          w = layer.waccs[i]!;
        const sum = acc.isEmpty ? null : acc.sum;
        opts.stats.forEach((s, k) => {
          if (WEIGHTED_STATS.includes(s.name)) values[k] = acc.isEmpty ? null : w.value(s.name, sum);
        });
      }
      return { id: z.id, values };
    });
    const accs = layer.accs;
    const empty: EmptyZones = {
      noGeometry: zones.filter((z) => z.parts.length === 0).map((z) => z.id),
      outside: zones.filter((z, i) => z.parts.length > 0 && !accs[i]!.coversRaster).map((z) => z.id),
      nodataOnly: zones.filter((_, i) => accs[i]!.coversRaster && accs[i]!.isEmpty).map((z) => z.id),
    };
    const warnings = emptyZoneWarnings(empty);
    if (layer.waccs) {
      const lacking = zones.filter((_, i) => !layer.accs[i]!.isEmpty && layer.waccs![i]!.lacksWeights).map((z) => z.id);
      const withValues = zones.filter((_, i) => !layer.accs[i]!.isEmpty).length;
      // Not one weight under any zone: the weighting raster lies elsewhere (or is all no-data there) — a wrong
      // input, never a result of empty columns.
      if (withValues > 0 && zones.every((_, i) => layer.accs[i]!.isEmpty || !layer.waccs![i]!.sawWeight)) {
        const w = opts.weights!.source.info,
          [x0, dx, , y0, , dy] = w.geoTransform;
        const xs = [x0, x0 + dx * w.width].sort((a, b) => a - b),
          ys = [y0, y0 + dy * w.height].sort((a, b) => a - b);
        const f = (v: number) => String(Number(v.toPrecision(7)));
        throw new NtlError(
          `weighting raster ${w.path} gives no weight to any of the ${withValues} zone${withValues === 1 ? '' : 's'} with values: it spans x ${f(xs[0]!)}..${f(xs[1]!)}, y ${f(ys[0]!)}..${f(ys[1]!)} ` +
            `(in the raster's CRS) and is outside the zones or no-data under all of them; check that it is the weighting raster for this place, or pass --default-weight <w> (pipeline: default_weight) to weight such cells by w`,
        );
      }
      if (lacking.length > 0) {
        warnings.push(
          `${lacking.length} zone${lacking.length === 1 ? '' : 's'} cover cells with no weight (no-data in ${opts.weights!.source.info.path}, or outside it), so their weighted statistics are left empty ` +
            `(exactextract's rule without default_weight): ids ${idList(lacking)}; pass --default-weight 0 (pipeline: default_weight: 0) to count such cells with weight 0`,
        );
      }
    }
    return { columns: opts.stats.map((s) => s.column), rows, warnings, empty };
  });
}

/**
 * The warnings for empty rows. Zones without geometry are not listed: the boundary reader already names them
 * ("no geometry (null shape)"), and they are not outside the raster.
 */
export function emptyZoneWarnings(empty: EmptyZones): string[] {
  const out: string[] = [];
  const k = empty.outside.length,
    m = empty.nodataOnly.length;
  if (k > 0) out.push(`${k} zone${k === 1 ? ' lies' : 's lie'} outside the raster (no cell covered; statistics left empty): ids ${idList(empty.outside)}`);
  if (m > 0)
    out.push(`${m} zone${m === 1 ? ' covers' : 's cover'} only no-data cells (statistics left empty, nodata_count filled): ids ${idList(empty.nodataOnly)}`);
  return out;
}

/** Recognises the warnings of emptyZoneWarnings (the row-band merge replaces the per-band ones). */
export const EMPTY_ZONE_WARNING = /^\d+ zones? (lies? outside the raster|covers? only no-data cells) \(/;

/** The option checks every entry point makes before reading anything. */
export function checkEngineOptions(opts: EngineOptions): void {
  if (opts.stats.length === 0) throw new NtlError('zonal statistics: no statistics requested; pass e.g. --stats count,sum,mean.');
  if (opts.stats.some((s) => s.name === 'area_km2') && opts.areaKm2 === undefined) {
    throw new NtlError(
      'zonal statistics: area_km2 was requested but no polygon area function was supplied (internal wiring: pass areaKm2, e.g. geodesicAreaKm2 from src/vector).',
    );
  }
  if (!Number.isFinite(opts.litThreshold)) {
    throw new NtlError(`zonal statistics: the lit threshold ${opts.litThreshold} is not a finite number; pass e.g. --lit-threshold 0.`);
  }
  const needsWeights = opts.stats.filter((s) => WEIGHTS_ONLY_STATS.includes(s.name));
  if (needsWeights.length > 0 && !opts.weights) {
    throw new NtlError(
      `zonal statistics: ${needsWeights.map((s) => s.column).join(', ')} need${needsWeights.length === 1 ? 's' : ''} a weighting raster; pass --weights <raster> (e.g. a population grid), or drop ${needsWeights.length === 1 ? 'it' : 'them'} from --stats.`,
    );
  }
  if (opts.weights && opts.weights.defaultWeight !== null && !Number.isFinite(opts.weights.defaultWeight)) {
    throw new NtlError(`zonal statistics: the default weight ${opts.weights.defaultWeight} is not a finite number; pass e.g. --default-weight 0.`);
  }
}

/** Each zone's cell window on the grid, in input order (a bad coordinate fails here, on the first such zone). */
export function zoneWindows(zones: readonly Zone[], grid: Grid): CellWindow[] {
  return zones.map((z) => polygonWindow(z.parts, grid, `zone "${z.id}"`));
}

function weightsGrid(w: RasterSource): Grid {
  return gridFromTransform(w.info.geoTransform, w.info.width, w.info.height, w.info.path);
}

interface Layer {
  readonly accs: ZoneAccumulator[];
  readonly waccs: WeightedAccumulator[] | null;
}

/** Row bands of several same-grid sources, read in lock-step (their block layouts give the same bands). */
async function* lockstep(
  sources: readonly RasterSource[],
  window: BandWindow,
  hint: ReadHint,
): AsyncGenerator<{ row0: number; rows: number; col0: number; width: number; data: PixelArray[] }> {
  const its = sources.map((s) => s.bands(window, hint)[Symbol.asyncIterator]());
  try {
    for (;;) {
      const next = await Promise.all(its.map((it) => it.next()));
      const done = next.filter((n) => n.done).length;
      if (done === next.length) return;
      const first = next[0]!.value as RowBand | undefined;
      for (const [k, n] of next.entries()) {
        const b = n.value as RowBand | undefined;
        if (n.done || !first || b!.row0 !== first.row0 || b!.rows !== first.rows || b!.col0 !== first.col0 || b!.width !== first.width) {
          throw new NtlError(
            `${sources[k]!.info.path}: band ${sources[k]!.info.band} is stored in a different block layout from band ${sources[0]!.info.band}, so the bands cannot be read together; rewrite the file with one layout (gdal_translate -co TILED=YES in.tif out.tif).`,
          );
        }
      }
      yield { row0: first!.row0, rows: first!.rows, col0: first!.col0, width: first!.width, data: next.map((n) => (n.value as RowBand).data) };
    }
  } finally {
    await Promise.all(its.map((it) => it.return?.()));
  }
}

/** Rows of a streamed raster on demand, for row requests that never move upwards (the weighting raster). */
class RowStream {
  private readonly it: AsyncIterator<RowBand>;
  private held: RowBand[] = [];
  private done = false;
  constructor(source: RasterSource, window: BandWindow) {
    this.it = source.bands(window)[Symbol.asyncIterator]();
  }
  /** Hold rows [r0, r1) (those inside the window), dropping rows above r0. */
  async ensure(r0: number, r1: number): Promise<void> {
    this.held = this.held.filter((b) => b.row0 + b.rows > r0);
    while (!this.done) {
      const last = this.held[this.held.length - 1];
      if (last && last.row0 + last.rows >= r1) break;
      const n = await this.it.next();
      if (n.done) this.done = true;
      else if (n.value.row0 + n.value.rows > r0) this.held.push(n.value);
    }
  }
  /** The band holding row r, or null (row outside the window). */
  band(r: number): RowBand | null {
    for (const b of this.held) if (r >= b.row0 && r < b.row0 + b.rows) return b;
    return null;
  }
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

async function traverse(
  sources: readonly RasterSource[],
  grid: Grid,
  cg: CommonGrid | null,
  tasks: readonly ZoneTask[],
  layers: readonly Layer[],
  opts: EngineOptions,
): Promise<void> {
  let rowStart = Infinity,
    rowEnd = -Infinity,
    colStart = Infinity,
    colEnd = -Infinity;
  for (const t of tasks) {
    rowStart = Math.min(rowStart, t.row0);
    rowEnd = Math.max(rowEnd, t.row1);
    const w = t.window;
    if (w.col0 < w.col1) {
      colStart = Math.min(colStart, w.col0);
      colEnd = Math.max(colEnd, w.col1);
    }
    const c = t.cpoly?.window;
    if (c && c.col0 < c.col1) {
      colStart = Math.min(colStart, cg!.x.vIdx[c.col0]!);
      colEnd = Math.max(colEnd, cg!.x.vIdx[c.col1 - 1]! + 1);
    }
  }
  if (!(colStart < colEnd)) return;
  const scratch = new CoverageScratch();
  const spans = new CoverageSpans();
  const cspans = new CoverageSpans();
  let cov = new Float64Array(0);
  const centre = opts.rule === 'centre';
  let active: ZoneTask[] = [];
  let next = 0;

  // The weighting raster's rows and columns under the common cells of the value window.
  let wstream: RowStream | null = null;
  if (cg) {
    const wr = indexRange(cg.y, rowStart, rowEnd),
      wc = indexRange(cg.x, colStart, colEnd);
    if (wr && wc) wstream = new RowStream(opts.weights!.source, { rowStart: wr[0], rowEnd: wr[1], colStart: wc[0], colEnd: wc[1] });
  }
  const coverage = (poly: PreparedPolygon, sub: CellWindow, out: CoverageSpans, cursor: SegmentCursor | null) => {
    if (centre) {
      const need = (sub.row1 - sub.row0) * (sub.col1 - sub.col0);
      if (cov.length < need) cov = new Float64Array(Math.max(need, cov.length * 2));
      centreCoverageInto(poly, sub, cov, scratch);
      spansFromDense(cov, sub, out);
    } else {
      exactCoverageSpans(poly, sub, out, scratch, cursor);
    }
  };
  // cells: only the zones' windows are ever read (value cells under the common-grid polygon too), so a remote
  // raster fetches only the blocks they touch
  const cells: CellWindow[] = [];
  for (const t of tasks) {
    const w = t.window;
    if (w.row0 < w.row1 && w.col0 < w.col1) cells.push(w);
    const c = t.cpoly?.window;
    if (c && c.row0 < c.row1 && c.col0 < c.col1) {
      cells.push({ row0: cg!.y.vIdx[c.row0]!, row1: cg!.y.vIdx[c.row1 - 1]! + 1, col0: cg!.x.vIdx[c.col0]!, col1: cg!.x.vIdx[c.col1 - 1]! + 1 });
    }
  }

  try {
    for await (const band of lockstep(sources, { rowStart, rowEnd, colStart, colEnd }, { cells, reuseBuffers: true })) {
      const b0 = band.row0,
        b1 = band.row0 + band.rows;
      while (next < tasks.length && tasks[next]!.row0 < b1) active.push(tasks[next++]!);
      active = active.filter((t) => {
        if (t.row1 > b0) return true;
        t.cursor = null; // done: let its segment lists go
        t.ccursor = null;
        t.poly = null;
        return false;
      });
      if (active.length === 0) continue;
      const areas = new Float64Array(band.rows);
      for (let r = 0; r < band.rows; r++) areas[r] = cellAreaKm2(grid, b0 + r, opts.geographic);
      // Common rows of this band, and the weight rows under them.
      const cr0 = cg ? cg.y.vStart[b0]! : 0,
        cr1 = cg ? cg.y.vStart[b1]! : 0;
      if (wstream) {
        const wr = indexRange(cg!.y, b0, b1);
        if (wr) await wstream.ensure(wr[0], wr[1]);
      }

      for (const t of active) {
        const w = t.window;
        const rs = Math.max(w.row0, b0),
          re = Math.min(w.row1, b1);
        if (rs < re && w.col0 < w.col1) {
          if (w.col0 < band.col0 || w.col1 > band.col0 + band.width) {
            throw new NtlError(
              `${sources[0]!.info.path}: the raster reader returned columns ${band.col0}–${band.col0 + band.width} but columns ${w.col0}–${w.col1} were requested (reader bug; please report it).`,
            );
          }
          const poly = (t.poly ??= preparePolygon(t.zone.parts, grid, `zone "${t.zone.id}"`));
          const sub = { row0: rs, row1: re, col0: w.col0, col1: w.col1 };
          if (!centre) {
            t.cursor ??= new SegmentCursor(poly);
            t.cursor.advance(rs, re);
          }
          coverage(poly, sub, spans, t.cursor);
          for (let r = rs; r < re; r++) {
            const off = (r - b0) * band.width - band.col0;
            for (let l = 0; l < layers.length; l++) layers[l]!.accs[t.index]!.addSpans(band.data[l]!, off, spans, r - rs, areas[r - b0]!);
          }
          if (cg && cg.identity) addWeightedRows(cg, wstream, band, layers, t.index, spans, rs, re, rs);
        }
        if (cg && t.cpoly) {
          const c = t.cpoly.window;
          const crs = Math.max(c.row0, cr0),
            cre = Math.min(c.row1, cr1);
          if (crs >= cre || c.col0 >= c.col1) continue;
          const sub = { row0: crs, row1: cre, col0: c.col0, col1: c.col1 };
          if (!centre) {
            t.ccursor ??= new SegmentCursor(t.cpoly);
            t.ccursor.advance(crs, cre);
          }
          coverage(t.cpoly, sub, cspans, t.ccursor);
          addWeightedRows(cg, wstream, band, layers, t.index, cspans, crs, cre, crs);
        }
      }
    }
  } finally {
    await wstream?.close();
  }
}

/** Weight-raster indices [lo, hi) under the common cells of value cells [v0, v1) on one axis, or null if none. */
function indexRange(a: CommonAxis, v0: number, v1: number): [number, number] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (let j = a.vStart[v0]!, end = a.vStart[v1]!; j < end; j++) {
    const k = a.wIdx[j]!;
    if (k < 0) continue;
    if (k < lo) lo = k;
    if (k + 1 > hi) hi = k + 1;
  }
  return lo < hi ? [lo, hi] : null;
}

/** Feed common rows [r0, r1) of one zone (coverage runs `sp`, row rr = r − sp0) to its weighted accumulators. */
function addWeightedRows(
  cg: CommonGrid,
  ws: RowStream | null,
  band: { row0: number; width: number; col0: number; data: PixelArray[] },
  layers: readonly Layer[],
  zi: number,
  sp: CoverageSpans,
  r0: number,
  r1: number,
  sp0: number,
): void {
  for (let r = r0; r < r1; r++) {
    const vr = cg.y.vIdx[r]!,
      wr = cg.y.wIdx[r]!;
    const wb = ws && wr >= 0 ? ws.band(wr) : null;
    const wOff = wb ? (wr - wb.row0) * wb.width - wb.col0 : 0;
    const vOff = (vr - band.row0) * band.width - band.col0;
    for (let l = 0; l < layers.length; l++) {
      layers[l]!.waccs![zi]!.addRow(
        band.data[l]!,
        vOff,
        cg.x.vIdx,
        wb ? wb.data : null,
        wOff,
        cg.x.wIdx,
        cg.x.wFrac,
        cg.y.wFrac[r]!,
        cg.x.share,
        cg.y.share[r]!,
        sp,
        r - sp0,
      );
    }
  }
}
