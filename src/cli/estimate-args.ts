/**
 * Flags shared by the estimate commands (did, eventstudy, placebo, psm-did, spillover and part B's): the panel
 * and its columns, fixed effects, clusters, variance, filters; and how results are written (JSON / tables).
 */
import { NtlError } from '../errors.js';
import { runModel, type ModelKind, type ModelResult, type ModelSpec, type RunOptions } from '../estimate/api.js';
import { parseInteraction } from '../estimate/did.js';
import { numberFlag, outcomeTransformSchema, parseOptions, type OutcomeTransform } from '../estimate/options.js';
import { twinPlotPath, writePlot } from '../estimate/plot.js';
import { regressionTable, TABLE_FORMATS, type TableFormat } from '../estimate/table.js';
import type { VcovType } from '../estimate/types.js';
import { writeFileAtomic } from '../output/atomic.js';
import { parseTimeType } from '../panel/period.js';
import { parseConditions, parseWhere, readTableWhere, type RowCondition } from '../panel/where.js';
import { ESTIMATE_TIME_TYPES } from '../estimate/prepare.js';
import { assertFigurePath, assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { FlagValues } from './args.js';
import { requireFlag } from './args.js';
import { multiValues } from './flags.js';
import type { CommandIo } from './zonal-command.js';

export { commandHelp } from './flags.js';

export interface ModelArgs extends ModelSpec {
  readonly panelPath: string;
  /** --where: rows kept before anything else (src/panel/where.ts). */
  readonly where: readonly RowCondition[];
  readonly table?: TableFormat;
  readonly digits: number;
  readonly out?: string;
}

const list = (v: unknown): string[] =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];

const multi = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap((s) => list(s)) : list(v));

/** --y-transform T (and --winsor p, which alone means --y-transform winsor) through the shared schema. */
export function transformArgs(command: string, values: FlagValues): OutcomeTransform | undefined {
  const t = values['y-transform'];
  const p = numberFlag(values.winsor);
  if (t === undefined && p === undefined) return undefined;
  const parsed = parseOptions(command, outcomeTransformSchema, { transform: t ?? 'winsor', p }, { transform: 'y-transform', p: 'winsor' });
  return parsed.transform === 'none' ? undefined : parsed;
}

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
  if (cluster.length === 0 || cluster.length > 2)
    throw new NtlError(`ntl ${command}: --cluster takes one or two column names, got "${String(values.cluster)}"`);
  const fe = values.fe === undefined ? [unit, time] : list(values.fe);
  const drops = parseConditions(command, '--drop', multiValues(values, 'drop'));
  const table = parseFormat(command, values.format);
  const digits = values.digits === undefined ? 3 : Number(values.digits);
  if (!Number.isInteger(digits) || digits < 0 || digits > 12)
    throw new NtlError(`ntl ${command}: --digits must be a whole number 0–12, got "${String(values.digits)}"`);
  return {
    panelPath: requireFlag(command, values, 'panel'),
    y: requireFlag(command, values, 'y'),
    treat: needTreat ? requireFlag(command, values, 'treat') : typeof values.treat === 'string' ? values.treat : undefined,
    unit,
    time,
    timeType: estimateTimeType(command, values),
    controls: list(values.controls),
    fe,
    cluster,
    vcov,
    ssc,
    weights: typeof values.weights === 'string' ? values.weights : undefined,
    drops,
    transform: transformArgs(command, values),
    interactions: multi(raw.interact).map(parseInteraction),
    table,
    digits,
    where: parseWhere(command, multiValues(values, 'where')),
    out: typeof values.out === 'string' ? values.out : undefined,
  };
}

/** --time-type of the estimators: integer (default) or continuous. */
export function estimateTimeType(command: string, values: FlagValues): 'integer' | 'continuous' {
  const why =
    'the estimators order periods (event time, first treated period), so periods must be numbers — code labels such as 2015Q1 as numbers (e.g. 2015.0, 2015.25) with --time-type continuous';
  return parseTimeType(command, values['time-type'], ESTIMATE_TIME_TYPES, why) as 'integer' | 'continuous';
}

/** The figure path: --plot, else next to a JSON --out as .png; none when the JSON goes to standard output. */
export function plotPath(a: Pick<ModelArgs, 'out'>, plot: unknown): string | undefined {
  if (typeof plot === 'string' && plot !== '') return plot;
  return a.out && a.out !== '-' ? a.out.replace(/\.json$/i, '') + '.png' : undefined;
}

/**
 * Before any estimation: the JSON (--out) and the figure (--plot, or its default next to --out) must not be the
 * panel or each other, and a figure must be named .png or .svg. Called by every estimate command.
 */
export function guardModelOutputs(
  command: string,
  panelPath: string,
  out: string | undefined,
  plot?: { readonly path: string | undefined; readonly explicit: boolean },
): void {
  if (plot?.explicit) assertFigurePath(command, '--plot', plot.path);
  const figure = plot?.explicit ? '--plot' : 'the figure (next to --out)';
  // A figure is written twice, as f.png and f.svg: the twin must not be an input or the JSON either.
  const twin = plot?.path !== undefined ? twinPlotPath(plot.path) : undefined;
  assertOutputsAreNotInputs(
    command,
    [
      { flag: '--out', path: out, example: 'result.json' },
      ...(plot
        ? [
            { flag: figure, path: plot.path, example: 'figure.png' },
            { flag: `the ${/\.svg$/i.test(twin ?? '') ? 'SVG' : 'PNG'} copy of ${figure}`, path: twin },
          ]
        : []),
    ],
    [{ flag: '--panel', path: panelPath }],
  );
}

/**
 * Present a model result: figure (if asked), JSON to --out (else standard output unless a table goes there),
 * the optional table, and the design warnings on standard error.
 */
export async function emitModel(
  a: Pick<ModelArgs, 'out' | 'table' | 'digits'>,
  io: CommandIo,
  r: ModelResult,
  plot?: string,
  keep?: readonly string[],
): Promise<void> {
  const record: Record<string, unknown> = { ...r.record };
  if (r.figure !== undefined || plot !== undefined) {
    if (plot !== undefined && r.figure !== undefined) await writePlot(r.figure, plot);
    record.plot = plot !== undefined && r.figure !== undefined ? plot : null;
  }
  const text = `${JSON.stringify(record, null, 2)}\n`;
  if (a.out !== undefined && a.out !== '-') await writeFileAtomic(a.out, text);
  else if (a.table === undefined) io.stdout(text);
  if (a.table !== undefined) io.stdout(r.customTable ? r.customTable(a.table, a.digits) : regressionTable(r.columns, a.table, { digits: a.digits, keep }));
  for (const w of r.warnings) io.stderr(`ntl: warning: ${w}\n`);
}

/** --format: json (the default: undefined) or a table format md | tex | csv. */
export function parseFormat(command: string, v: unknown): TableFormat | undefined {
  if (v === undefined || v === 'json') return undefined;
  if (typeof v !== 'string' || !(TABLE_FORMATS as readonly string[]).includes(v))
    throw new NtlError(`ntl ${command}: --format must be json, md, tex or csv, got "${String(v)}"`);
  return v as TableFormat;
}

/** The panel file with the --where rows kept (every panel command reads its panel here). */
export const readPanel = readTableWhere;

/** Read the panel file and run a model on it (the commands' shared path). */
export async function runModelOnFile(kind: ModelKind, a: ModelArgs, opts: RunOptions = {}): Promise<ModelResult> {
  return runModel(kind, await readPanel(a.panelPath, a.where), a, opts);
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
