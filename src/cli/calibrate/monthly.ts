/** `ntl calibrate monthly`: a year's months of a multi-band VIIRS cube → one annual composite. */
import { annualBands, writeAnnualComposite } from '../../calibrate/monthly.js';
import { optionalNumber, requireFlag } from '../args.js';
import { encodingFlags, guardOutputs } from './shared.js';
import { MONTHLY_SPEC } from '../specs/calibrate.js';
import type { Verb } from './verb.js';

export const monthlyVerb: Verb = {
  ...MONTHLY_SPEC,
  run: async (ctx) => {
    const { cmd, values, io } = ctx;
    const out = requireFlag(cmd, values, 'out');
    guardOutputs(ctx, [{ flag: '--out', path: out, example: 'calibrated.tif' }]);
    const enc = encodingFlags(ctx);
    const cube = requireFlag(cmd, values, 'input');
    const datesPath = requireFlag(cmd, values, 'dates');
    requireFlag(cmd, values, 'year');
    const year = optionalNumber(cmd, values, 'year', Number.isInteger, 'a year')!;
    const { bands, duplicates } = annualBands(datesPath, year);
    for (const d of duplicates) io.stderr(`ntl: warning: ${datesPath}: date ${d} repeats an earlier band; used once\n`);
    const coverage = typeof values.coverage === 'string' ? values.coverage : null;
    // the composite is a mean: auto stays float32
    const dtype = enc.dtype === 'auto' ? 'float32' : enc.dtype;
    const nodata = dtype.startsWith('float') ? NaN : (enc.nodata ?? (dtype === 'uint8' ? 255 : -1));
    await writeAnnualComposite(cube, coverage, bands, { path: out, dtype, nodata, level: enc.level, predictor: enc.predictor }, ctx.threads);
    io.stderr(`ntl: wrote ${out}: ${year} from ${bands.length} months${coverage ? ', weighted by cloud-free coverage' : ''}\n`);
    return 0;
  },
};
