/** `ntl calibrate intercalibrate`: DMSP inter-calibration with a published coefficient table. */
import { TABLE_NAMES } from '../../calibrate/tables.js';
import { optionalNumber, requireFlag } from '../args.js';
import { correctionsGroup, inputGroup, num, RASTER_OUTPUT, validatedStep, writeRasterVerb } from './shared.js';
import type { FlagDef, Verb, VerbContext } from './verb.js';

/** The table, satellite-year and clamp flags, shared with `composite`. */
export const TABLE_FLAGS: FlagDef[] = [
  { name: 'satellite', value: '<Fnn>', help: "the composite's satellite (F10 … F18)" },
  { name: 'year', value: '<yyyy>', help: 'its year; a satellite-year the table lacks is refused, never guessed' },
  {
    name: 'table',
    value: '<name>',
    help: `${TABLE_NAMES.join(', ')}; default elvidge2014\n(F12 1999 / Sicily; elvidge2009, liu2012: China, Jixi; wu2013: DN' = a·(DN+1)^b − 1)`,
  },
  { name: 'clamp', value: '<x>', help: 'clamp calibrated values at x (e.g. 63); default: keep values above 63' },
];

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
  name: 'intercalibrate',
  summary: 'DMSP inter-calibration with a published table (satellite, year)',
  usage: [
    '--input F101992.tif --satellite F10 --year 1992 [--table elvidge2014] [--clamp 63] --out out.tif',
    '--input F162008.tif --satellite F16 --year 2008 --seam [--seam-region 300] --out seam2008.tif',
  ],
  about:
    "DN' = C0 + C1·DN + C2·DN² (Wu: DN' = a·(DN+1)^b − 1) on lit pixels only; 0 stays 0, 255 is no-data,\nnegatives → 0. Own coefficients: ntl calibrate fit-intercalibration.",
  steps: '{ step: intercalibrate, table, satellite, year, clamp }',
  groups: [inputGroup('DMSP-OLS stable-lights composite (DN)'), { title: 'Inter-calibration', flags: TABLE_FLAGS }, correctionsGroup(), RASTER_OUTPUT],
  run: (ctx) => writeRasterVerb(ctx, null, async () => ({ steps: [intercalibrateStep(ctx)] })),
};
