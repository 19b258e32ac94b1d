/** `ntl dagum`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { minGroupSizeText } from '../../inequality/group-size-text.js';
import { TABLE_TIME_TYPES, UNIT_TEXT } from '../../inequality/table-input.js';
import { timeTypeArg, timeTypeText } from '../../panel/period.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const DAGUM_FLAGS = {
  panel: { type: 'string', arg: '<file>', help: 'panel (CSV or Parquet), one row per unit (e.g. county × year)' },
  y: { type: 'string', arg: '<col>', aliases: ['value'], help: 'the measured level (e.g. mean); must be ≥ 0 — negative values are an error' },
  group: { type: 'string', arg: '<col>', help: 'groups (e.g. parent_id: prefecture city)' },
  time: { type: 'string', arg: '<col>', aliases: ['by'], help: 'period column: one decomposition per period (e.g. year)' },
  'time-type': { type: 'string', arg: timeTypeArg(TABLE_TIME_TYPES), help: timeTypeText('--time', TABLE_TIME_TYPES) },
  unit: { type: 'string', arg: '<col>', help: UNIT_TEXT },
  where: {
    type: 'string',
    multiple: true,
    arg: 'COL=VAL',
    help: "keep only these rows (repeatable), e.g. --where source=viirs_like; required when the panel's source column holds several series",
  },
  weights: {
    type: 'string',
    arg: '<col>',
    aliases: ['weight'],
    help: 'population weights: unit i counts as w_i people (Gini with Σ w_i w_r |y_i − y_r| / (2 W² μ_w))',
  },
  'min-group-size': { type: 'string', arg: '<N>', help: minGroupSizeText('G_jj') },
  format: {
    type: 'string',
    arg: 'json|csv',
    default: 'json',
    help: 'csv: <out> gets one row per (time, group) with G_jj (first column named after --time, second after --group); <out base>_summary.csv one row per period (G, Gw, Gnb, Gt, shares); <out base>_pairs.csv one row per group pair',
  },
  out: { type: 'string', arg: '<file>', help: 'output file (default: JSON on standard output; csv needs --out)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const DAGUM_HELP = `${commandHelp(
  `ntl dagum — Dagum (1997) Gini decomposition: G = Gw + Gnb + Gt

Usage:
  ntl dagum --panel <P.csv|P.parquet> --y <col> --group <col> [--time <col> [--time-type <t>]] [--unit <col>]
            [--weights <col>] [--where col=value] [--min-group-size <N>] [--format json|csv] [--out <file>]`,
  DAGUM_FLAGS,
  '',
  21,
)}
JSON (stable shape; shares in percent of G; groups by id, string order; pairs richer group j first, by j then h):
  {"results": [{"by": 2012, "n": 122, "n_missing": 0, "k": 14, "mean": …, "G": …, "Gw": …, "Gnb": …, "Gt": …,
    "shares": {"Gw": …, "Gnb": …, "Gt": …},
    "groups": [{"id": "430100", "n": 9, "mean": …, "G_jj": …}],
    "pairs": [{"j": "430100", "h": "430200", "G_jh": …, "D_jh": …}]}]}
  "by" is the period (null without --time); with --weights, "weight" (Σ w) is added to each result and group.
  Missing values (empty, NA) are dropped and counted in n_missing. A group with fewer than --min-group-size
  units (default 2: a single county) or whose values are all 0 is reported with G_jj null (undefined) and a
  warning; it still counts in G, Gw, Gnb, Gt and the pairs. A year with fewer units in all has G … Gt null.
  null never means 0.
`;
