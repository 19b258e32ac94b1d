/** `ntl calibrate intercalibrate`: DMSP inter-calibration with a published coefficient table. */

import { optionalNumber, requireFlag } from '../args.js';
import { num, validatedStep, writeRasterVerb } from './shared.js';
import { INTERCALIBRATE_SPEC } from '../specs/calibrate.js';
import type { Verb, VerbContext } from './verb.js';

/** The intercalibrate step from --table, --satellite, --year, --clamp. */
export function intercalibrateStep(ctx: VerbContext) {
  const { values, cmd } = ctx;
  const satellite = requireFlag(cmd, values, 'satellite');
  requireFlag(cmd, values, 'year');
  // checked here, not by the step schema, so the message says what a year looks like
  optionalNumber(cmd, values, 'year', Number.isInteger, 'a year such as 1992');
  return validatedStep(
    ctx,
    { step: 'intercalibrate', table: values.table, satellite, year: num(values, 'year'), clamp: num(values, 'clamp') },
    { table: 'table', year: 'year', clamp: 'clamp' },
  );
}

export const intercalibrateVerb: Verb = {
  ...INTERCALIBRATE_SPEC,
  run: (ctx) => writeRasterVerb(ctx, null, async () => ({ steps: [intercalibrateStep(ctx)] })),
};
