/**
 * Quick-look maps: per series and year, the raster clipped to the boundaries' extent with county outlines,
 * and a choropleth of the chosen statistic.
 */
import pLimit from 'p-limit';
import { openInputSource } from './zonal-stage.js';
import { rasterCrsOrFail, type PreparedZones } from '../../jobs/zonal-job.js';
import type { ZoneSet } from '../../vector/types.js';
import type { OutputFile } from '../commit-outputs.js';
import type { PanelPlan } from '../plan.js';
import type { PeriodStats } from './zonal-stage.js';

export async function renderMaps(
  plan: PanelPlan,
  zoneSet: ZoneSet,
  zones: PreparedZones,
  periods: readonly PeriodStats[],
  onDone: () => void,
): Promise<OutputFile[]> {
  // Loaded on demand: the renderer pulls in sharp/libvips, which runs without maps do not need.
  const { renderChoropleth, renderRasterMap } = await import('../../maps/index.js');
  const stat = plan.outputs.mapStat.replace(/[^A-Za-z0-9_.]/g, '_');
  const jobs = plan.series.flatMap((series) => series.inputs.filter((input) => plan.years.includes(input.year)).map((input) => ({ series, input })));
  // periods render concurrently (libvips encodes one PNG while JS draws the next); files keep the period order
  const limit = pLimit(Math.max(1, plan.concurrency));
  const perJob = await Promise.all(jobs.map(({ series, input }) => limit(async (): Promise<OutputFile[]> => {
    const out: OutputFile[] = [];
    const period = `${input.year}${input.month ? `-${String(input.month).padStart(2, '0')}` : ''}`;
    // the values the statistics were computed on: calibrated (pointwise chain applied, or the written raster)
    const source = await openInputSource(input.files[0]!, {});
    try {
      const crs = rasterCrsOrFail(source);
      out.push({
        rel: `maps/${series.name}_${period}_raster.png`,
        data: await renderRasterMap(source, zones.inCrs(crs).zones, { nodataAsZero: plan.zonal.nodataAsZero, title: `${series.name} ${period}` }),
      });
    } finally {
      await source.close();
    }
    const stats = periods.find((p) => p.series === series.name && p.year === input.year && p.month === input.month);
    const k = stats ? stats.columns.indexOf(plan.outputs.mapStat) : -1;
    if (stats && k >= 0) {
      const values = new Map(stats.rows.map((r) => [r[0], (r[k + 1] as number | null) ?? null]));
      out.push({
        rel: `maps/${series.name}_${period}_${stat}.png`,
        data: await renderChoropleth(zoneSet.zones, values, {
          title: `${series.name} ${period}: ${plan.outputs.mapStat}`,
          legendLabel: plan.outputs.mapStat,
          geographic: zoneSet.crs.geographic,
        }),
      });
    }
    onDone();
    return out;
  })));
  return perJob.flat();
}
