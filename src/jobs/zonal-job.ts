/**
 * Zonal statistics as library calls. `runZonalJob` is one raster × one boundary file (what `ntl zonal`
 * does); `zonalOnSource` is the reusable core the pipeline runner calls for every year with zones read once.
 */
import { NtlError } from '../errors.js';
import { crsFromUserString } from '../geo/index.js';
import { sameCrs, type CrsDef } from '../geo/crs.js';
import { readTable } from '../panel/read-table.js';
import { openRaster, openRasterBands } from '../raster/index.js';
import type { RasterSource } from '../raster/types.js';
import type { RowRange } from '../raster/row-clip.js';
import type { RemoteOptions } from '../raster/http-source.js';
import { geodesicAreaKm2, readZones, reprojectZones } from '../vector/index.js';
import type { Zone, ZoneSet } from '../vector/types.js';
import { existsSync } from 'node:fs';
import { PARALLEL_MIN_CELLS, type SplitLimits, WEIGHTED_STATS, ZonalWorkers, zonalStatisticsLayers, zonalStatisticsParallel } from '../zonal/index.js';
import { defaultThreads } from '../raster/pool.js';
import { isRemoteRaster } from '../raster/byte-source.js';
import { assertNotAllEmpty } from './empty-check.js';
import type { WeightsSetting, ZonalResult, ZonalSettings } from '../zonal/types.js';
import { isHdf5Name, type BlackMarbleOptions } from '../raster/blackmarble/index.js';
import { expandRasterList, isBlackMarbleList, openRasterInput } from './raster-input.js';

export type { WeightsSetting, ZonalSettings } from '../zonal/types.js';

export interface ZonalJobInput extends ZonalSettings {
  /** A GeoTIFF path or an http(s) URL of one (read in place with range requests), or Black Marble .h5 tiles of one date as a comma list / glob (src/jobs/raster-input.ts). */
  readonly rasterPath: string;
  /** Layer, snow and quality options for Black Marble tiles. */
  readonly blackmarble?: BlackMarbleOptions;
  readonly zonesPath: string;
  readonly idField: string;
  /** 1-based band, or 'all': every band in one pass, long output (ZonalJobResult.bands). */
  readonly band?: number | 'all';
  /** CSV with columns band and date naming each band's date (with band 'all'). */
  readonly bandDates?: string;
  readonly threads?: number;
  /** Text encoding of the DBF when it has no .cpg (e.g. "gbk"). */
  readonly encoding?: string;
  /** CRS of the zones when they carry none (shapefile without .prj), e.g. "EPSG:4326". */
  readonly zonesCrs?: string;
  /** CRS of the raster when its GeoKeys carry none. */
  readonly rasterCrs?: string;
  /** Accept a result where every zone is empty (no zone touches the raster, or only no-data); default: error. */
  readonly allowEmpty?: boolean;
  /** How an http(s) rasterPath is read (token, retries, --download-if-no-range); its warnings join the result's. */
  readonly remote?: RemoteOptions;
}

export interface ZonalJobResult extends ZonalResult {
  readonly idField: string;
  /** With band 'all': each band's number, date (when known) and result, in band order; `rows` is then empty. */
  readonly bands?: readonly { readonly band: number; readonly date: string | null; readonly result: ZonalResult }[];
}

/**
 * Zones prepared once for many rasters: polygon areas in the zones' own CRS (independent of any raster
 * grid) and reprojected copies per raster CRS.
 */
export class PreparedZones {
  private readonly reprojected = new Map<string, ZoneSet>();
  private areas: Map<string, number> | null = null;
  constructor(readonly zoneSet: ZoneSet) {}

  inCrs(crs: CrsDef): ZoneSet {
    let set = this.reprojected.get(crs.proj4);
    if (!set) {
      set = reprojectZones(this.zoneSet, crs);
      this.reprojected.set(crs.proj4, set);
    }
    return set;
  }

  areaKm2(id: string): number | null {
    if (!this.areas) {
      this.areas = new Map();
      // A zone without geometry has no area (empty, like its other statistics), not 0 km².
      for (const z of this.zoneSet.zones) if (z.parts.length > 0) this.areas.set(z.id, geodesicAreaKm2(z.parts, this.zoneSet.crs));
    }
    return this.areas.get(id) ?? null;
  }
}

export function rasterCrsOrFail(source: RasterSource, override?: string): CrsDef {
  const crs = source.info.crs ?? (override ? crsFromUserString(override) : null);
  if (!crs) {
    throw new NtlError(`${source.info.path} has a geotransform but no coordinate system (no GeoKeys); pass --raster-crs EPSG:4326 (or the right CRS)`);
  }
  return crs;
}

/**
 * Zones split over worker threads (zonalStatisticsParallel: same numbers) that open `source.info.path` again: pass it
 * only for a source that is that local file as is (not a wrapper that changes pixels, not a URL or a Black Marble
 * mosaic); `rows`: the source is that file clipped to these rows (rowClippedSource), and so are the workers' reads.
 */
export interface ThreadSplit {
  readonly threads: number;
  /** Workers started beforehand (the caller closes them). */
  readonly workers?: ZonalWorkers;
  readonly limits?: SplitLimits;
  readonly rows?: RowRange;
}

/** Statistics of one open raster over prepared zones; with `split` (threads ≥ 2) on worker threads. */
export async function zonalOnSource(
  source: RasterSource,
  zones: PreparedZones,
  settings: ZonalSettings,
  rasterCrsOverride?: string,
  split?: ThreadSplit,
): Promise<ZonalResult> {
  return (await zonalOnSources([source], zones, settings, rasterCrsOverride, split))[0]!;
}

/**
 * Statistics of several bands on one grid (one pass, coverage computed once per zone and row band) over prepared
 * zones; the weighting raster of `settings.weights`, if any, is opened here and must be in the rasters' CRS.
 */
export async function zonalOnSources(
  sources: readonly RasterSource[],
  zones: PreparedZones,
  settings: ZonalSettings,
  rasterCrsOverride?: string,
  split?: ThreadSplit,
): Promise<ZonalResult[]> {
  const crs = rasterCrsOrFail(sources[0]!, rasterCrsOverride);
  const wantsArea = settings.stats.some((s) => s.name === 'area_km2');
  const w = settings.weights && settings.stats.some((s) => WEIGHTED_STATS.includes(s.name)) ? settings.weights : undefined;
  const weights = w ? await openWeights(w, crs, sources[0]!.info.path) : null;
  try {
    const opts = {
      stats: settings.stats,
      rule: settings.rule,
      nodataAsZero: settings.nodataAsZero,
      litThreshold: settings.litThreshold,
      geographic: crs.geographic,
      areaKm2: wantsArea ? (zone: Zone) => zones.areaKm2(zone.id) : undefined,
      ...(weights ? { weights: { source: weights, defaultWeight: w!.defaultWeight } } : {}),
    };
    // Zone groups on worker threads only for one band without weights (parallel.ts says why)
    const results =
      split && split.threads >= 2 && sources.length === 1 && !weights
        ? [await zonalStatisticsParallel(sources[0]!, zones.inCrs(crs).zones, opts, split.threads, split)]
        : await zonalStatisticsLayers(sources, zones.inCrs(crs).zones, opts);
    // what a reader noticed while opening (e.g. a Black Marble tile placed by its name) comes first
    return results.map((r, i) => (sources[i]!.warnings?.length ? { ...r, warnings: [...sources[i]!.warnings!, ...r.warnings] } : r));
  } finally {
    await weights?.close();
  }
}

/** Open the weighting raster; it must be in the value raster's CRS (no reprojection of a weight grid: that would resample it). */
async function openWeights(w: WeightsSetting, crs: CrsDef, rasterPath: string): Promise<RasterSource> {
  const source = await openRaster(w.path, { band: w.band, remote: w.remote });
  try {
    const wcrs = source.info.crs ?? (w.crs ? crsFromUserString(w.crs) : null);
    if (!wcrs) {
      throw new NtlError(
        `weighting raster ${w.path} has a geotransform but no coordinate system (no GeoKeys); pass --weights-crs ${crs.epsg !== null ? `EPSG:${crs.epsg}` : '<crs>'} (or the right CRS)`,
      );
    }
    if (!sameCrs(wcrs, crs)) {
      throw new NtlError(
        `weighting raster ${w.path} is in ${wcrs.label}, but ${rasterPath} is in ${crs.label}; weights are matched cell by cell on the common grid of both rasters, ` +
          `so they must share a CRS. Warp the weights onto the value raster's CRS first, keeping totals for counts (gdalwarp -t_srs <value CRS> -r sum pop.tif pop_warped.tif), or use a weighting raster made in that CRS.`,
      );
    }
    return source;
  } catch (e) {
    await source.close();
    throw e;
  }
}

/** band,date CSV → date per band (text as written). */
async function readBandDates(path: string, bandCount: number): Promise<Map<number, string>> {
  const t = await readTable(path);
  for (const c of ['band', 'date']) {
    if (!t.has(c))
      throw new NtlError(
        `--band-dates ${path}: no column "${c}"; the file needs columns band (1-based band number) and date (e.g. 2012-04-01), found ${t.names.join(', ')}`,
      );
  }
  const bands = t.numbers('band'),
    dates = t.text('date');
  const out = new Map<number, string>();
  bands.forEach((b, r) => {
    if (b === null || !Number.isInteger(b) || b < 1 || b > bandCount) {
      throw new NtlError(`--band-dates ${path} ${t.rowLabel(r)}: band ${b ?? '(empty)'} is not a band of the raster (1..${bandCount})`);
    }
    if (out.has(b)) throw new NtlError(`--band-dates ${path} ${t.rowLabel(r)}: band ${b} is listed twice`);
    const d = dates[r];
    if (d === null || d === undefined) throw new NtlError(`--band-dates ${path} ${t.rowLabel(r)}: band ${b} has no date`);
    out.set(b, d);
  });
  const missing = Array.from({ length: bandCount }, (_, i) => i + 1).filter((b) => !out.has(b));
  if (missing.length > 0)
    throw new NtlError(
      `--band-dates ${path} gives no date for band${missing.length === 1 ? '' : 's'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${bandCount}; list every band`,
    );
  return out;
}

/** Band descriptions as dates, when every band has one that reads as a date (2012, 2012-04, 2012-04-01, 201204). */
function datesFromDescriptions(sources: readonly RasterSource[]): Map<number, string> | null {
  const isDate = (d: string | undefined) => d !== undefined && /^\d{4}(-?\d{2}(-?\d{2})?)?$/.test(d);
  if (!sources.every((s) => isDate(s.info.description))) return null;
  return new Map(sources.map((s) => [s.info.band, s.info.description!]));
}

export async function runZonalJob(input: ZonalJobInput): Promise<ZonalJobResult> {
  if (input.bandDates !== undefined && input.band !== 'all') {
    throw new NtlError('--band-dates names the date of every band, so it needs --band all');
  }
  const rasterWarnings: string[] = [];
  const remote: RemoteOptions = { ...input.remote, onWarning: (w) => (rasterWarnings.push(w), input.remote?.onWarning?.(w)) };
  const files = await expandRasterList(input.rasterPath);
  // Two or more threads on one band of a local GeoTIFF without weights: zone groups on worker threads that decode
  // for themselves, so this thread needs no decode pool of its own (small jobs then decode here; they are quick).
  const threads = Math.max(0, Math.floor(input.threads ?? defaultThreads()));
  const weighted = input.weights !== undefined && input.stats.some((s) => WEIGHTED_STATS.includes(s.name));
  const split =
    threads >= 2 && input.band !== 'all' && !weighted && files.length === 1 && !isRemoteRaster(files[0]!) && !isHdf5Name(files[0]!) && existsSync(files[0]!);
  const sources =
    input.band === 'all'
      ? await openAllBands(files, input, remote)
      : [await openRasterInput(files, { band: input.band, threads: split ? 0 : input.threads, blackmarble: input.blackmarble, remote })];
  let workers: ZonalWorkers | undefined;
  try {
    if (input.rasterCrs !== undefined && sources[0]!.info.crs !== null && sources[0]!.info.compression === 'hdf5') {
      throw new NtlError('--raster-crs does not apply to Black Marble tiles: they are EPSG:4326 by definition; leave it out');
    }
    const info = sources[0]!.info;
    rasterCrsOrFail(sources[0]!, input.rasterCrs); // fail on the raster before spending time on the zones
    const dates =
      input.bandDates !== undefined ? await readBandDates(input.bandDates, info.bandCount) : input.band === 'all' ? datesFromDescriptions(sources) : null;
    // A raster large enough to be split: start the workers now, so they boot while the zones are read.
    if (split && info.width * info.height >= PARALLEL_MIN_CELLS) workers = new ZonalWorkers(threads);
    // zonal reads no attribute but the id: only that field is decoded and its text judged for the encoding
    const zoneSet = await readZones(input.zonesPath, { idField: input.idField, encoding: input.encoding, crs: input.zonesCrs, fields: [] });
    const zones = new PreparedZones(zoneSet);
    // a weighting raster at a URL is read in place with the same options as the value raster (warnings collected alike)
    const settings = input.weights ? { ...input, weights: { remote, ...input.weights } } : input;
    const results = await zonalOnSources(sources, zones, settings, input.rasterCrs, split ? { threads, workers } : undefined);
    if (!input.allowEmpty) {
      const crs = rasterCrsOrFail(sources[0]!, input.rasterCrs);
      results.forEach((result, i) =>
        assertNotAllEmpty({
          result,
          raster: sources[i]!.info,
          rasterCrs: crs,
          zonesPath: input.zonesPath,
          zonesCrs: zoneSet.crs,
          zonesOwn: zoneSet.zones,
          zonesInRaster: zones.inCrs(crs).zones,
          where: input.band === 'all' ? `band ${sources[i]!.info.band}` : '',
          allowHint: 'pass --allow-empty',
        }),
      );
    }
    if (input.band !== 'all') {
      const r = results[0]!;
      return { ...r, idField: input.idField, warnings: [...rasterWarnings, ...zoneSet.warnings, ...r.warnings] };
    }
    // One warning per distinct text, naming the bands it applies to when not all.
    const byText = new Map<string, number[]>();
    results.forEach((r, i) => r.warnings.forEach((w) => byText.set(w, [...(byText.get(w) ?? []), sources[i]!.info.band])));
    const warnings = [...byText].map(([w, bands]) => (bands.length === results.length ? w : `band${bands.length === 1 ? '' : 's'} ${bands.join(', ')}: ${w}`));
    return {
      columns: results[0]!.columns,
      rows: [],
      idField: input.idField,
      warnings: [...rasterWarnings, ...zoneSet.warnings, ...warnings],
      bands: results.map((result, i) => ({ band: sources[i]!.info.band, date: dates?.get(sources[i]!.info.band) ?? null, result })),
    };
  } finally {
    await workers?.close();
    for (const s of sources) await s.close();
  }
}

/** --band all: every band of one GeoTIFF (Black Marble tiles hold one layer per raster: --bm-layer chooses it). */
async function openAllBands(files: readonly string[], input: ZonalJobInput, remote: RemoteOptions): Promise<RasterSource[]> {
  if (isBlackMarbleList(files)) {
    throw new NtlError(
      '--band all reads every band of one GeoTIFF; Black Marble tiles hold one layer per raster: choose it with --bm-layer, and run once per layer',
    );
  }
  if (input.blackmarble && Object.values(input.blackmarble).some((v) => v !== undefined)) {
    throw new NtlError(`the Black Marble options (layer, snow, quality) apply to .h5 tiles only, but ${files[0]} is not one`);
  }
  const sources = await openRasterBands(files[0]!, { threads: input.threads, remote });
  if (sources.length === 1) {
    await sources[0]!.close();
    throw new NtlError(`--band all reads every band of a multi-band raster, but ${files[0]} has one band; leave out --band (its one band is read)`);
  }
  return sources;
}
