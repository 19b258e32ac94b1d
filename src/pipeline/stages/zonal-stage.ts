/**
 * Zonal stage: statistics of one panel period (one file, or the mean over several) over the prepared zones,
 * through the result cache.
 */
import { openRaster, type RasterSource } from '../../raster/index.js';
import { assertNotAllEmpty } from '../../jobs/empty-check.js';
import { type PreparedZones, rasterCrsOrFail, type ThreadSplit, zonalOnSource, type ZonalSettings } from '../../jobs/zonal-job.js';
import { isRemoteRaster } from '../../raster/byte-source.js';
import type { SplitLimits, ZonalWorkers } from '../../zonal/index.js';
import { openBlackMarble } from '../../raster/blackmarble/index.js';
import type { ZonalResult } from '../../zonal/types.js';
import { cacheKey, type ResultCache, ZONAL_CACHE_VERSION } from '../cache.js';
import { buildCalibrateChain } from '../../calibrate/chain.js';
import { calibratedSource } from './calibrate-stage.js';
import { nodataAsZero } from '../../calibrate/nodata-zero.js';
import type { PinnedFile, PlannedBoundaries, PlannedInput } from '../plan/types.js';
import type { PeriodValues } from '../../panel/assemble.js';
import { safeUrl } from '../../fetch/http.js';
import { remoteOptionsOf } from '../remote-inputs.js';

/** Statistics per zone for one series and period (rows in zone order), with the period's warnings. */
export interface PeriodStats extends PeriodValues {
  readonly warnings: readonly string[];
}

export interface ZonalStageContext {
  readonly zones: PreparedZones;
  readonly boundaries: PlannedBoundaries;
  readonly settings: ZonalSettings;
  readonly cache: ResultCache;
  readonly threads?: number;
  /**
   * Zone chunks on worker threads (the same numbers; not part of any key) for files read as they are from a local
   * GeoTIFF: the workers (kept for the whole stage) and the split limits (tests lower them).
   */
  readonly split?: { readonly threads: number; readonly workers: ZonalWorkers; readonly limits?: SplitLimits };
  /** Extra parts of the cache key (the runner's row-band layout). */
  readonly keyExtra?: unknown;
  /** Statistics of one opened input file (index `fileIndex` of the period); default zonalOnSource. The runner's
   *  row-band units + merge (src/pipeline/shard-*.ts) plug in here. */
  readonly zonalOfSource?: (source: RasterSource, file: PinnedFile, fileIndex: number) => Promise<ZonalResult>;
  /** Accept a file over which every unit is empty (`ntl panel --allow-empty`); default: stop the run. */
  readonly allowEmpty?: boolean;
  /** How the user can allow it, for the message (e.g. "pass --allow-empty"); null when they cannot. */
  readonly allowEmptyHint?: string | null;
}

/** Open one input file as the zonal stage reads it (shard workers open their files here too). */
export async function openInputSource(f: PinnedFile, ctx: { readonly threads?: number; readonly nodataAsZero?: boolean }): Promise<RasterSource> {
  const bm = f.blackmarble;
  const raw = bm
    ? await openBlackMarble(
        bm.tiles.map((t) => t.file),
        { layer: bm.layer, quality: bm.quality, snow: bm.snow },
      )
    : await openRaster(f.file, { band: f.band, threads: ctx.threads, remote: remoteOptionsOf(f) });
  const source = ctx.nodataAsZero ? nodataAsZero(raw) : raw;
  try {
    const chain = f.calibrate && f.calibrate.length > 0 ? buildCalibrateChain(f.calibrate, f.id) : null;
    return chain ? calibratedSource(source, chain) : source;
  } catch (e) {
    await source.close();
    throw e;
  }
}

/**
 * The thread split for one input file, or undefined: only a local GeoTIFF read as it is (no calibration, not a
 * Black Marble mosaic, not a URL), which the workers can open again by its path.
 */
export function splitFor(f: PinnedFile, ctx: Pick<ZonalStageContext, 'split'>): ThreadSplit | undefined {
  const s = ctx.split;
  if (!s || s.threads < 2 || f.blackmarble || (f.calibrate?.length ?? 0) > 0 || f.remote || isRemoteRaster(f.file)) return undefined;
  return s;
}

/** What makes a file's values: checksum, band, calibration steps and the rasters they read (cache keys); its weights. */
export function fileIdentity(f: PinnedFile): unknown[] {
  const id = (x: PinnedFile): unknown => (x.remote ? ['remote', safeUrl(x.file), x.size, x.sha256, x.remote.version ?? null] : x.sha256);
  return [
    id(f),
    f.band ?? 1,
    f.calibrate ?? [],
    ...(f.aux ? [Object.entries(f.aux).map(([k, a]) => [k, id(a), a.band ?? 1])] : []),
    ...(f.weights ? [{ weights: [id(f.weights.file), f.weights.file.band ?? 1, f.weights.defaultWeight] }] : []),
    ...(f.blackmarble
      ? [
          {
            bm: f.blackmarble.tiles.map((t) => t.sha256),
            layer: f.blackmarble.layer ?? null,
            quality: f.blackmarble.quality ?? null,
            snow: f.blackmarble.snow ?? null,
          },
        ]
      : []),
  ];
}

/** The zonal settings for one input file: the plan's, plus the file's weighting raster when its series has one. */
export function settingsForFile(settings: ZonalSettings, f: PinnedFile): ZonalSettings {
  if (!f.weights) return settings;
  const w = f.weights.file;
  // a remote weighting raster is opened under the same size / version checks as a remote value raster
  const remote = remoteOptionsOf(w);
  return { ...settings, weights: { path: w.file, band: w.band, defaultWeight: f.weights.defaultWeight, ...(remote ? { remote } : {}) } };
}

export function zonalCacheKey(input: PlannedInput, ctx: ZonalStageContext): string {
  const b = ctx.boundaries;
  return cacheKey({
    v: ZONAL_CACHE_VERSION,
    files: input.files.map(fileIdentity),
    combine: input.combine,
    zones: [b.file.sha256, ...b.companions.map((c) => c.sha256), b.idField, b.encoding ?? null, b.crs ?? null],
    stats: ctx.settings.stats.map((s) => s.column),
    rule: ctx.settings.rule,
    nodataAsZero: ctx.settings.nodataAsZero,
    litThreshold: ctx.settings.litThreshold,
    ...(ctx.keyExtra !== undefined ? { extra: ctx.keyExtra } : {}),
  });
}

export async function zonalForInput(series: string, input: PlannedInput, ctx: ZonalStageContext): Promise<{ stats: PeriodStats; cached: boolean }> {
  const key = zonalCacheKey(input, ctx);
  const hit = await ctx.cache.get<PeriodStats>('zonal', key);
  if (hit) return { stats: hit, cached: true };

  const perFile: { columns: readonly string[]; rows: (readonly [string, ...(number | null)[]])[]; warnings: readonly string[] }[] = [];
  const label = `${series} ${input.year}${input.month ? `-${String(input.month).padStart(2, '0')}` : ''}`;
  for (const [fi, f] of input.files.entries()) {
    const split = splitFor(f, ctx);
    // split: the workers decode for themselves, so this thread needs no decode pool (small files decode here)
    const source = await openInputSource(f, split ? { ...ctx, threads: 0 } : ctx);
    try {
      const r = ctx.zonalOfSource
        ? await ctx.zonalOfSource(source, f, fi)
        : await zonalOnSource(source, ctx.zones, settingsForFile(ctx.settings, f), undefined, split);
      if (!ctx.allowEmpty) {
        // A period where every unit is empty is a broken input (wrong place, CRS label or band), never a result.
        const crs = rasterCrsOrFail(source);
        assertNotAllEmpty({
          result: r,
          raster: source.info,
          rasterCrs: crs,
          zonesPath: ctx.boundaries.file.file,
          zonesCrs: ctx.zones.zoneSet.crs,
          zonesOwn: ctx.zones.zoneSet.zones,
          zonesInRaster: ctx.zones.inCrs(crs).zones,
          where: `series ${series}, ${input.month ? 'period' : 'year'} ${label.slice(series.length + 1)}, file ${f.file}`,
          allowHint: ctx.allowEmptyHint ?? null,
          nodataHint: 'set nodata_as_zero: true under zonal: in the pipeline',
        });
      }
      perFile.push({ columns: r.columns, rows: r.rows.map((row) => [row.id, ...row.values] as const), warnings: r.warnings });
    } finally {
      await source.close();
    }
  }
  const first = perFile[0]!;
  const rows = input.combine === 'mean' && perFile.length > 1 ? meanOfRows(perFile.map((p) => p.rows)) : first.rows;
  const stats: PeriodStats = {
    series,
    year: input.year,
    ...(input.month !== undefined ? { month: input.month } : {}),
    columns: first.columns,
    rows,
    warnings: perFile.flatMap((p) => p.warnings.map((w) => `${label}: ${w}`)),
  };
  await ctx.cache.put('zonal', key, stats);
  return { stats, cached: false };
}

/** Element-wise mean over files (same zones, same order); null when any file has no value. */
function meanOfRows(tables: (readonly [string, ...(number | null)[]])[][]): (readonly [string, ...(number | null)[]])[] {
  return tables[0]!.map((row, i) => {
    const values = row.slice(1).map((_, k) => {
      let sum = 0;
      for (const t of tables) {
        const v = t[i]![k + 1] as number | null;
        if (v === null) return null;
        sum += v;
      }
      return sum / tables.length;
    });
    return [row[0], ...values] as const;
  });
}
