/** `ntl calibrate fit-intercalibration`: own inter-calibration coefficients over an invariant region → JSON. */
import { fitIntercalibrationOverRegion } from '../../calibrate/region-fit.js';
import { writeFileAtomic } from '../../output/atomic.js';
import { optionalNumber, requireFlag } from '../args.js';
import { regionRuleFlag } from './denoise.js';
import { guardOutputs } from './shared.js';
import { FIT_INTERCALIBRATION_SPEC } from '../specs/calibrate.js';
import type { Verb } from './verb.js';

export const fitIntercalibrationVerb: Verb = {
  ...FIT_INTERCALIBRATION_SPEC,
  run: async (ctx) => {
    const { cmd, values, io } = ctx;
    const out = requireFlag(cmd, values, 'out');
    guardOutputs(ctx, [{ flag: '--out', path: out, example: 'fit.json' }]);
    const reference = requireFlag(cmd, values, 'reference'),
      target = requireFlag(cmd, values, 'input');
    const region = requireFlag(cmd, values, 'region'),
      regionId = requireFlag(cmd, values, 'region-id');
    const rule = regionRuleFlag(ctx);
    const minDn = optionalNumber(cmd, values, 'min-dn', Number.isFinite, 'a number');
    const maxDn = optionalNumber(cmd, values, 'max-dn', Number.isFinite, 'a number');
    const record = await fitIntercalibrationOverRegion(
      { reference, target, region, regionId, rule, ...(minDn !== undefined ? { minDn } : {}), ...(maxDn !== undefined ? { maxDn } : {}) },
      ctx.threads,
    );
    await writeFileAtomic(out, JSON.stringify(record, null, 1) + '\n');
    const c = record.coefficients;
    io.stderr(
      `ntl: inter-calibration fit over ${record.n} cells: c0 ${c.c0.toPrecision(6)}, c1 ${c.c1.toPrecision(6)}, c2 ${c.c2.toPrecision(6)}, R² ${record.r2.toFixed(4)}\n`,
    );
    return 0;
  },
};
