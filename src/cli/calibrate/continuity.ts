/** `ntl calibrate continuity`: the Liu et al. (2012) inter-annual rule over a series → one raster per year. */
import { writeContinuityFolder } from '../../calibrate/continuity-stream.js';
import { CONTINUITY_SPEC } from '../specs/calibrate.js';
import type { ContinuityVariant } from '../../calibrate/composite.js';
import { requireFlag } from '../args.js';
import { guardOutputs, parseSeriesArg, validatedStep } from './shared.js';
import type { Verb } from './verb.js';

export const continuityVerb: Verb = {
  ...CONTINUITY_SPEC,
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
