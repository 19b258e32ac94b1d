/** `ntl calibrate composite`: two satellites of one year, each inter-calibrated, combined pixel by pixel. */
import { NtlError } from '../../errors.js';
import { requireFlag } from '../args.js';
import { intercalibrateStep } from './intercalibrate.js';
import { validatedStep, writeRasterVerb } from './shared.js';
import { COMPOSITE_SPEC } from '../specs/calibrate.js';
import type { Verb } from './verb.js';

export const compositeVerb: Verb = {
  ...COMPOSITE_SPEC,
  run: (ctx) =>
    writeRasterVerb(ctx, null, async () => {
      const first = intercalibrateStep(ctx);
      const other = requireFlag(ctx.cmd, ctx.values, 'with');
      if (typeof ctx.values['with-satellite'] !== 'string' || ctx.values['with-satellite'] === '') {
        throw new NtlError(`ntl ${ctx.cmd}: --with needs --with-satellite (the second image's satellite, e.g. F12); see \`ntl ${ctx.cmd} --help\``);
      }
      const satellite = ctx.values['with-satellite'];
      const composite = validatedStep(ctx, { step: 'composite', rule: ctx.values.rule, satellite }, { rule: 'rule' });
      return { steps: [first, composite], aux: { composite: other } };
    }),
};
