/** `ntl placebo`: randomization inference for the DID coefficient (fake timing / fake units), in parallel. */
import { availableParallelism } from 'node:os';
import { NtlError } from '../errors.js';
import { twfeDid } from '../estimate/did.js';
import { cohortsByUnit, PLACEBO_MODES, summarizePlacebo, type PlaceboMode, type PlaceboSetup } from '../estimate/placebo.js';
import { runPlaceboDraws } from '../estimate/placebo-pool.js';
import { placeboSvg, writePlot } from '../estimate/plot.js';
import { regressionJson } from '../estimate/report.js';
import { writeFileAtomic } from '../output/atomic.js';
import { parseFlags } from './args.js';
import { loadModelPanel, modelArgs, noPositionals, PANEL_FLAGS, PANEL_FLAGS_HELP } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const PLACEBO_HELP = `ntl placebo — placebo (randomization) test of the DID coefficient

Usage:
  ntl placebo --panel P --y Y --treat D --unit U --time T [--draws 500] [--seed 1] [--mode timing|units|both] [options]

  --draws <n>            placebo draws (default 500)
  --seed <n>             seed (integer; default 1). Same seed → identical output bytes, for any --threads
  --mode <m>             timing: the treated units with adoption periods drawn uniformly from the periods
                         after the first; units (default): as many random units as are treated, given the
                         actual adoption periods in random order; both: random units and random periods
  --cohort <col>         adoption period per unit (default: first period with D ≠ 0)
  --threads <n>          worker threads (default: all cores)
  --plot <file.png|svg>  density of the draws with 0 and the actual β marked, written as PNG (1600 px wide)
                         and SVG side by side: f.png and f.svg (default: next to --out as .png + .svg)

Each draw re-estimates the model with D̃_it = 1[t ≥ g̃_i] (same y, controls, fixed effects, weights).
Prints {actual: {coef, se, p}, share_abs_ge (share of draws with |β̃| ≥ |β|), mean, sd, quantiles, draws}.

${PANEL_FLAGS_HELP}`;

const FLAGS = { ...PANEL_FLAGS, draws: { type: 'string' }, seed: { type: 'string' }, mode: { type: 'string' }, cohort: { type: 'string' }, threads: { type: 'string' }, plot: { type: 'string' } } as const;

export async function placeboCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('placebo', argv, FLAGS);
  if (values.help) {
    io.stdout(PLACEBO_HELP);
    return 0;
  }
  noPositionals('placebo', positionals);
  const a = modelArgs('placebo', values, true);
  const draws = values.draws === undefined ? 500 : Number(values.draws);
  if (!Number.isInteger(draws) || draws < 1 || draws > 1_000_000) throw new NtlError(`ntl placebo: --draws must be a whole number from 1 to 1000000, got "${String(values.draws)}"`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new NtlError(`ntl placebo: --seed must be an integer, got "${String(values.seed)}"`);
  const mode = String(values.mode ?? 'units') as PlaceboMode;
  if (!PLACEBO_MODES.includes(mode)) throw new NtlError(`ntl placebo: --mode must be timing, units or both, got "${mode}"`);
  const threads = values.threads === undefined ? availableParallelism() : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new NtlError(`ntl placebo: --threads must be a whole number ≥ 1`);
  if (a.interactions.length > 0) throw new NtlError('ntl placebo: --interact is not supported; the placebo replaces the treatment only');
  const cohortCol = typeof values.cohort === 'string' ? values.cohort : undefined;

  const panel = await loadModelPanel(a, cohortCol ? { optionalNumeric: [cohortCol] } : {});
  const actual = twfeDid(panel, { ...a, treat: a.treat! });
  const unit = panel.factors.get(a.unit)!;
  const cohorts = cohortsByUnit(unit.codes, unit.labels.length, panel.time, cohortCol ? panel.numeric.get(cohortCol)! : null, cohortCol ? null : panel.numeric.get(a.treat!)!);
  const setup: PlaceboSetup = {
    y: panel.y,
    controls: a.controls.map((c) => panel.numeric.get(c)!),
    controlNames: a.controls,
    fe: a.fe.map((f) => panel.factors.get(f)!.codes),
    weights: panel.weights,
    unit: unit.codes,
    time: panel.time,
    cohortByUnit: cohorts,
    periods: Float64Array.from(new Set(panel.time)).sort(),
    mode,
  };
  const betas = await runPlaceboDraws(setup, seed, draws, threads);
  const j = actual.names.indexOf(a.treat!);
  const beta = actual.coef[j]!;
  const summary = summarizePlacebo(betas, beta);
  const plotPath = typeof values.plot === 'string' ? values.plot : a.out && a.out !== '-' ? a.out.replace(/\.json$/i, '') + '.png' : undefined;
  const json = {
    actual: { coef: beta, se: actual.se[j]!, p: actual.p[j]! },
    share_abs_ge: summary.shareAbsGe,
    draws_n: draws,
    draws_failed: summary.failed,
    mean: summary.mean,
    sd: summary.sd,
    quantiles: summary.quantiles,
    mode,
    seed,
    plot: plotPath ?? null,
    model: regressionJson(actual, { fe: a.fe, cluster: a.cluster, ssc: a.ssc, droppedMissing: panel.droppedMissing, notes: panel.notes }),
    draws: summary.draws.map((v) => (Number.isFinite(v) ? v : null)),
  };
  if (plotPath !== undefined) {
    // drawn from the record: draws, 0 and β marked, the fake-date estimate and p-value when the record has them
    const title = mode === 'timing' ? `Placebo: fake adoption dates (${draws} draws)` : `Placebo: random ${mode === 'units' ? 'treated units' : 'units and dates'} (${draws} draws)`;
    await writePlot(placeboSvg(json, { title, xLabel: `placebo coefficient of ${a.treat}` }), plotPath);
  }
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (a.out !== undefined && a.out !== '-') await writeFileAtomic(a.out, text);
  else io.stdout(text);
  return 0;
}
