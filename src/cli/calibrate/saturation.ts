/** `ntl calibrate saturation`: the DMSP saturation mask (1 where DN ≥ 63). */
import { num, validatedStep, writeRasterVerb } from './shared.js';
import { SATURATION_SPEC } from '../specs/calibrate.js';
import type { Verb } from './verb.js';

export const saturationVerb: Verb = {
  ...SATURATION_SPEC,
  run: (ctx) =>
    writeRasterVerb(ctx, null, async () => ({
      steps: [validatedStep(ctx, { step: 'saturation_mask', threshold: num(ctx.values, 'threshold') }, { threshold: 'threshold' })],
    })),
};
