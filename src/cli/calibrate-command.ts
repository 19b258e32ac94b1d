/**
 * `ntl calibrate <verb>`: DMSP inter-calibration, composites, VIIRS denoising, monthly → annual composites, the
 * corrections (saturation, VANUI, SEAM, Pareto), continuity, harmonisation and the continuity report — one small
 * module per verb (src/cli/calibrate/) over the library in src/calibrate, each verb a pipeline `calibrate:` step
 * validated by the same schema. The flag-style form of earlier releases still runs, through its verb, with a warning.
 */
import { NtlError } from '../errors.js';
import { compositeVerb } from './calibrate/composite.js';
import { continuityVerb } from './calibrate/continuity.js';
import { paretoVerb, seamVerb, vanuiVerb } from './calibrate/corrections.js';
import { denoiseVerb } from './calibrate/denoise.js';
import { fitIntercalibrationVerb } from './calibrate/fit-intercalibration.js';
import { harmoniseVerb } from './calibrate/harmonise.js';
import { intercalibrateVerb } from './calibrate/intercalibrate.js';
import { shellLine, translateLegacy } from './calibrate/legacy.js';
import { monthlyVerb } from './calibrate/monthly.js';
import { reportVerb } from './calibrate/report.js';
import { saturationVerb } from './calibrate/saturation.js';
import { runVerb, verbHelp, type Verb } from './calibrate/verb.js';
import { CALIBRATE_HELP } from './specs/calibrate.js';
import type { CommandIo } from './zonal-command.js';

/** The verbs with their run, in the order of their specs (VERB_SPECS, the help's order). */
const VERB_LIST: readonly Verb[] = [
  intercalibrateVerb,
  compositeVerb,
  fitIntercalibrationVerb,
  denoiseVerb,
  monthlyVerb,
  saturationVerb,
  vanuiVerb,
  seamVerb,
  paretoVerb,
  continuityVerb,
  harmoniseVerb,
  reportVerb,
];
export const CALIBRATE_VERBS: Readonly<Record<string, Verb>> = Object.fromEntries(VERB_LIST.map((v) => [v.name, v]));

export async function calibrateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const [first, ...rest] = argv;
  // Nothing at all: a usage error of `ntl calibrate` itself (exit 2), naming the verbs.
  if (first === undefined) throw new NtlError(`ntl calibrate: give a verb first: ${Object.keys(CALIBRATE_VERBS).join(', ')} (see \`ntl calibrate --help\`)`, 2);
  if (first === '--help' || first === '-h' || first === 'help') {
    const verb = first === 'help' && rest[0] !== undefined ? CALIBRATE_VERBS[rest[0]] : undefined;
    io.stdout(verb ? verbHelp(verb) : CALIBRATE_HELP);
    return 0;
  }
  const verb = CALIBRATE_VERBS[first];
  if (verb) return runVerb(verb, rest, io);
  if (!first.startsWith('-') && !/^\d{4}(:[^=]+)?=/.test(first)) {
    throw new NtlError(`ntl calibrate: unknown verb "${first}"; verbs: ${Object.keys(CALIBRATE_VERBS).join(', ')} (see \`ntl calibrate --help\`)`);
  }
  // the flag-style form of earlier releases
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(CALIBRATE_HELP);
    return 0;
  }
  const t = translateLegacy(argv, CALIBRATE_VERBS);
  io.stderr(
    `ntl: warning: flag-style \`ntl calibrate --…\` is deprecated and will be removed in the next release; use: ntl calibrate ${t.verb} ${shellLine(t.argv)}\n`,
  );
  if (t.ignored.length) io.stderr(`ntl: warning: ${t.ignored.join(', ')} had no effect in this form and ${t.ignored.length > 1 ? 'are' : 'is'} left out\n`);
  return runVerb(CALIBRATE_VERBS[t.verb]!, t.argv, io);
}
