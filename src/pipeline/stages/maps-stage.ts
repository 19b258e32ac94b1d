/**
 * Quick-look maps: per series and period, the raster clipped to the boundaries' extent with county outlines,
 * and a choropleth of the chosen statistic. All maps of one series share one colour scale — choropleth classes
 * from the pooled values of every period, raster ramp topped at the pooled 99.9th percentile — so growth and
 * sensor breaks show as colour. Titles and legends carry readable names and units (maps/units.ts). Rendered
 * PNGs are cached under DIR/.cache/maps (map-cache.ts); histograms for the raster scale under DIR/.cache.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import { openInputSource, fileIdentity } from './zonal-stage.js';
import { rasterCrsOrFail, type PreparedZones } from '../../jobs/zonal-job.js';
import type { ZoneSet } from '../../vector/types.js';
import type { Table } from '../../output/table.js';
import { statColumn } from '../../zonal/index.js';
import { cacheKey, ResultCache } from '../cache.js';
import { MapCache, MAP_RENDERER_VERSION } from '../map-cache.js';
import type { OutputFile } from '../commit-outputs.js';
import type { PanelPlan, PlannedInput, PlannedSeries } from '../plan/types.js';
import type { PeriodStats } from './zonal-stage.js';
import { describeHarmonised, describeSeries, distinctLabels, type SeriesDescription } from '../../maps/units.js';
import type { SparseHistogram } from '../../maps/histogram.js';

/** Rendering settings of the pipeline's maps (part of every map's cache key). */
export const MAP_SETTINGS = { classes: 7, percentile: 99.9, maxSize: 1200, resample: 'mean' } as const;

export interface MapsResult {
  readonly files: OutputFile[];
  /** Maps read back from DIR/.cache/maps, and maps drawn. */
  readonly reused: number;
  readonly rendered: number;
}

const periodOf = (input: PlannedInput) => `${input.year}${input.month ? `-${String(input.month).padStart(2, '0')}` : ''}`;

/** Label and unit of every plan series (raster series and a district-harmonised one), labels made distinct. */
export function seriesDescriptions(plan: PanelPlan): SeriesDescription[] {
  const steps = (s: PlannedSeries) => (s.inputs[0]?.files[0]?.calibrate ?? []).map((c) => String(c.step));
  const list = plan.series.map((s) => describeSeries({ name: s.name, sensor: s.sensor, product: s.product, steps: steps(s) }));
  const h = plan.harmonise;
  if (h?.level === 'district') {
    const from = list.find((d) => d.name === h.from),
      to = list.find((d) => d.name === h.to);
    if (from && to) list.push(describeHarmonised(h.name, from, to));
  }
  return distinctLabels(list);
}

/** The statistic's column name (map_stat quantile:0.9 → quantile_0_9; a `<value>_gap` stays as it is). */
function mapColumn(mapStat: string): string {
  return mapStat.endsWith('_gap') ? mapStat : statColumn(mapStat);
}

/** Values of `column` per unit for one series and period, from the zonal results or (gap columns) the panel. */
function valuesFor(
  column: string,
  series: string,
  input: PlannedInput,
  periods: readonly PeriodStats[],
  panel: Table | null,
): Map<string, number | null> | null {
  const stats = periods.find((p) => p.series === series && p.year === input.year && p.month === input.month);
  const k = stats ? stats.columns.indexOf(column) : -1;
  if (stats && k >= 0) return new Map(stats.rows.map((r) => [r[0], (r[k + 1] as number | null) ?? null]));
  if (!panel) return null;
  const col = (name: string) => panel.columns.find((c) => c.name === name);
  const ids = col('unit_id'),
    years = col('year'),
    sources = col('source'),
    months = col('month'),
    vals = col(column);
  if (!ids || !years || !sources || !vals) return null;
  const out = new Map<string, number | null>();
  for (let i = 0; i < ids.values.length; i++) {
    if (sources.values[i] !== series || years.values[i] !== input.year) continue;
    if (input.month !== undefined && months && months.values[i] !== input.month) continue;
    const v = vals.values[i];
    out.set(String(ids.values[i]), typeof v === 'number' ? v : null);
  }
  return out.size > 0 ? out : null;
}

export async function renderMaps(
  plan: PanelPlan,
  zoneSet: ZoneSet,
  zones: PreparedZones,
  periods: readonly PeriodStats[],
  onDone: () => void,
  panel: Table | null = null,
): Promise<MapsResult> {
  // Loaded on demand: the renderer pulls in sharp/libvips, which runs without maps do not need.
  const maps = await import('../../maps/index.js');
  const column = mapColumn(plan.outputs.mapStat);
  const fileStat = plan.outputs.mapStat.replace(/[^A-Za-z0-9_.]/g, '_');
  const stat = (unit: string | null) => maps.describeStat(column, unit, plan.gap?.ref);
  const descriptions = seriesDescriptions(plan);
  const b = plan.boundaries;
  const zonesKey = [b.file.sha256, ...b.companions.map((c) => c.sha256), b.idField, b.encoding ?? null, b.crs ?? null, b.units ?? 'all'];
  const cache = new MapCache(join(plan.outputs.dir, '.cache', 'maps'));
  const results = new ResultCache(join(plan.outputs.dir, '.cache'));
  const limit = pLimit(Math.max(1, plan.concurrency));
  const nodataAsZero = plan.zonal.nodataAsZero;

  const perSeries = plan.series.map((series) => {
    const inputs = series.inputs.filter((input) => plan.years.includes(input.year));
    const desc = descriptions.find((d) => d.name === series.name)!;
    return { series, inputs, desc, labels: inputs.map(periodOf) };
  });

  // Pass 1, per series: the pooled statistic values (choropleth classes) and cell histograms (raster ramp top).
  const scales = await Promise.all(
    perSeries.map(async ({ series, inputs }) => {
      const values = inputs.map((input) => valuesFor(column, series.name, input, periods, panel));
      const breaks = maps.pooledClasses(
        values.map((v) => (v ? v.values() : [])),
        MAP_SETTINGS.classes,
      );
      const hists = await Promise.all(
        inputs.map((input) =>
          limit(async () => {
            const f = input.files[0]!;
            const key = cacheKey({ v: MAP_RENDERER_VERSION, kind: 'map-histogram', file: fileIdentity(f), zones: zonesKey, nodataAsZero });
            const hit = await results.get<SparseHistogram>('maphist', key);
            if (hit) return maps.LogHistogram.fromJSON(hit);
            const source = await openInputSource(f, {});
            try {
              const h = await maps.rasterMapHistogram(source, zones.inCrs(rasterCrsOrFail(source)).zones, { nodataAsZero });
              await results.put('maphist', key, h.toJSON());
              return h;
            } finally {
              await source.close();
            }
          }),
        ),
      );
      return { values, breaks, top: maps.pooledScaleTop(hists, MAP_SETTINGS.percentile) };
    }),
  );

  // Pass 2: every map, drawn or read back from the cache; files keep the series and period order.
  const jobs = perSeries.flatMap((s, si) => s.inputs.map((input, pi) => ({ ...s, input, pi, scale: scales[si]! })));
  const perJob = await Promise.all(
    jobs.map(({ series, input, desc, labels, pi, scale }) =>
      limit(async (): Promise<OutputFile[]> => {
        const out: OutputFile[] = [];
        const period = labels[pi]!;
        const f = input.files[0]!;
        const span = maps.periodSpan(labels);
        const rasterOpts = {
          nodataAsZero,
          title: maps.rasterTitle(desc, period),
          legendLabel: desc.unit ?? 'value',
          scaleTop: scale.top,
          percentile: MAP_SETTINGS.percentile,
          resample: MAP_SETTINGS.resample,
          maxSize: MAP_SETTINGS.maxSize,
          scaleNote: `${maps.sharedScaleNote(labels)} (top = p${MAP_SETTINGS.percentile} of all cells ${span})`,
        };
        const rasterKey = cacheKey({ v: MAP_RENDERER_VERSION, kind: 'raster', file: fileIdentity(f), zones: zonesKey, opts: rasterOpts });
        out.push({
          rel: `maps/${series.name}_${period}_raster.png`,
          data: await cache.getOrRender(rasterKey, async () => {
            // the values the statistics were computed on: calibrated (pointwise chain applied, or the written raster)
            const source = await openInputSource(f, {});
            try {
              return await maps.renderRasterMap(source, zones.inCrs(rasterCrsOrFail(source)).zones, rasterOpts);
            } finally {
              await source.close();
            }
          }),
        });
        const values = scale.values[pi];
        if (values && scale.breaks) {
          const s = stat(desc.unit);
          const choroOpts = {
            title: maps.choroplethTitle(desc, period, s),
            legendLabel: s.legend,
            geographic: zoneSet.crs.geographic,
            breaks: scale.breaks,
            maxSize: MAP_SETTINGS.maxSize,
            classNote: `quantile classes of ${span} pooled`,
            scaleNote: maps.sharedScaleNote(labels),
          };
          const key = cacheKey({ v: MAP_RENDERER_VERSION, kind: 'choropleth', zones: zonesKey, values: [...values], opts: choroOpts });
          out.push({
            rel: `maps/${series.name}_${period}_${fileStat}.png`,
            data: await cache.getOrRender(key, () => maps.renderChoropleth(zoneSet.zones, values, choroOpts)),
          });
        }
        onDone();
        return out;
      }),
    ),
  );
  return { files: perJob.flat(), reused: cache.reused, rendered: cache.rendered };
}
