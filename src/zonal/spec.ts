/** `--stats` parsing: the user's comma list → StatSpec[] (validated, with output column names). */
import { NtlError } from '../errors.js';
import { safeColumnName } from '../output/column-names.js';
import { COVERAGE_RULES, STAT_NAMES, type CoverageRule, type StatName, type StatSpec, type ZonalSettings } from './types.js';

export { STAT_NAMES } from './types.js';

/** Statistics that read the weighting raster when one is given (`--weights`); the last two need one. */
export const WEIGHTED_STATS: readonly StatName[] = ['weighted_sum', 'weighted_mean', 'weight_sum', 'per_weight'];
export const WEIGHTS_ONLY_STATS: readonly StatName[] = ['weight_sum', 'per_weight'];

export const DEFAULT_STATS: readonly StatSpec[] = (['count', 'sum', 'mean', 'min', 'max'] as const).map((name) => ({ name, column: name }));

const isStatName = (s: string): s is StatName => (STAT_NAMES as readonly string[]).includes(s);

/**
 * Parse e.g. "count,sum,quantile:0.9" → specs with columns count, sum, quantile_0_9: the column names go through
 * the one sanitiser (src/output/column-names.ts), so `ntl zonal`, `ntl panel` and `ntl run` write the same name.
 */
export function parseStats(spec: string): StatSpec[] {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) {
    throw new NtlError(`--stats is empty; give a comma list such as "count,sum,mean" (valid: ${STAT_NAMES.join(', ')}, quantile:q).`);
  }
  const out: StatSpec[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const [rawName, arg, extra] = item.split(':');
    const name = rawName.trim().toLowerCase();
    if (!isStatName(name)) {
      throw new NtlError(
        `--stats: unknown statistic "${rawName}" in "${spec}"; valid names: ${STAT_NAMES.join(', ')} (quantile needs a level, e.g. quantile:0.9).`,
      );
    }
    let s: StatSpec;
    if (name === 'quantile') {
      const txt = arg?.trim() ?? '';
      const q = txt === '' ? NaN : Number(txt);
      if (extra !== undefined || !Number.isFinite(q) || q < 0 || q > 1) {
        throw new NtlError(`--stats: "${item}" needs a quantile level between 0 and 1, e.g. quantile:0.9.`);
      }
      s = { name, q, column: safeColumnName(`quantile_${q}`) };
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

/** The settings as flags and the pipeline spec give them (`stats` as a list or comma text; rule `center` = `centre`). */
export interface ZonalSettingsInput {
  readonly stats?: string | readonly string[];
  readonly rule?: string;
  readonly nodataAsZero?: boolean;
  readonly litThreshold?: number;
}

/** The defaults every entry point shares. */
export const ZONAL_DEFAULTS = { rule: 'exact', nodataAsZero: false, litThreshold: 0 } as const satisfies Omit<ZonalSettings, 'stats'>;

/** `ntl zonal`, `ntl panel` and the pipeline plan build their ZonalSettings here. `what` names the source in errors. */
export function zonalSettings(input: ZonalSettingsInput, what = '--rule'): ZonalSettings {
  const rule = input.rule === undefined ? ZONAL_DEFAULTS.rule : input.rule === 'center' ? 'centre' : input.rule;
  if (!(COVERAGE_RULES as readonly string[]).includes(rule)) throw new NtlError(`${what} must be ${COVERAGE_RULES.join(' or ')}, got "${input.rule}"`);
  return {
    stats: input.stats === undefined ? DEFAULT_STATS : parseStats(typeof input.stats === 'string' ? input.stats : input.stats.join(',')),
    rule: rule as CoverageRule,
    nodataAsZero: input.nodataAsZero ?? ZONAL_DEFAULTS.nodataAsZero,
    litThreshold: input.litThreshold ?? ZONAL_DEFAULTS.litThreshold,
  };
}

/** The level of a quantile column as text: quantile_0_9 (or the older quantile_0.9) → "0.9"; null for other columns. */
export function quantileLevelText(column: string): string | null {
  const m = /^quantile_(\d+)(?:[_.](\d+))?(?:_?e_?(-?\d+))?$/.exec(column);
  if (!m) return null;
  return `${m[1]}${m[2] !== undefined ? `.${m[2]}` : ''}${m[3] !== undefined ? `e${m[3]}` : ''}`;
}

/**
 * A statistic as a user names it on the command line or in a pipeline (`quantile:0.9`, `sum`, or a column name
 * such as `quantile_0_9`) → its column name.
 */
export function statColumn(stat: string): string {
  try {
    return parseStats(stat)[0]!.column;
  } catch {
    return safeColumnName(stat);
  }
}
