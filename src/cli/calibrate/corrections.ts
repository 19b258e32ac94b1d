/**
 * `ntl calibrate vanui | seam | pareto`: the corrections on their own, on an already calibrated raster. Every
 * raster verb can also add them (--ndvi, --seam, --pareto); here the verb is the step.
 */
import { correctionsGroup, inputGroup, ownCorrectionGroup, RASTER_OUTPUT, writeRasterVerb } from './shared.js';
import type { Verb } from './verb.js';

export const vanuiVerb: Verb = {
  name: 'vanui',
  summary: 'VANUI = (1 − NDVI)·NTL/NTL_max: vegetation-adjusted night lights',
  usage: ['--input calibrated2012.tif --ndvi ndvi2012.tif [--ntl-max 63] --out vanui2012.tif'],
  about: 'Zhang, Schaaf & Seto (2013), RSE 129: 32–41. NDVI < 0 (water) → 0; an NDVI raster on another grid is an error.',
  steps: '{ step: vanui, ndvi: <series>, ntl_max }',
  groups: [inputGroup('night lights (DN or calibrated)'), ownCorrectionGroup('vanui'), correctionsGroup('vanui'), RASTER_OUTPUT],
  run: (ctx) => writeRasterVerb(ctx, 'vanui', async () => ({ steps: [] })),
};

export const seamVerb: Verb = {
  name: 'seam',
  summary: 'SEAM blooming correction (Cao et al. 2019); whole raster, streamed in strips',
  usage: [
    '--input calibrated2008.tif [--seam-window 7] [--seam-region 0] [--seam-min-plp 30] --out seam2008.tif',
    '--input calibrated2008.tif --pareto --out corrected2008.tif   (SEAM, then Pareto)',
  ],
  about:
    'Subtracts b + a·R (R = Σ brighter neighbours / d²) fitted on pseudo-light pixels (lit, touching a dark one),\nthen a 3×3 mean of the lit pixels, negatives → 0. For products that store dark cells as no-data, add --nodata-as-zero.',
  steps: '{ step: seam, window, region, min_plp, smooth, renormalise }',
  groups: [inputGroup('night lights (DN or calibrated)'), ownCorrectionGroup('seam'), correctionsGroup('seam'), RASTER_OUTPUT],
  run: (ctx) => writeRasterVerb(ctx, 'seam', async () => ({ steps: [] })),
};

export const paretoVerb: Verb = {
  name: 'pareto',
  summary: 'Pareto top-code imputation of saturated DN (Bluhm & Krause 2022)',
  usage: ['--input calibrated2008.tif [--pareto-rank radiance2008.tif] [--pareto-alpha 1.5 --pareto-lower 55 --pareto-upper 2000] --out p2008.tif'],
  about:
    'Values ≥ L are replaced by the inverse CDF of a Pareto(α) truncated to [L, H] at their rank percentile (average\nranks for ties). Two streamed passes; runs after SEAM when both are asked.',
  steps: '{ step: pareto, rank_by: <series>, alpha, lower, upper }',
  groups: [inputGroup('night lights (DN or calibrated)'), ownCorrectionGroup('pareto'), correctionsGroup('pareto'), RASTER_OUTPUT],
  run: (ctx) => writeRasterVerb(ctx, 'pareto', async () => ({ steps: [] })),
};
