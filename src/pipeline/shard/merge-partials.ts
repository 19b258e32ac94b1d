/**
 * Merge the row-band partials of one input raster (in band order) into that raster's statistics per zone.
 * One band: its requested statistics unchanged. Several: additive statistics are summed exactly
 * (exactSum, correctly rounded, so order and grouping do not matter), min/max combined, ratios recomputed,
 * variance by the parallel-moments identity W·var = Σ W_k·var_k + Σ W_k·(m_k − m)². The layout of the
 * bands is fixed by the plan, so the result is the same for any number of shards.
 */
import { NtlError } from '../../errors.js';
import { emptyZoneWarnings, EMPTY_ZONE_WARNING } from '../../zonal/engine.js';
import type { EmptyZones, StatSpec, ZonalResult, ZonalRow } from '../../zonal/types.js';
import { exactSum } from './merge-sum.js';
import type { UnitPartial } from './partial.js';

/** `noGeometry`: ids of zones without a polygon (they are empty in every band for that reason, not outside). */
export function mergePartials(
  parts: readonly UnitPartial[],
  stats: readonly StatSpec[],
  where: string,
  noGeometry: ReadonlySet<string> = new Set(),
): ZonalResult {
  if (parts.length === 0) throw new NtlError(`${where}: no partial results to merge (internal error; please report it)`);
  const first = parts[0]!;
  for (const p of parts) {
    if (p.ids.length !== first.ids.length || p.ids.some((id, i) => id !== first.ids[i]) || p.columns.join(',') !== first.columns.join(',')) {
      throw new NtlError(`${where}: the shard results list different zones or statistics; delete the .shards folder and run the shards again`);
    }
  }
  const columns = stats.map((s) => s.column);
  if (parts.length === 1) {
    const rows = first.ids.map((id, i) => ({ id, values: first.values[i]!.slice(0, first.requested) }));
    return { columns, rows, warnings: first.warnings, empty: emptyOf(first, noGeometry) };
  }
  const col = (name: string): number => first.columns.indexOf(`_p_${name}`);
  const at = {
    count: col('count'),
    sum: col('sum'),
    min: col('min'),
    max: col('max'),
    lit: col('lit_count'),
    nd: col('nodata_count'),
    cw: col('cell_area_sum_km2'),
    xcw: col('weighted_sum'),
    v: col('variance'),
  };
  const areaCol = stats.findIndex((s) => s.name === 'area_km2');
  const rows: ZonalRow[] = [];
  const empty: string[] = [];
  first.ids.forEach((id, i) => {
    const z = parts.map((p) => p.values[i]!);
    const get = (k: number) => z.map((v) => v[k] ?? null);
    const nds = get(at.nd).filter((v): v is number => v !== null);
    const nodata = nds.length > 0 ? exactSum(nds) : null;
    const valid = z.filter((v) => v[at.count] !== null);
    const area = areaCol >= 0 ? (z[0]![areaCol] ?? null) : null;
    if (valid.length === 0) {
      empty.push(id);
      rows.push({ id, values: stats.map((s) => (s.name === 'area_km2' ? area : s.name === 'nodata_count' ? nodata : null)) });
      return;
    }
    const sumOf = (k: number) => exactSum(valid.map((v) => v[k] as number));
    const count = sumOf(at.count),
      sum = sumOf(at.sum),
      lit = sumOf(at.lit),
      cw = sumOf(at.cw),
      xcw = sumOf(at.xcw);
    const min = Math.min(...valid.map((v) => v[at.min] as number));
    const max = Math.max(...valid.map((v) => v[at.max] as number));
    let variance = NaN;
    if (at.v >= 0) {
      const mean = sum / count;
      const terms: number[] = [];
      for (const v of valid) {
        const w = v[at.count] as number,
          m = (v[at.sum] as number) / w,
          d = m - mean;
        terms.push(w * (v[at.v] as number), w * d * d);
      }
      variance = exactSum(terms) / count;
    }
    rows.push({
      id,
      values: stats.map((s) => {
        switch (s.name) {
          case 'count':
            return count;
          case 'sum':
            return sum;
          case 'mean':
            return sum / count;
          case 'min':
            return min;
          case 'max':
            return max;
          case 'variance':
            return variance;
          case 'stdev':
            return Math.sqrt(variance);
          case 'lit_count':
            return lit;
          case 'lit_share':
            return lit / count;
          case 'nodata_count':
            return nodata;
          case 'area_km2':
            return area;
          case 'cell_area_sum_km2':
            return cw;
          case 'weighted_sum':
            return xcw;
          case 'weighted_mean':
            return xcw / cw;
          case 'weight_sum':
          case 'per_weight':
            throw new NtlError(
              `${where}: ${s.column} cannot be merged from row bands (internal error: periods with a weighting raster are never split; please report it)`,
            );
          case 'median':
          case 'quantile':
            throw new NtlError(`${where}: ${s.column} cannot be merged from row bands (internal error: quantile periods are never split; please report it)`);
        }
      }),
    });
  });
  const other = [...new Set(parts.flatMap((p) => p.warnings.filter((w) => !EMPTY_ZONE_WARNING.test(w))))];
  // A zone is outside the raster when no band saw any of its cells (nodata_count null in every band).
  const nd = first.columns.indexOf('_p_nodata_count');
  const byCause: { noGeometry: string[]; outside: string[]; nodataOnly: string[] } = { noGeometry: [], outside: [], nodataOnly: [] };
  const emptySet = new Set(empty);
  first.ids.forEach((id, i) => {
    if (!emptySet.has(id)) return;
    if (noGeometry.has(id)) byCause.noGeometry.push(id);
    else if (parts.every((p) => p.values[i]![nd] === null)) byCause.outside.push(id);
    else byCause.nodataOnly.push(id);
  });
  return { columns, rows, warnings: [...other, ...emptyZoneWarnings(byCause)], empty: byCause };
}

/** Empty zones of one unit's result, by cause (from its count and nodata_count columns). */
function emptyOf(p: UnitPartial, noGeometry: ReadonlySet<string>): EmptyZones {
  const count = p.columns.indexOf('_p_count'),
    nd = p.columns.indexOf('_p_nodata_count');
  const out: { noGeometry: string[]; outside: string[]; nodataOnly: string[] } = { noGeometry: [], outside: [], nodataOnly: [] };
  p.ids.forEach((id, i) => {
    if (p.values[i]![count] !== null) return;
    if (noGeometry.has(id)) out.noGeometry.push(id);
    else if (p.values[i]![nd] === null) out.outside.push(id);
    else out.nodataOnly.push(id);
  });
  return out;
}
