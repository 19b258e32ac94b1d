/**
 * Zonal statistics as library calls. `runZonalJob` is one raster × one boundary file (what `ntl zonal`
 * does); `zonalOnSource` is the reusable core the pipeline runner calls for every year with zones read once.
 */
import { NtlError } from '../errors.js';
import { crsFromUserString } from '../geo/index.js';
import type { CrsDef } from '../geo/crs.js';
import { openRaster } from '../raster/index.js';
import type { RasterSource } from '../raster/types.js';
import type { RemoteOptions } from '../raster/http-source.js';
import { geodesicAreaKm2, readZones, reprojectZones } from '../vector/index.js';
import type { ZoneSet } from '../vector/types.js';
import { zonalStatistics } from '../zonal/index.js';
import type { CoverageRule, StatSpec, ZonalResult } from '../zonal/types.js';

export interface ZonalSettings {
  readonly stats: readonly StatSpec[];
  readonly rule: CoverageRule;
  readonly nodataAsZero: boolean;
  readonly litThreshold: number;
}

export interface ZonalJobInput extends ZonalSettings {
  /** A GeoTIFF path, or an http(s) URL read in place with range requests. */
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
  /** How an http(s) rasterPath is read (token, retries, --download-if-no-range); its warnings join the result's. */
  readonly remote?: RemoteOptions;
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
  return zonalStatistics(source, zones.inCrs(crs).zones, {
    stats: settings.stats,
    rule: settings.rule,
    nodataAsZero: settings.nodataAsZero,
    litThreshold: settings.litThreshold,
    geographic: crs.geographic,
    areaKm2: wantsArea ? (zone) => zones.areaKm2(zone.id) : undefined,
  });
}

export async function runZonalJob(input: ZonalJobInput): Promise<ZonalJobResult> {
  const rasterWarnings: string[] = [];
  const remote: RemoteOptions = { ...input.remote, onWarning: (w) => (rasterWarnings.push(w), input.remote?.onWarning?.(w)) };
  const source = await openRaster(input.rasterPath, { band: input.band, threads: input.threads, remote });
  try {
    rasterCrsOrFail(source, input.rasterCrs); // fail on the raster before spending time on the zones
    const zoneSet = await readZones(input.zonesPath, { idField: input.idField, encoding: input.encoding, crs: input.zonesCrs });
    const result = await zonalOnSource(source, new PreparedZones(zoneSet), input, input.rasterCrs);
    return { ...result, idField: input.idField, warnings: [...rasterWarnings, ...zoneSet.warnings, ...result.warnings] };
  } finally {
    await source.close();
  }
}
