/**
 * `ntl calibrate harmonise`: DMSP ↔ VIIRS harmonisation. Fit (pixel pairs of two rasters, or district pairs of a
 * table) → a JSON fit; `--apply FIT` converts a VIIRS raster to DMSP-like DN with a stored fit.
 */
import { z } from 'zod';
import { describeHarmonisationFit, fitHarmonisationFiles, harmonisationStep } from '../../calibrate/harmonise-fit.js';
import { HARMONISE_FIT_FIELDS } from '../../calibrate/harmonise.js';
import { writeFileAtomic } from '../../output/atomic.js';
import { NtlError } from '../../errors.js';
import { requireFlag } from '../args.js';
import { guardOutputs, num, validated, validatedStep, writeRasterVerb } from './shared.js';
import { APPLY_INPUT, correctionsGroup, FIT_GROUPS, RASTER_OUTPUT } from '../specs/calibrate-groups.js';
import { HARMONISE_SPEC } from '../specs/calibrate.js';
import { acceptedFlags, type Verb, type VerbContext } from './verb.js';

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
  ...HARMONISE_SPEC,
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
