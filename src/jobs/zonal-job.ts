/**
 * One zonal run as a library call: open the raster, read and reproject the zones, compute the
 * statistics. The CLI (`ntl zonal`) and the pipeline runner both call this.
 */
import { NtlError } from '../errors.js';
import { crsFromUserString } from '../geo/index.js';
import { openRaster } from '../raster/index.js';
import { geodesicAreaKm2, readZones, reprojectZones } from '../vector/index.js';
import { zonalStatistics } from '../zonal/index.js';
import type { CoverageRule, StatSpec, ZonalResult } from '../zonal/types.js';
import type { ZoneSet } from '../vector/types.js';

export interface ZonalJobInput {
  readonly rasterPath: string;
  readonly zonesPath: string;
  readonly idField: string;
  readonly stats: readonly StatSpec[];
  readonly rule: CoverageRule;
  readonly nodataAsZero: boolean;
  readonly litThreshold: number;
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

export async function runZonalJob(input: ZonalJobInput): Promise<ZonalJobResult> {
  const source = await openRaster(input.rasterPath, { band: input.band, threads: input.threads });
  try {
    const rasterCrs = source.info.crs ?? (input.rasterCrs ? crsFromUserString(input.rasterCrs) : null);
    if (!rasterCrs) {
      throw new NtlError(
        `${input.rasterPath} has a geotransform but no coordinate system (no GeoKeys); pass --raster-crs EPSG:4326 (or the right CRS)`,
      );
    }
    const zoneSet: ZoneSet = await readZones(input.zonesPath, {
      idField: input.idField,
      encoding: input.encoding,
      crs: input.zonesCrs,
    });
    const wantsArea = input.stats.some((s) => s.name === 'area_km2');
    // Polygon area is taken in the zones' own CRS, before reprojection, so it does not depend on the raster grid.
    const areaById = new Map<string, number>();
    if (wantsArea) for (const z of zoneSet.zones) areaById.set(z.id, geodesicAreaKm2(z.parts, zoneSet.crs));
    const inRasterCrs = reprojectZones(zoneSet, rasterCrs);
    const result = await zonalStatistics(source, inRasterCrs.zones, {
      stats: input.stats,
      rule: input.rule,
      nodataAsZero: input.nodataAsZero,
      litThreshold: input.litThreshold,
      geographic: rasterCrs.geographic,
      areaKm2: wantsArea ? (zone) => areaById.get(zone.id) ?? null : undefined,
    });
    return { ...result, idField: input.idField, warnings: [...zoneSet.warnings, ...result.warnings] };
  } finally {
    await source.close();
  }
}
