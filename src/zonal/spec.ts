/** `--stats` parsing: the user's comma list → StatSpec[] (validated, with output column names). */
import { NtlError } from '../errors.js';
import type { StatName, StatSpec } from './types.js';

export const STAT_NAMES: readonly StatName[] = [
  'count', 'sum', 'mean', 'min', 'max', 'stdev', 'variance', 'median', 'quantile',
  'lit_count', 'lit_share', 'nodata_count', 'area_km2', 'cell_area_sum_km2', 'weighted_sum', 'weighted_mean',
  'weight_sum', 'per_weight',
];

/** Statistics that read the weighting raster when one is given (`--weights`); the last two need one. */
export const WEIGHTED_STATS: readonly StatName[] = ['weighted_sum', 'weighted_mean', 'weight_sum', 'per_weight'];
export const WEIGHTS_ONLY_STATS: readonly StatName[] = ['weight_sum', 'per_weight'];

export const DEFAULT_STATS: readonly StatSpec[] = (['count', 'sum', 'mean', 'min', 'max'] as const).map(
  (name) => ({ name, column: name }),
);

const isStatName = (s: string): s is StatName => (STAT_NAMES as readonly string[]).includes(s);

/** Parse e.g. "count,sum,quantile:0.9" → specs with columns count, sum, quantile_0.9. */
export function parseStats(spec: string): StatSpec[] {
  const items = spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) {
    throw new NtlError(`--stats is empty; give a comma list such as "count,sum,mean" (valid: ${STAT_NAMES.join(', ')}, quantile:q).`);
  }
  const out: StatSpec[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const [rawName, arg, extra] = item.split(':');
    const name = rawName.trim().toLowerCase();
    if (!isStatName(name)) {
      throw new NtlError(`--stats: unknown statistic "${rawName}" in "${spec}"; valid names: ${STAT_NAMES.join(', ')} (quantile needs a level, e.g. quantile:0.9).`);
    }
    let s: StatSpec;
    if (name === 'quantile') {
      const txt = arg?.trim() ?? '';
      const q = txt === '' ? NaN : Number(txt);
      if (extra !== undefined || !Number.isFinite(q) || q < 0 || q > 1) {
        throw new NtlError(`--stats: "${item}" needs a quantile level between 0 and 1, e.g. quantile:0.9.`);
      }
      s = { name, q, column: `quantile_${q}` };
    } else {
      if (arg !== undefined) {
        throw new NtlError(`--stats: "${item}": only quantile takes a parameter (quantile:0.9); write "${name}".`);
      }
      s = { name, column: name };
    }
    if (seen.has(s.column)) throw new NtlError(`--stats: "${s.column}" is listed twice in "${spec}"; list each statistic once.`);
    seen.add(s.column);
    out.push(s);
  }
  return out;
}
