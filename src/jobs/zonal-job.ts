/**
 * Zonal statistics as library calls. `runZonalJob` is one raster × one boundary file (what `ntl zonal`
 * does); `zonalOnSource` is the reusable core the pipeline runner calls for every year with zones read once.
 */
import { NtlError } from '../errors.js';
import { crsFromUserString } from '../geo/index.js';
import type { CrsDef } from '../geo/crs.js';
import { openRaster } from '../raster/index.js';
import type { RasterSource } from '../raster/types.js';
import { geodesicAreaKm2, readZones, reprojectZones } from '../vector/index.js';
import type { ZoneSet } from '../vector/types.js';
import { existsSync } from 'node:fs';
import { zonalStatistics, zonalStatisticsParallel } from '../zonal/index.js';
import { defaultThreads } from '../raster/pool.js';
import { assertNotAllEmpty } from './empty-check.js';
import type { ZonalResult, ZonalSettings } from '../zonal/types.js';

export type { ZonalSettings } from '../zonal/types.js';

export interface ZonalJobInput extends ZonalSettings {
  readonly rasterPath: string;
  readonly zonesPath: string;
  readonly idField: string;
  readonly band?: number;
  readonly threads?: number;
  /** Text encoding of the DBF when it has no .cpg (e.g. "gbk"). */
  readonly encoding?: string;
  /** CRS of the zones when they carry none (shapefile without .prj), e.g. "EPSG:4326". */
  readonly zonesCrs?: string;
  /** CRS of the raster when its GeoKeys carry none. */
  readonly rasterCrs?: string;
  /** Accept a result where every zone is empty (no zone touches the raster, or only no-data); default: error. */
  readonly allowEmpty?: boolean;
}

export interface ZonalJobResult extends ZonalResult {
  readonly idField: string;
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
    throw new NtlError(
      `${source.info.path} has a geotransform but no coordinate system (no GeoKeys); pass --raster-crs EPSG:4326 (or the right CRS)`,
    );
  }
  return crs;
}

/**
 * Statistics of one open raster over prepared zones. With `threads` ≥ 2 the zones are split over worker threads
 * that open `source.info.path` again (zonalStatisticsParallel: same numbers); pass it only for a source that is
 * that file as is (not a wrapper that changes pixels or rows).
 */
export async function zonalOnSource(
  source: RasterSource,
  zones: PreparedZones,
  settings: ZonalSettings,
  rasterCrsOverride?: string,
  threads?: number,
): Promise<ZonalResult> {
  const crs = rasterCrsOrFail(source, rasterCrsOverride);
  const wantsArea = settings.stats.some((s) => s.name === 'area_km2');
  const run = threads !== undefined && threads >= 2
    ? (src: RasterSource, z: Parameters<typeof zonalStatistics>[1], o: Parameters<typeof zonalStatistics>[2]) => zonalStatisticsParallel(src, z, o, threads)
    : zonalStatistics;
  return run(source, zones.inCrs(crs).zones, {
    stats: settings.stats,
    rule: settings.rule,
    nodataAsZero: settings.nodataAsZero,
    litThreshold: settings.litThreshold,
    geographic: crs.geographic,
    areaKm2: wantsArea ? (zone) => zones.areaKm2(zone.id) : undefined,
  });
}

export async function runZonalJob(input: ZonalJobInput): Promise<ZonalJobResult> {
  // Two or more threads on a local file: zone groups on worker threads that decode for themselves, so this
  // thread needs no decode pool of its own (small jobs then decode here; they are quick).
  const threads = Math.max(0, Math.floor(input.threads ?? defaultThreads()));
  const split = threads >= 2 && existsSync(input.rasterPath);
  const source = await openRaster(input.rasterPath, { band: input.band, threads: split ? 0 : threads });
  try {
    rasterCrsOrFail(source, input.rasterCrs); // fail on the raster before spending time on the zones
    const zoneSet = await readZones(input.zonesPath, { idField: input.idField, encoding: input.encoding, crs: input.zonesCrs });
    const zones = new PreparedZones(zoneSet);
    const result = await zonalOnSource(source, zones, input, input.rasterCrs, split ? threads : undefined);
    if (!input.allowEmpty) {
      const crs = rasterCrsOrFail(source, input.rasterCrs);
      assertNotAllEmpty({
        result, raster: source.info, rasterCrs: crs, zonesPath: input.zonesPath, zonesCrs: zoneSet.crs,
        zonesOwn: zoneSet.zones, zonesInRaster: zones.inCrs(crs).zones, where: '', allowHint: 'pass --allow-empty',
      });
    }
    return { ...result, idField: input.idField, warnings: [...zoneSet.warnings, ...result.warnings] };
  } finally {
    await source.close();
  }
}
