/**
 * Saturation share, always, for DMSP-OLS series (the issue: "a saturated-pixel flag and share per district always"):
 * after the zonal stage, every period of a `dmsp-ols` series gets `saturated_share` = the coverage-weighted share of
 * the district's cells whose *raw* DN is ≥ 63 (stable lights top-code at 63; 255 = no cloud-free data is missing),
 * computed on the raw file whatever the calibration does (inter-calibrated values are no longer 63). Exactly the
 * zonal `lit_share` at threshold 62.5 on the raw DN, with the run's coverage rule and nodata_as_zero. Several raw
 * files in a period (duplicates: mean, or the two satellites of a composite) → the mean of their shares.
 * Other series get an empty saturated_share when the plan has a DMSP-OLS series; without one, no column is added.
 */
import { type PreparedZones, zonalOnSource } from '../../jobs/zonal-job.js';
import { openRaster } from '../../raster/index.js';
import { remoteOptionsOf } from '../remote-inputs.js';
import type { RasterSource } from '../../raster/types.js';
import { parseStats } from '../../zonal/index.js';
import { cacheKey, type ResultCache } from '../cache.js';
import type { PanelPlan, PinnedFile, PlannedInput } from '../plan/types.js';
import type { PeriodStats } from './zonal-stage.js';

export const SATURATED_COLUMN = 'saturated_share';
const DMSP_SATURATED_ABOVE = 62.5; // x > 62.5 ⇔ DN ≥ 63 on integer DN
const DMSP_NO_CLOUD_FREE = 255;

/** True when the plan has a DMSP-OLS series (then every period gets the column). */
export function wantsSaturation(plan: PanelPlan): boolean {
  return plan.series.some((s) => s.sensor === 'dmsp-ols');
}

/** `periods` (from the zonal stage, any order) with saturated_share appended; `pinned` is the plan before calibration. */
export async function addSaturation(
  periods: readonly PeriodStats[],
  pinned: PanelPlan,
  zones: PreparedZones,
  cache: ResultCache,
  threads?: number,
): Promise<PeriodStats[]> {
  const bySeries = new Map(pinned.series.map((s) => [s.name, s]));
  const out: PeriodStats[] = [];
  for (const p of periods) {
    const s = bySeries.get(p.series);
    const input = s?.sensor === 'dmsp-ols' ? s.inputs.find((i) => i.year === p.year && i.month === p.month) : undefined;
    const shares = input ? await sharesOf(input, pinned, zones, cache, threads) : null;
    out.push({
      ...p,
      columns: [...p.columns, SATURATED_COLUMN],
      rows: p.rows.map(([id, ...values]) => [id, ...values, shares ? (shares.get(id) ?? null) : null] as const),
    });
  }
  return out;
}

async function sharesOf(input: PlannedInput, plan: PanelPlan, zones: PreparedZones, cache: ResultCache, threads?: number): Promise<Map<string, number | null>> {
  const files: PinnedFile[] = input.files.flatMap((f) => [f, ...(f.aux?.composite ? [f.aux.composite] : [])]);
  const settings = { stats: parseStats('lit_share'), rule: plan.zonal.rule, nodataAsZero: plan.zonal.nodataAsZero, litThreshold: DMSP_SATURATED_ABOVE };
  const perFile: Map<string, number | null>[] = [];
  for (const f of files) {
    const key = cacheKey({
      v: 1,
      saturation: [f.sha256, f.band ?? 1],
      rule: settings.rule,
      nodataAsZero: settings.nodataAsZero,
      zones: [plan.boundaries.file.sha256, plan.boundaries.idField, plan.boundaries.units ?? 'all'],
    });
    let rows = await cache.get<[string, number | null][]>('saturation', key);
    if (!rows) {
      const raw = await openRaster(f.file, { band: f.band, threads, remote: remoteOptionsOf(f) });
      try {
        const r = await zonalOnSource(withDmspNodata(raw), zones, settings);
        rows = r.rows.map((row) => [row.id, row.values[0] ?? null]);
      } finally {
        await raw.close();
      }
      await cache.put('saturation', key, rows);
    }
    perFile.push(new Map(rows));
  }
  const first = perFile[0]!;
  return new Map(
    [...first.keys()].map((id) => {
      let sum = 0;
      for (const m of perFile) {
        const v = m.get(id) ?? null;
        if (v === null) return [id, null];
        sum += v;
      }
      return [id, sum / perFile.length];
    }),
  );
}

/** A raw DMSP composite without a no-data tag still means 255 = no cloud-free observation. */
function withDmspNodata(source: RasterSource): RasterSource {
  if (source.info.nodata !== null || source.info.dtype !== 'uint8') return source;
  return { info: { ...source.info, nodata: DMSP_NO_CLOUD_FREE }, bands: (w, hint) => source.bands(w, hint), close: () => source.close() };
}
