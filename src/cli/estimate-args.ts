/**
 * Flags shared by the estimate commands (did, eventstudy, placebo, psm-did, spillover and part B's): the panel
 * and its columns, fixed effects, clusters, variance, filters; and how results are written (JSON / tables).
 */
import { NtlError } from '../errors.js';
import { parseInteraction, type Interaction, type ModelOptions } from '../estimate/did.js';
import { preparePanel, type PanelSpec, type PreparedPanel } from '../estimate/prepare.js';
import { regressionTable, TABLE_FORMATS, type TableColumn, type TableFormat } from '../estimate/table.js';
import type { VcovType } from '../estimate/types.js';
import { writeFileAtomic } from '../output/atomic.js';
import { readTable } from '../panel/read-table.js';
import type { FlagSpec, FlagValues } from './args.js';
import { requireFlag } from './args.js';
import type { CommandIo } from './zonal-command.js';

export const PANEL_FLAGS = {
  panel: { type: 'string' },
  y: { type: 'string' },
  treat: { type: 'string' },
  unit: { type: 'string' },
  time: { type: 'string' },
  cluster: { type: 'string' },
  controls: { type: 'string' },
  fe: { type: 'string' },
  weights: { type: 'string' },
  winsor: { type: 'string' },
  drop: { type: 'string', multiple: true },
  interact: { type: 'string', multiple: true },
  vcov: { type: 'string' },
  ssc: { type: 'string' },
  table: { type: 'string' },
  digits: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpec;

export const PANEL_FLAGS_HELP = `Panel and model:
  --panel <file>         CSV or Parquet panel, one row per unit × time
  --y <col>              outcome (numeric)
  --treat <col>          treatment: 0/1 or an intensity (e.g. post × poor population)
  --unit <col>           unit identifier (text or number)
  --time <col>           time period (numeric, e.g. year)
  --controls a,b         numeric control variables
  --fe a,b,...           absorbed fixed effects (default: unit,time); any number of columns
  --interact A:B         add A×B (numeric B); A:i.B adds A×1[B=level] per level of B, replacing A
                         (stage-specific effects); repeat or comma-separate. Triple difference: D:het;
                         mechanism: --controls M --interact D:M
  --weights <col>        analytic weights (≥ 0; 0 leaves the row out)
  --cluster a[,b]        cluster variable(s) (default: unit); two names = two-way clustering
  --vcov cr1|hc1|iid     variance (default cr1 = cluster-robust)
  --ssc nested|full      K in the small-sample factor: nested (default; FE nested in the cluster are not
                         counted — reghdfe, xtreg fe, fixest) or full (every FE — areg, estimatr "stata")
  --drop COL=VAL         drop rows whose COL equals VAL (text match); repeatable; applied first
  --winsor p             winsorize y at the p and 1−p quantiles of the estimation sample (after --drop and
                         missing values), quantiles as Stata _pctile / winsor2 (R type 2); 0 < p < 0.5
Output:
  --out <file.json>      JSON result (default: standard output)
  --table md|tex|csv     also print a journal-style table to standard output (JSON then goes to --out only)
  --digits <n>           decimals in the table (default 3)
Missing values in any used column drop the row (listwise; counted in "missing_dropped").
`;

export interface ModelArgs extends ModelOptions {
  readonly panelPath: string;
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  readonly treat?: string;
  readonly weights?: string;
  readonly drops: { column: string; value: string }[];
  readonly winsor?: number;
  readonly interactions: Interaction[];
  readonly table?: TableFormat;
  readonly digits: number;
  readonly out?: string;
}

const list = (v: unknown): string[] =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];

const multi = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap((s) => list(s)) : list(v));

export function modelArgs(command: string, values: FlagValues, needTreat: boolean): ModelArgs {
  const raw = values as Record<string, unknown>;
  const unit = requireFlag(command, values, 'unit');
  const time = requireFlag(command, values, 'time');
  const vcovText = String(values.vcov ?? 'cr1').toLowerCase();
  const vcovMap: Record<string, VcovType> = { cr1: 'CR1', hc1: 'HC1', iid: 'iid' };
  const vcov = vcovMap[vcovText];
  if (!vcov) throw new NtlError(`ntl ${command}: --vcov must be cr1, hc1 or iid, got "${String(values.vcov)}"`);
  const ssc = String(values.ssc ?? 'nested');
  if (ssc !== 'nested' && ssc !== 'full') throw new NtlError(`ntl ${command}: --ssc must be nested or full, got "${ssc}"`);
  const cluster = values.cluster === undefined ? [unit] : list(values.cluster);
  if (cluster.length === 0 || cluster.length > 2) throw new NtlError(`ntl ${command}: --cluster takes one or two column names, got "${String(values.cluster)}"`);
  const fe = values.fe === undefined ? [unit, time] : list(values.fe);
  let winsor: number | undefined;
  if (values.winsor !== undefined) {
    winsor = Number(values.winsor);
    if (!(winsor > 0 && winsor < 0.5)) throw new NtlError(`ntl ${command}: --winsor must be a share between 0 and 0.5 (e.g. 0.01), got "${String(values.winsor)}"`);
  }
  const drops = multi(raw.drop).map((d) => {
    const eq = d.indexOf('=');
    if (eq <= 0) throw new NtlError(`ntl ${command}: --drop "${d}" must look like COL=VAL`);
    return { column: d.slice(0, eq), value: d.slice(eq + 1) };
  });
  const table = values.table === undefined ? undefined : String(values.table);
  if (table !== undefined && !TABLE_FORMATS.includes(table as TableFormat)) throw new NtlError(`ntl ${command}: --table must be md, tex or csv, got "${table}"`);
  const digits = values.digits === undefined ? 3 : Number(values.digits);
  if (!Number.isInteger(digits) || digits < 0 || digits > 12) throw new NtlError(`ntl ${command}: --digits must be a whole number 0–12`);
  return {
    panelPath: requireFlag(command, values, 'panel'),
    y: requireFlag(command, values, 'y'),
    treat: needTreat ? requireFlag(command, values, 'treat') : typeof values.treat === 'string' ? values.treat : undefined,
    unit,
    time,
    controls: list(values.controls),
    fe,
    cluster,
    vcov,
    ssc,
    weights: typeof values.weights === 'string' ? values.weights : undefined,
    drops,
    winsor,
    interactions: multi(raw.interact).map(parseInteraction),
    table: table as TableFormat | undefined,
    digits,
    out: typeof values.out === 'string' ? values.out : undefined,
  };
}

/** Read and prepare the panel for a model; `extra` adds the command's own columns. */
export async function loadModelPanel(a: ModelArgs, extra: Partial<Pick<PanelSpec, 'numeric' | 'optionalNumeric' | 'factors'>> = {}): Promise<PreparedPanel> {
  const table = await readTable(a.panelPath);
  const inter = a.interactions;
  return preparePanel(table, {
    y: a.y,
    unit: a.unit,
    time: a.time,
    treat: a.treat,
    numeric: [...(a.treat ? [a.treat] : []), ...a.controls, ...inter.map((i) => i.a), ...inter.filter((i) => !i.byLevel).map((i) => i.b), ...(extra.numeric ?? [])],
    optionalNumeric: extra.optionalNumeric,
    factors: [...a.fe, ...(a.vcov === 'CR1' ? a.cluster : []), ...inter.filter((i) => i.byLevel).map((i) => i.b), ...(extra.factors ?? [])],
    weights: a.weights,
    drops: a.drops,
    winsor: a.winsor,
  });
}

/** Write the JSON (to --out, else stdout unless a table goes there) and the optional table. */
export async function emitResult(a: ModelArgs, io: CommandIo, json: unknown, columns: readonly TableColumn[], keep?: readonly string[]): Promise<void> {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (a.out !== undefined && a.out !== '-') await writeFileAtomic(a.out, text);
  else if (a.table === undefined) io.stdout(text);
  if (a.table !== undefined) io.stdout(regressionTable(columns, a.table, { digits: a.digits, keep }));
}

export function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new NtlError(`ntl ${command}: unexpected argument "${positionals[0]}"; see \`ntl ${command} --help\``);
}

/** `--window -5,5` / `--ref -1`: node's parseArgs reads a leading "-" as a flag; glue negative numbers on. */
export function glueNegativeValues(argv: readonly string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (flags.includes(a) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}
