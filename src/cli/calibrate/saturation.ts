/** `ntl calibrate saturation`: the DMSP saturation mask (1 where DN ≥ 63). */
import { correctionsGroup, inputGroup, num, RASTER_OUTPUT, validatedStep, writeRasterVerb } from './shared.js';
import type { Verb } from './verb.js';

export const saturationVerb: Verb = {
  name: 'saturation',
  summary: 'DMSP saturation mask: 1 where DN ≥ 63, 0 below, no-data kept',
  usage: ['--input F182012.tif [--threshold 63] --out-type uint8 --out sat.tif'],
  about:
    "Its zonal mean is the district's saturated_share (= ntl zonal --stats lit_share --lit-threshold 62.5 on the\nraw integer DN). Write it with --out-type uint8 (or auto).",
  steps: '{ step: saturation_mask, threshold }',
  groups: [
    inputGroup('DMSP-OLS stable-lights composite (raw DN)'),
    { title: 'Saturation', flags: [{ name: 'threshold', value: '<x>', help: 'DN at or above which a pixel is saturated (default 63)' }] },
    correctionsGroup(),
    RASTER_OUTPUT,
  ],
  run: (ctx) =>
    writeRasterVerb(ctx, null, async () => ({
      steps: [validatedStep(ctx, { step: 'saturation_mask', threshold: num(ctx.values, 'threshold') }, { threshold: 'threshold' })],
    })),
};
