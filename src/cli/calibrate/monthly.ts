/** `ntl calibrate monthly`: a year's months of a multi-band VIIRS cube → one annual composite. */
import { annualBands, writeAnnualComposite } from '../../calibrate/monthly.js';
import { optionalNumber, requireFlag } from '../args.js';
import { encodingFlags, guardOutputs, RASTER_OUTPUT } from './shared.js';
import type { Verb } from './verb.js';

export const monthlyVerb: Verb = {
  name: 'monthly',
  summary: 'monthly → annual composite from a multi-band cube and its band dates',
  usage: ['--input cube.tif --dates band_dates.csv --year 2013 [--coverage cloudfree.tif] --out viirs2013.tif'],
  about:
    "The mean of the year's months, weighted by the coverage cube's cloud-free counts (same bands) when given;\na date listed twice is used once. The composite is float (--out-type auto writes float32).",
  groups: [
    {
      title: 'Input',
      flags: [
        { name: 'input', value: '<file>', help: 'the monthly cube: one band per month', reads: true },
        { name: 'dates', value: '<csv>', help: 'band → date table (columns band, date YYYY-MM-DD)', reads: true },
        { name: 'year', value: '<yyyy>', help: 'the year to composite' },
        { name: 'coverage', value: '<file>', help: 'cloud-free observation counts, same bands and grid (weights)', reads: true },
      ],
    },
    RASTER_OUTPUT,
  ],
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
