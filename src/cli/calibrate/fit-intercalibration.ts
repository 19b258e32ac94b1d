/** `ntl calibrate fit-intercalibration`: own inter-calibration coefficients over an invariant region → JSON. */
import { fitIntercalibrationOverRegion } from '../../calibrate/region-fit.js';
import { writeFileAtomic } from '../../output/atomic.js';
import { optionalNumber, requireFlag } from '../args.js';
import { regionRuleFlag } from './denoise.js';
import { guardOutputs } from './shared.js';
import type { Verb } from './verb.js';

export const fitIntercalibrationVerb: Verb = {
  name: 'fit-intercalibration',
  summary: 'own inter-calibration coefficients over an invariant region (→ coefs.json)',
  usage: ['--reference F121999.tif --input F182013.tif --region sicily.geojson --region-id name [--min-dn 3] [--max-dn 62] --out coefs.json'],
  about:
    "DN_ref = c0 + c1·DN + c2·DN²: the reference regressed on the target over the region's cells valid in both.\nThe JSON (coefficients c0, c1, c2, r2, n) plugs into a pipeline's intercalibrate step as coefficients:.",
  groups: [
    {
      title: 'Fit',
      flags: [
        { name: 'reference', value: '<file>', help: "the reference image (its scale is the target's)", reads: true },
        { name: 'input', value: '<file>', help: 'the image to calibrate (same grid)', reads: true },
        { name: 'region', value: '<polygons>', help: 'invariant-region polygons', reads: true },
        { name: 'region-id', value: '<field>', help: 'their id field' },
        { name: 'region-rule', value: 'coverage|centre', help: 'coverage (default): a cell > 50 % inside; centre: its centre inside' },
        { name: 'min-dn', value: '<x>', help: 'use only DN ≥ x in both images (e.g. 3)' },
        { name: 'max-dn', value: '<x>', help: 'use only DN ≤ x in both images (e.g. 62: drop saturated cells)' },
      ],
    },
    { title: 'Output', flags: [{ name: 'out', value: '<file>', help: 'the JSON record' }] },
  ],
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
