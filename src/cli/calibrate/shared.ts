/**
 * What the `ntl calibrate` verbs share: flag groups (input, raster output, the corrections SEAM / Pareto / VANUI
 * that any raster verb can add), steps built from flags and validated by the pipeline's step schema (so a bound
 * lives in one place and the CLI and `calibrate:` cannot drift; the message names the flag), the output guard,
 * and the one raster-writing path over calibrateFile.
 */
import type { z } from 'zod';
import { calibrateFile, OUTPUT_TYPES } from '../../calibrate/calibrate-file.js';
import { STEP_SCHEMA, type CalibrateStep } from '../../calibrate/chain.js';
import type { SeriesInput } from '../../calibrate/report.js';
import { describeSummary } from '../../calibrate/write-calibrated.js';
import { NtlError } from '../../errors.js';
import type { WritableDtype } from '../../raster/write-geotiff.js';
import { assertOutputsAreNotInputs, type GuardInput, type GuardOutput } from '../../safety/outputs.js';
import { optionalNumber, requireFlag, type FlagValues } from '../args.js';
import type { Correction } from '../specs/calibrate-groups.js';
import { allFlags, type VerbContext } from './verb.js';

// ---------------------------------------------------------------------------------------------------------------
// Steps from flags, validated by the step schema

/** A flag's value as a number for the schema: undefined when absent, NaN when not a number (the schema refuses it). */
export function num(values: FlagValues, flag: string): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') return NaN;
  return Number(v);
}

type AnySchema = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

/** What a field schema accepts, in words: "a whole number ≥ 3", "a number > 0", "one of liu, mean". */
export function describeSchema(schema: AnySchema): string {
  let s = schema;
  while (['default', 'nullable', 'optional', 'prefault'].includes(s._zod.def.type)) s = s._zod.def.innerType as AnySchema;
  const def = s._zod.def;
  if (def.type === 'enum') return `one of ${Object.values(def.entries as Record<string, string>).join(', ')}`;
  if (def.type === 'number') {
    let whole = false;
    const bounds: string[] = [];
    for (const c of (def.checks as { _zod: { def: { check: string; format?: string; value?: number; inclusive?: boolean } } }[] | undefined) ?? []) {
      const d = c._zod.def;
      if (d.check === 'number_format' && /int/.test(d.format ?? '')) whole = true;
      if (d.check === 'greater_than') bounds.push(`${d.inclusive ? '≥' : '>'} ${d.value}`);
      if (d.check === 'less_than') bounds.push(`${d.inclusive ? '≤' : '<'} ${d.value}`);
    }
    return `${whole ? 'a whole number' : 'a number'}${bounds.length ? ' ' + bounds.join(' and ') : ''}`;
  }
  if (def.type === 'string') return 'text';
  if (def.type === 'boolean') return 'true or false';
  return 'valid';
}

const STEP_OPTIONS = (STEP_SCHEMA as unknown as { options: z.ZodObject[] }).options;

/**
 * `raw` (built from flags) validated by `schema`, defaults filled. `flagOf` maps a field to the flag it came from, so
 * a bad value is reported as `--flag must be …, got "…"`; `origin` names where other fields came from (e.g. a file).
 */
export function validated<T extends z.ZodObject>(
  ctx: Pick<VerbContext, 'cmd' | 'values'>,
  schema: T,
  raw: Record<string, unknown>,
  flagOf: Readonly<Record<string, string>>,
  origin?: string,
): z.output<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const flag = flagOf[key];
  const field = (schema.shape as Record<string, AnySchema>)[key];
  if (flag) throw new NtlError(`ntl ${ctx.cmd}: --${flag} must be ${field ? describeSchema(field) : issue.message}, got "${String(ctx.values[flag])}"`);
  throw new NtlError(`ntl ${ctx.cmd}: ${origin ? `${origin}: ` : ''}${issue.path.join('.') || 'step'}: ${issue.message}`);
}

/** A `{ step, ...params }` entry built from flags, validated by the pipeline's step schema (see `validated`). */
export function validatedStep(
  ctx: Pick<VerbContext, 'cmd' | 'values'>,
  raw: Record<string, unknown>,
  flagOf: Readonly<Record<string, string>>,
  origin?: string,
): CalibrateStep {
  const option = STEP_OPTIONS.find(
    (o) =>
      (o.shape.step as unknown as AnySchema)._zod.def.values !== undefined &&
      ((o.shape.step as unknown as AnySchema)._zod.def.values as unknown[]).includes(raw.step),
  );
  if (!option) throw new NtlError(`internal: no calibrate step "${String(raw.step)}"`);
  return validated(ctx, option, raw, flagOf, origin) as CalibrateStep;
}

/** The correction steps (VANUI, Pareto, SEAM — in that order, as the chain runs them) and the rasters they read. */
export function correctionSteps(ctx: VerbContext, own: Correction | null): { steps: CalibrateStep[]; aux: Record<string, string> } {
  const { values } = ctx;
  const steps: CalibrateStep[] = [];
  const aux: Record<string, string> = {};
  if (own === 'vanui' || typeof values.ndvi === 'string') {
    aux.ndvi = requireFlag(ctx.cmd, values, 'ndvi');
    steps.push(validatedStep(ctx, { step: 'vanui', ntl_max: num(values, 'ntl-max') }, { ntl_max: 'ntl-max' }));
  }
  if (own === 'pareto' || values.pareto) {
    const rank = values['pareto-rank'];
    if (typeof rank === 'string') aux.pareto_rank = rank;
    steps.push(
      validatedStep(
        ctx,
        {
          step: 'pareto',
          alpha: num(values, 'pareto-alpha'),
          lower: num(values, 'pareto-lower'),
          upper: num(values, 'pareto-upper'),
          rank_by_aux: typeof rank === 'string',
        },
        { alpha: 'pareto-alpha', lower: 'pareto-lower', upper: 'pareto-upper' },
      ),
    );
  }
  if (own === 'seam' || values.seam) {
    steps.push(
      validatedStep(
        ctx,
        {
          step: 'seam',
          window: num(values, 'seam-window'),
          region: num(values, 'seam-region'),
          min_plp: num(values, 'seam-min-plp'),
          smooth: !values['seam-no-smooth'],
          renormalise: !!values['seam-renormalise'],
        },
        { window: 'seam-window', region: 'seam-region', min_plp: 'seam-min-plp' },
      ),
    );
  }
  return { steps, aux };
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs

/** The files the verb reads (every flag marked `reads`, plus series arguments) against its outputs. */
export function guardOutputs(ctx: VerbContext, outputs: readonly GuardOutput[], series: readonly SeriesInput[] = []): void {
  const inputs: GuardInput[] = allFlags(ctx.verb)
    .filter((f) => f.reads)
    .map((f) => ({ flag: `--${f.name}`, path: typeof ctx.values[f.name] === 'string' ? (ctx.values[f.name] as string) : undefined }));
  inputs.push(...series.map((s) => ({ flag: `${s.year}${s.sensor !== 'series' ? `:${s.sensor}` : ''}=`, path: s.path })));
  assertOutputsAreNotInputs(ctx.cmd, outputs, inputs);
}

export interface Encoding {
  readonly dtype: WritableDtype | 'auto';
  readonly nodata: number | undefined;
  readonly level: number;
  readonly predictor: 1 | 2 | 3;
}

/** --out-type, --out-nodata, --zlib-level, --predictor. */
export function encodingFlags(ctx: Pick<VerbContext, 'cmd' | 'values'>): Encoding {
  const { cmd, values } = ctx;
  const requested = values['out-type'] ?? 'float32';
  if (requested !== 'auto' && !OUTPUT_TYPES.includes(requested as WritableDtype))
    throw new NtlError(`ntl ${cmd}: --out-type must be auto or one of ${OUTPUT_TYPES.join(', ')}, got "${String(values['out-type'])}"`);
  const integral = requested !== 'auto' && !String(requested).startsWith('float');
  const nodata = integral ? optionalNumber(cmd, values, 'out-nodata', Number.isFinite, 'a number') : undefined;
  const level = optionalNumber(cmd, values, 'zlib-level', (n) => Number.isInteger(n) && n >= 1 && n <= 9, 'a whole number 1–9') ?? 1;
  const predictor = (optionalNumber(cmd, values, 'predictor', (n) => n === 1 || n === 2 || n === 3, '1, 2 or 3') ?? 1) as 1 | 2 | 3;
  return { dtype: requested as WritableDtype | 'auto', nodata, level, predictor };
}

/**
 * The raster verbs' one path: guard, the verb's steps (built by `primary`, after the flags are checked) followed by
 * the corrections, calibrateFile, and the log lines.
 */
export async function writeRasterVerb(
  ctx: VerbContext,
  own: Correction | null,
  primary: () => Promise<{ steps: CalibrateStep[]; aux?: Record<string, string> }>,
): Promise<number> {
  const { cmd, values, io } = ctx;
  const out = requireFlag(cmd, values, 'out');
  guardOutputs(ctx, [{ flag: '--out', path: out, example: 'calibrated.tif' }]);
  const enc = encodingFlags(ctx);
  const input = requireFlag(cmd, values, 'input');
  const corrections = correctionSteps(ctx, own);
  const p = await primary();
  const steps = [...p.steps, ...corrections.steps];
  const r = await calibrateFile({
    input: { path: input, nodataAsZero: !!values['nodata-as-zero'] },
    steps,
    aux: { ...p.aux, ...corrections.aux },
    out,
    dtype: enc.dtype,
    ...(enc.nodata !== undefined ? { nodata: enc.nodata } : {}),
    level: enc.level,
    predictor: enc.predictor,
    where: `ntl ${cmd}`,
    threads: ctx.threads,
  });
  if (r.auto)
    io.stderr(
      `ntl: --out-type auto: ${r.dtype}${r.auto.range ? ` (every output is a whole number in ${r.auto.range.min}…${r.auto.range.max})` : ' (outputs are not all whole numbers)'}\n`,
    );
  for (const line of describeSummary(r.summary)) io.stderr(`ntl: ${line}\n`);
  const c = r.chain.counts;
  if (c.negatives || c.capped || c.background) {
    io.stderr(`ntl: VIIRS denoise: ${c.negatives} negative pixels set to 0, ${c.background} background pixels set to 0, ${c.capped} pixels capped\n`);
  }
  io.stderr(`ntl: wrote ${out} (${r.chain.record.map((s) => s.step).join(' → ')})\n`);
  return 0;
}

/** YEAR=FILE or YEAR:SENSOR=FILE. */
export function parseSeriesArg(cmd: string, arg: string): SeriesInput {
  const m = /^(\d{4})(?::([^=]+))?=(.+)$/.exec(arg);
  if (!m) throw new NtlError(`ntl ${cmd}: "${arg}" is not YEAR=FILE or YEAR:SENSOR=FILE (e.g. 2013:viirs=v2013.tif)`);
  return { year: Number(m[1]), sensor: m[2] ?? 'series', path: m[3] as string };
}
