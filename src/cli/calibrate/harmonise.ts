/**
 * `ntl calibrate harmonise`: DMSP ↔ VIIRS harmonisation. Fit (pixel pairs of two rasters, or district pairs of a
 * table) → a JSON fit; `--apply FIT` converts a VIIRS raster to DMSP-like DN with a stored fit.
 */
import { z } from 'zod';
import { describeHarmonisationFit, fitHarmonisationFiles, harmonisationStep } from '../../calibrate/harmonise-fit.js';
import { HARMONISE_FIT_FIELDS, HARMONISE_MODELS } from '../../calibrate/harmonise.js';
import { writeFileAtomic } from '../../output/atomic.js';
import { NtlError } from '../../errors.js';
import { requireFlag } from '../args.js';
import { correctionsGroup, guardOutputs, inputGroup, num, RASTER_OUTPUT, validated, validatedStep, writeRasterVerb } from './shared.js';
import { acceptedFlags, type FlagGroup, type Verb, type VerbContext } from './verb.js';

const FIT_GROUPS: FlagGroup[] = [
  {
    title: 'Fit',
    flags: [
      { name: 'model', value: '<m>', help: `${HARMONISE_MODELS.join(' | ')} (default loglinear):\nDN = a + b·ln x | a·x^b | a + b/(1 + exp(−c(ln x − d)))` },
      { name: 'dmsp', value: '<file>', help: 'pixel level: the DMSP raster of an overlap year', reads: true },
      { name: 'viirs', value: '<file>', help: 'pixel level: the VIIRS raster of that year, area-weighted onto the DMSP grid (grids must nest)', reads: true },
      { name: 'sigma', value: '<px>', help: 'pixel level: Gaussian smoothing of the aggregated VIIRS, in DMSP pixels (default 0 = none)' },
      { name: 'min-dn', value: '<x>', help: 'pixel level: use only pixels with DMSP DN ≥ x (Li et al. 2020 advise DN > 7; default 0)' },
      { name: 'pairs', value: '<table>', help: 'district level: one row per district (e.g. ntl zonal outputs), CSV or Parquet', reads: true },
      { name: 'x', value: '<col>', help: 'district level: the VIIRS column', needs: 'pairs' },
      { name: 'y', value: '<col>', help: 'district level: the DMSP column', needs: 'pairs' },
    ],
  },
];
const APPLY_GROUP: FlagGroup = {
  title: 'Apply (--apply)',
  flags: [
    { name: 'apply', value: '<fit.json>', help: 'apply a stored fit to --input (VIIRS): DN = f(x) for x > 0, 0 for x ≤ 0', reads: true },
    { name: 'clamp', value: '<x>', help: 'clamp the DMSP-like DN at x (default 63)', needs: 'apply' },
  ],
};
const APPLY_INPUT = inputGroup('VIIRS radiance (with --apply)');
const APPLY_OUTPUT: FlagGroup = {
  ...RASTER_OUTPUT,
  title: 'Output',
  flags: [{ name: 'out', value: '<file>', help: 'fit: the JSON fit; --apply: the GeoTIFF (tiled, DEFLATE, no-data tag)' }, ...RASTER_OUTPUT.flags.slice(1)],
};

/** Flags of the --apply form only, and of the fit form only (a flag of the other form is refused by name). */
const APPLY_ONLY = new Set([...APPLY_INPUT.flags, ...correctionsGroup().flags, ...RASTER_OUTPUT.flags.slice(1)].map((f) => f.name));
const FIT_ONLY = new Set(FIT_GROUPS.flatMap((g) => g.flags).map((f) => f.name));

const fitOptions = z.object(HARMONISE_FIT_FIELDS);

async function fit(ctx: VerbContext): Promise<number> {
  const { cmd, values, io } = ctx;
  const out = requireFlag(cmd, values, 'out');
  guardOutputs(ctx, [{ flag: '--out', path: out, example: 'fit.json' }]);
  const o = validated(
    ctx,
    fitOptions,
    { model: values.model ?? 'loglinear', sigma: num(values, 'sigma'), min_dn: num(values, 'min-dn') },
    { model: 'model', sigma: 'sigma', min_dn: 'min-dn' },
  );
  const pixel = typeof values.pairs !== 'string';
  if (pixel) {
    requireFlag(cmd, values, 'dmsp');
    requireFlag(cmd, values, 'viirs');
  } else {
    for (const f of ['dmsp', 'viirs', 'sigma', 'min-dn'])
      if (values[f] !== undefined)
        throw new NtlError(`ntl ${cmd}: --${f} is for a pixel-level fit (--dmsp, --viirs); with --pairs the fit is on the table's columns`);
    requireFlag(cmd, values, 'x');
    requireFlag(cmd, values, 'y');
  }
  const record = await fitHarmonisationFiles(
    o.model,
    pixel
      ? { level: 'pixel', dmsp: values.dmsp as string, viirs: values.viirs as string, sigma: o.sigma, minDn: o.min_dn }
      : { level: 'district', pairs: values.pairs as string, x: values.x as string, y: values.y as string },
    ctx.threads,
  );
  await writeFileAtomic(out, JSON.stringify(record, null, 1) + '\n');
  io.stderr(`ntl: ${describeHarmonisationFit(record)}\n`);
  return 0;
}

export const harmoniseVerb: Verb = {
  name: 'harmonise',
  summary: 'DMSP ↔ VIIRS harmonisation: fit a relation (→ fit.json), or --apply one (→ DMSP-like raster)',
  usage: [
    '--model sigmoid --dmsp F182013.tif --viirs viirs2013.tif [--sigma 1] [--min-dn 7] --out fit.json',
    '--model power --pairs county2013.csv --x viirs_sum --y dmsp_sum --out fit.json',
    '--apply fit.json --input viirs2016.tif [--clamp 63] --out dmsp_like2016.tif',
  ],
  about:
    'Levenberg–Marquardt on the overlap year(s); the JSON holds model, formula, params, r2, rmse, n, dropped,\nconverged and the inputs. Pixel level: VIIRS area-weighted onto the DMSP grid (integer pixel ratio, aligned origin).',
  steps: "{ step: dmsp_like, model, params, clamp } (fits: the pipeline's harmonise: block)",
  groups: [...FIT_GROUPS, APPLY_GROUP, APPLY_INPUT, correctionsGroup(), APPLY_OUTPUT],
  run: async (ctx) => {
    const { values, cmd } = ctx;
    const given = Object.keys(values).filter((k) => values[k] !== undefined && acceptedFlags(harmoniseVerb).has(k));
    if (typeof values.apply === 'string') {
      const wrong = given.filter((k) => FIT_ONLY.has(k));
      if (wrong.length) throw new NtlError(`ntl ${cmd}: --${wrong[0]} is for fitting a relation; --apply uses a stored fit (fit first, then apply: two runs)`);
      return writeRasterVerb(ctx, null, async () => ({
        steps: [validatedStep(ctx, harmonisationStep(values.apply as string, num(values, 'clamp')), { clamp: 'clamp' }, `--apply ${values.apply}`)],
      }));
    }
    const wrong = given.filter((k) => APPLY_ONLY.has(k));
    if (wrong.length)
      throw new NtlError(`ntl ${cmd}: --${wrong[0]} goes with --apply FIT (converting a raster); a fit reads --dmsp/--viirs or --pairs and writes JSON`);
    return fit(ctx);
  },
};
