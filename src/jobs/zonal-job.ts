/**
 * Zonal statistics as library calls. `runZonalJob` is one raster × one boundary file (what `ntl zonal`
 * does); `zonalOnSource` is the reusable core the pipeline runner calls for every year with zones read once.
 */
import { NtlError } from '../errors.js';
import { crsFromUserString } from '../geo/index.js';
import type { CrsDef } from '../geo/crs.js';
import type { RasterSource } from '../raster/types.js';
import { geodesicAreaKm2, readZones, reprojectZones } from '../vector/index.js';
import type { ZoneSet } from '../vector/types.js';
import { zonalStatistics } from '../zonal/index.js';
import type { CoverageRule, StatSpec, ZonalResult } from '../zonal/types.js';
import type { BlackMarbleOptions } from '../raster/blackmarble/index.js';
import { expandRasterList, openRasterInput } from './raster-input.js';

export interface ZonalSettings {
  readonly stats: readonly StatSpec[];
  readonly rule: CoverageRule;
  readonly nodataAsZero: boolean;
  readonly litThreshold: number;
}

export interface ZonalJobInput extends ZonalSettings {
  /** A GeoTIFF, or Black Marble .h5 tiles of one date as a comma list / glob (src/jobs/raster-input.ts). */
  readonly rasterPath: string;
  /** Layer, snow and quality options for Black Marble tiles. */
  readonly blackmarble?: BlackMarbleOptions;
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
      for (const z of this.zoneSet.zones) this.areas.set(z.id, geodesicAreaKm2(z.parts, this.zoneSet.crs));
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

/** Statistics of one open raster over prepared zones. */
export async function zonalOnSource(
  source: RasterSource,
  zones: PreparedZones,
  settings: ZonalSettings,
  rasterCrsOverride?: string,
): Promise<ZonalResult> {
  const crs = rasterCrsOrFail(source, rasterCrsOverride);
  const wantsArea = settings.stats.some((s) => s.name === 'area_km2');
  const result = await zonalStatistics(source, zones.inCrs(crs).zones, {
    stats: settings.stats,
    rule: settings.rule,
    nodataAsZero: settings.nodataAsZero,
    litThreshold: settings.litThreshold,
    geographic: crs.geographic,
    areaKm2: wantsArea ? (zone) => zones.areaKm2(zone.id) : undefined,
  });
  return source.warnings?.length ? { ...result, warnings: [...source.warnings, ...result.warnings] } : result;
}

export async function runZonalJob(input: ZonalJobInput): Promise<ZonalJobResult> {
  const files = await expandRasterList(input.rasterPath);
  const source = await openRasterInput(files, { band: input.band, threads: input.threads, blackmarble: input.blackmarble });
  try {
    if (input.rasterCrs !== undefined && source.info.crs !== null && source.info.compression === 'hdf5') {
      throw new NtlError('--raster-crs does not apply to Black Marble tiles: they are EPSG:4326 by definition; leave it out');
    }
    rasterCrsOrFail(source, input.rasterCrs); // fail on the raster before spending time on the zones
    const zoneSet = await readZones(input.zonesPath, { idField: input.idField, encoding: input.encoding, crs: input.zonesCrs });
    const result = await zonalOnSource(source, new PreparedZones(zoneSet), input, input.rasterCrs);
    return { ...result, idField: input.idField, warnings: [...zoneSet.warnings, ...result.warnings] };
  } finally {
    await source.close();
  }
}
