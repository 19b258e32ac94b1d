/** `ntl calibrate composite`: two satellites of one year, each inter-calibrated, combined pixel by pixel. */
import { NtlError } from '../../errors.js';
import { requireFlag } from '../args.js';
import { intercalibrateStep, TABLE_FLAGS } from './intercalibrate.js';
import { correctionsGroup, inputGroup, RASTER_OUTPUT, validatedStep, writeRasterVerb } from './shared.js';
import type { Verb } from './verb.js';

export const compositeVerb: Verb = {
  name: 'composite',
  summary: 'two satellites of a year: inter-calibrate both with one table, combine',
  usage: ['--input F141999.tif --satellite F14 --year 1999 --with F121999.tif --with-satellite F12 [--rule liu|mean] --out 1999.tif'],
  about:
    'Both images are inter-calibrated with the same table and year (and clamp), then combined: liu (Liu et al. 2012;\ndefault): 0 if either is 0, else the mean; mean: the plain mean (HSW 2012). Grids must be identical.',
  steps: '{ step: intercalibrate, … } then { step: composite, rule } (with duplicates: composite on the series)',
  groups: [
    inputGroup("the first satellite's composite (DN)"),
    { title: 'Inter-calibration (both images)', flags: TABLE_FLAGS },
    {
      title: 'Composite',
      flags: [
        { name: 'with', value: '<file>', help: "the second satellite's composite of the same year (same grid)", reads: true },
        { name: 'with-satellite', value: '<Fnn>', help: 'its satellite (calibrated with the same table and year)' },
        { name: 'rule', value: 'liu|mean', help: 'liu (default): 0 if either is 0, else the mean; mean: plain mean' },
      ],
    },
    correctionsGroup(),
    RASTER_OUTPUT,
  ],
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
