/**
 * One definition of every estimation option with its default and limits, read by both front ends: the
 * pipeline's `estimate:` section (src/pipeline/spec.ts embeds these schemas) and the CLI flags
 * (src/cli/estimate-args.ts validates flag values through them), so the two cannot drift apart.
 */
import { z } from 'zod';
import { NtlError } from '../errors.js';
import { EVENTSTUDY_DEFAULTS, PLACEBO_DEFAULTS } from './option-defaults.js';

const int = z.number().int('must be a whole number');

export const PLACEBO_MODES = ['units', 'both', 'timing'] as const;
export type PlaceboMode = (typeof PLACEBO_MODES)[number];

export const placeboSchema = z.strictObject({
  /** Randomization draws (units / both). */
  draws: int.min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000').default(PLACEBO_DEFAULTS.draws),
  /** Random seed: the same seed gives the same draws and output bytes, for any number of threads. */
  seed: int.refine(Number.isSafeInteger, 'must be a safe integer').default(PLACEBO_DEFAULTS.seed),
  /** units: permute cohort labels across units; both: random units × dates from the cohort distribution; timing: fake-date test. */
  mode: z.enum(PLACEBO_MODES, { error: `must be one of ${PLACEBO_MODES.join(', ')}` }).default(PLACEBO_DEFAULTS.mode),
  /** timing: periods every treated unit's date is moved earlier. */
  shift: int.min(1, 'must be at least 1').max(50, 'must be at most 50').default(PLACEBO_DEFAULTS.shift),
});
export type PlaceboOptions = z.infer<typeof placeboSchema>;

export const eventstudySchema = z
  .strictObject({
    /** Relative periods estimated; periods beyond are binned into the endpoints. */
    window: z.tuple([int, int]).default([...EVENTSTUDY_DEFAULTS.window]),
    /** Omitted reference period. */
    ref: int.default(EVENTSTUDY_DEFAULTS.ref),
  })
  .superRefine((e, ctx) => {
    if (!(e.window[0] < e.window[1]))
      ctx.addIssue({ code: 'custom', path: ['window'], message: `must be two whole numbers lo, hi with lo < hi, got ${e.window.join(', ')}` });
    else if (e.ref < e.window[0] || e.ref > e.window[1])
      ctx.addIssue({ code: 'custom', path: ['ref'], message: `must lie inside the window ${e.window.join(', ')}, got ${e.ref}` });
  });
export type EventstudyOptions = z.infer<typeof eventstudySchema>;

export const ATT_METHODS = ['cs', 'sunab'] as const;
export const attSchema = z.strictObject({
  /** cs: Callaway–Sant'Anna ATT(g,t); sunab: Sun–Abraham. */
  method: z.enum(ATT_METHODS, { error: 'must be cs or sunab' }).default('cs'),
  /** cs: never | notyet; sunab: never | last. */
  control: z.enum(['never', 'notyet', 'last'], { error: 'must be never, notyet (cs) or last (sunab)' }).default('never'),
  /** cs: base period for pre-treatment ATT(g,t). */
  base: z.enum(['varying', 'universal'], { error: 'must be varying or universal' }).default('varying'),
  /** cs: periods of anticipation. */
  anticipation: int.min(0, 'must be ≥ 0').default(0),
  /** cs: aggregations of ATT(g,t) to report. */
  aggregate: z
    .array(z.enum(['simple', 'dynamic', 'group', 'calendar'], { error: 'must be simple, dynamic, group or calendar' }))
    .min(1)
    .default(['simple', 'dynamic', 'group', 'calendar']),
});
export type AttOptions = z.infer<typeof attSchema>;

export const psmSchema = z.strictObject({
  /** kernel (Epanechnikov, psmatch2's default bandwidth 0.06) or 1:1 nearest neighbour. */
  match: z.enum(['kernel', 'nn'], { error: 'must be kernel or nn' }).default('kernel'),
  /** kernel: bandwidth on the propensity score. */
  bandwidth: z.number().gt(0, 'must be > 0').max(1, 'must be ≤ 1').default(0.06),
  /** nn only: treated observations without a control within this distance are off support. */
  caliper: z.number().gt(0, 'must be > 0').optional(),
  /** Estimate the score and match within each period (default: pooled). */
  by_period: z.boolean().default(false),
});
export type PsmOptions = z.infer<typeof psmSchema>;

export const OUTCOME_TRANSFORMS = ['none', 'log', 'log1p', 'ihs', 'winsor'] as const;
export type OutcomeTransformKind = (typeof OUTCOME_TRANSFORMS)[number];
export const outcomeTransformFields = {
  /** Transform of the outcome before estimation: none, log, log1p, ihs (inverse hyperbolic sine) or winsor. */
  transform: z.enum(OUTCOME_TRANSFORMS, { error: `must be one of ${OUTCOME_TRANSFORMS.join(', ')}` }).default('none'),
  /** winsor: share cut at each tail (0 < p < 0.5). */
  p: z.number().gt(0, 'must be > 0').lt(0.5, 'must be < 0.5').optional(),
};
export function checkTransform(t: { transform: OutcomeTransformKind; p?: number }, ctx: z.RefinementCtx): void {
  if (t.transform === 'winsor' && t.p === undefined)
    ctx.addIssue({ code: 'custom', path: ['p'], message: 'winsor needs p, the share cut at each tail (e.g. 0.01)' });
  if (t.transform !== 'winsor' && t.p !== undefined)
    ctx.addIssue({ code: 'custom', path: ['p'], message: `p applies to transform: winsor only, not ${t.transform}` });
}
export const outcomeTransformSchema = z.strictObject(outcomeTransformFields).superRefine(checkTransform);
export type OutcomeTransform = z.infer<typeof outcomeTransformSchema>;

/** Defaults of every schema, for help texts (generated from the schemas, not restated). */
export const defaults = {
  placebo: placeboSchema.parse({}),
  eventstudy: eventstudySchema.parse({}),
  att: attSchema.parse({}),
  psm: psmSchema.parse({}),
};

/**
 * Validate flag values through a schema; a failure names the flag (`--draws must be …`). `flags` maps schema
 * keys to flag names where they differ (by_period → --by-period).
 */
export function parseOptions<S extends z.ZodType>(command: string, schema: S, values: Record<string, unknown>, flags: Record<string, string> = {}): z.infer<S> {
  const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const r = schema.safeParse(clean);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const flag = flags[key] ?? key.replace(/_/g, '-');
  const given = clean[key];
  const shown = given === undefined ? '' : `, got "${Array.isArray(given) ? given.join(',') : String(given)}"`;
  const text = issueText(issue);
  throw new NtlError(`ntl ${command}: --${flag} ${text}${/, got /.test(text) ? '' : shown}; see \`ntl ${command} --help\``);
}

/** Zod's type errors ("Invalid input: expected number, received string") in the words of the flags. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const words: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', array: 'a comma list', boolean: 'true or false' };
  return `must be ${words[String(issue.expected)] ?? String(issue.expected)}`;
}

/** A numeric flag value, or undefined when absent; non-numbers stay strings so the schema names the flag. */
export function numberFlag(v: unknown): number | string | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  const s = String(v).trim();
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : s;
}
