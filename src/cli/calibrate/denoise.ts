/** `ntl calibrate denoise`: VIIRS negatives → 0, background → 0 (threshold and/or DMSP mask), outliers capped. */
import { capFromCorePolygons, percentileOfPositive, REGION_RULES } from '../../calibrate/region-fit.js';
import { DENOISE_SPEC } from '../specs/calibrate.js';
import type { RegionRule } from '../../calibrate/region.js';
import { NtlError } from '../../errors.js';
import { optionalNumber, requireFlag } from '../args.js';
import { num, validatedStep, writeRasterVerb } from './shared.js';
import type { Verb, VerbContext } from './verb.js';

export function regionRuleFlag(ctx: Pick<VerbContext, 'cmd' | 'values'>): RegionRule {
  const r = ctx.values['region-rule'] ?? 'coverage';
  if (!REGION_RULES.includes(r as RegionRule)) throw new NtlError(`ntl ${ctx.cmd}: --region-rule must be coverage or centre, got "${String(r)}"`);
  return r as RegionRule;
}

export const denoiseVerb: Verb = {
  ...DENOISE_SPEC,
  run: (ctx) =>
    writeRasterVerb(ctx, null, async () => {
      const { values, cmd } = ctx;
      const caps = ['cap', 'cap-percentile', 'cap-cores'].filter((f) => values[f] !== undefined);
      if (caps.length > 1) throw new NtlError(`ntl ${cmd}: give one cap: ${caps.map((f) => `--${f}`).join(' or ')}`);
      const input = requireFlag(cmd, values, 'input');
      const dmspMask = typeof values['dmsp-mask'] === 'string';
      const flagOf = { threshold: 'threshold', cap: 'cap' };
      // every parameter checked before the cap is computed (a pass over the raster)
      let step = validatedStep(
        ctx,
        { step: 'viirs_denoise', threshold: num(values, 'threshold') ?? null, dmsp_mask: dmspMask, cap: num(values, 'cap') ?? null },
        flagOf,
      );
      const pct = optionalNumber(cmd, values, 'cap-percentile', (n) => n > 0 && n <= 100, 'a percentile in (0, 100]');
      let cap: number | null = null;
      if (pct !== undefined) cap = await percentileOfPositive(input, pct, ctx.threads);
      if (typeof values['cap-cores'] === 'string') {
        const c = await capFromCorePolygons(input, values['cap-cores'], requireFlag(cmd, values, 'cores-id'), regionRuleFlag(ctx), ctx.threads);
        cap = c.cap;
        ctx.io.stderr(`ntl: VIIRS cap ${c.cap} = maximum over ${c.cells} cells inside ${values['cap-cores']}\n`);
      }
      if (cap !== null) step = validatedStep(ctx, { ...step, cap }, flagOf);
      const aux: Record<string, string> = dmspMask ? { dmsp_mask: values['dmsp-mask'] as string } : {};
      return { steps: [step], aux };
    }),
};
