/** `ntl calibrate continuity`: the Liu et al. (2012) inter-annual rule over a series → one raster per year. */
import { writeContinuityFolder } from '../../calibrate/continuity-stream.js';
import type { ContinuityVariant } from '../../calibrate/composite.js';
import { requireFlag } from '../args.js';
import { guardOutputs, NODATA_AS_ZERO, parseSeriesArg, validatedStep } from './shared.js';
import type { Verb } from './verb.js';

export const continuityVerb: Verb = {
  name: 'continuity',
  summary: 'inter-annual continuity over years (inputs already inter-calibrated) → a folder',
  usage: ['[--variant sequential|original] 1992=F101992.tif 1993=F101993.tif … --out DIR   (writes DIR/1992.tif …)'],
  about:
    'sequential (default): DN(n) = 0 if DN(n+1) = 0, else max(DN(n), corrected DN(n−1)) — Liu-style papers;\noriginal: the same with the uncorrected DN(n−1). First and last years are copied unchanged; at least 3 years,\none raster per year (composite two satellites first), all on one grid. Output float32, no-data NaN.',
  steps: '{ step: continuity, variant }',
  positionals: 'YEAR=FILE …',
  groups: [
    {
      title: 'Series',
      flags: [{ name: 'variant', value: 'sequential|original', help: 'which previous year the rule compares with (default sequential)' }, NODATA_AS_ZERO],
    },
    { title: 'Output', flags: [{ name: 'out', value: '<folder>', help: 'the folder (created) that receives YEAR.tif per input year' }] },
  ],
  run: async (ctx) => {
    const { cmd, values, io } = ctx;
    const out = requireFlag(cmd, values, 'out');
    const series = ctx.positionals.map((a) => parseSeriesArg(cmd, a));
    guardOutputs(ctx, [{ flag: '--out', path: out, folderFiles: series.map((s) => `${s.year}.tif`) }], series);
    const variant = (validatedStep(ctx, { step: 'continuity', variant: values.variant }, { variant: 'variant' }) as { variant: ContinuityVariant }).variant;
    const r = await writeContinuityFolder(series, variant, out, { nodataAsZero: !!values['nodata-as-zero'], threads: ctx.threads });
    r.years.forEach((year, t) => {
      if (t > 0 && t < r.years.length - 1)
        io.stderr(`ntl: continuity ${year}: ${r.counts.zeroed[t]} pixels set to 0 (dark next year), ${r.counts.raised[t]} raised to the previous year\n`);
    });
    io.stderr(`ntl: wrote ${r.years.length} rasters to ${out} (continuity, ${variant})\n`);
    return 0;
  },
};
