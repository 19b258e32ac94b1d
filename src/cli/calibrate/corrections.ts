/**
 * `ntl calibrate vanui | seam | pareto`: the corrections on their own, on an already calibrated raster. Every
 * raster verb can also add them (--ndvi, --seam, --pareto); here the verb is the step.
 */
import { writeRasterVerb } from './shared.js';
import { VANUI_SPEC } from '../specs/calibrate.js';
import { SEAM_SPEC } from '../specs/calibrate.js';
import { PARETO_SPEC } from '../specs/calibrate.js';
import type { Verb } from './verb.js';

export const vanuiVerb: Verb = {
  ...VANUI_SPEC,
  run: (ctx) => writeRasterVerb(ctx, 'vanui', async () => ({ steps: [] })),
};

export const seamVerb: Verb = {
  ...SEAM_SPEC,
  run: (ctx) => writeRasterVerb(ctx, 'seam', async () => ({ steps: [] })),
};

export const paretoVerb: Verb = {
  ...PARETO_SPEC,
  run: (ctx) => writeRasterVerb(ctx, 'pareto', async () => ({ steps: [] })),
};
