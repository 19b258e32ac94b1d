/** `ntl eventstudy`: dynamic effects by period relative to adoption, with a coefficient plot. */
import { NtlError } from '../errors.js';
import { eventStudy } from '../estimate/eventstudy.js';
import { eventStudySvg, writePlot } from '../estimate/plot.js';
import { finiteOrNull, regressionJson } from '../estimate/report.js';
import { parseFlags } from './args.js';
import { emitResult, glueNegativeValues, loadModelPanel, modelArgs, noPositionals, PANEL_FLAGS, PANEL_FLAGS_HELP } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const EVENTSTUDY_HELP = `ntl eventstudy — event-study coefficients by period relative to adoption

Usage:
  ntl eventstudy --panel P --y Y --unit U --time T --cohort G [--window -5,5] [--ref -1] [--plot F.png] [options]

  --cohort <col>         first treated period of the unit; empty, NA, 0 = never treated (the controls)
  --window lo,hi         relative periods estimated (default -5,5); earlier/later periods are binned
                         into the endpoints
  --ref <r>              omitted reference period (default -1)
  --plot <file.png|svg>  coefficient plot with 95 % intervals, written as PNG (1600 px wide) and SVG side by
                         side: f.png and f.svg (default: next to --out as .png + .svg, if --out)

Prints {periods: [{rel, coef, se, p, lo, hi, reference}], coef, se, ...} with regressors rel_<r>.

${PANEL_FLAGS_HELP}`;

const FLAGS = { ...PANEL_FLAGS, cohort: { type: 'string' }, window: { type: 'string' }, ref: { type: 'string' }, plot: { type: 'string' } } as const;

export async function eventstudyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('eventstudy', glueNegativeValues(argv, ['--window', '--ref']), FLAGS);
  if (values.help) {
    io.stdout(EVENTSTUDY_HELP);
    return 0;
  }
  noPositionals('eventstudy', positionals);
  const a = modelArgs('eventstudy', values, false);
  const cohort = typeof values.cohort === 'string' && values.cohort !== '' ? values.cohort : null;
  if (cohort === null) throw new NtlError('ntl eventstudy: --cohort is required (the column with each unit\'s first treated period); see `ntl eventstudy --help`');
  const win = String(values.window ?? '-5,5').split(',').map(Number);
  if (win.length !== 2 || !win.every(Number.isInteger) || !(win[0]! < win[1]!)) throw new NtlError(`ntl eventstudy: --window must be two whole numbers lo,hi with lo < hi (e.g. -5,5), got "${String(values.window)}"`);
  const ref = values.ref === undefined ? -1 : Number(values.ref);
  if (!Number.isInteger(ref) || ref < win[0]! || ref > win[1]!) throw new NtlError(`ntl eventstudy: --ref must be a whole number inside the window, got "${String(values.ref)}"`);
  const panel = await loadModelPanel({ ...a, treat: undefined }, { optionalNumeric: [cohort] });
  const es = eventStudy(panel, { ...a, cohort, window: [win[0]!, win[1]!], ref });
  const periods = es.periods.map((p) => ({ rel: p.rel, coef: p.coef, se: p.se, p: p.p === null ? null : finiteOrNull(p.p), lo: p.lo, hi: p.hi, reference: p.reference }));
  const plotPath = typeof values.plot === 'string' ? values.plot : a.out && a.out !== '-' ? a.out.replace(/\.json$/i, '') + '.png' : undefined;
  const json = { periods, ...regressionJson(es.result, { fe: a.fe, cluster: a.cluster, ssc: a.ssc, droppedMissing: panel.droppedMissing, notes: panel.notes }), cohort, window: win, ref, plot: plotPath ?? null };
  if (plotPath !== undefined) {
    // drawn from the record's periods, so the x-axis shows their labels ("≤ -4", …) and binned endpoints hollow
    await writePlot(eventStudySvg(json.periods, { title: `Event study: ${a.y}`, ref }), plotPath);
  }
  await emitResult(a, io, json, [{ title: `(1) ${a.y}`, result: es.result, fe: a.fe }]);
  return 0;
}
