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
import { allFlags, type FlagDef, type FlagGroup, type VerbContext } from './verb.js';

// ---------------------------------------------------------------------------------------------------------------
// Flag groups

export const NODATA_AS_ZERO: FlagDef = {
  name: 'nodata-as-zero',
  boolean: true,
  help: "read the input's no-data value as 0 (dark): for products that store dark cells as\nno-data (the 8-bit VIIRS-like copies), else SEAM and continuity cannot see dark pixels",
};

export function inputGroup(help: string): FlagGroup {
  return { title: 'Input', flags: [{ name: 'input', value: '<file>', help, reads: true }, NODATA_AS_ZERO] };
}

export const RASTER_OUTPUT: FlagGroup = {
  title: 'Output',
  flags: [
    { name: 'out', value: '<file>', help: 'GeoTIFF (tiled 256×256, DEFLATE, no-data tag), written to a temporary file and renamed' },
    {
      name: 'out-type',
      value: '<t>',
      help: 'float32 (default, no-data NaN), float64, uint8, int16, uint16, int32, or auto:\nuint8 (no-data 255) / int16 (−32768) when every output is a whole number, else float32',
    },
    { name: 'out-nodata', value: '<x>', help: 'no-data value for integer output types (default 255 for uint8, else -1)' },
    { name: 'zlib-level', value: '<1-9>', help: 'DEFLATE level (default 1)' },
    { name: 'predictor', value: '1|2|3', help: 'TIFF predictor (default 1 none; 2 integers, 3 floats)' },
  ],
};

const VANUI_FLAGS: FlagDef[] = [
  { name: 'ndvi', value: '<file>', help: 'VANUI = (1 − NDVI)·NTL/NTL_max (NDVI < 0 → 0; same grid)', reads: true },
  { name: 'ntl-max', value: '<x>', help: 'NTL_max for VANUI (default 63)', needs: 'ndvi' },
];
const SEAM_PARAMS: FlagDef[] = [
  { name: 'seam-window', value: '<n>', help: 'odd neighbourhood edge in pixels (default 7 ≈ 3.5 km at 30″)', needs: 'seam' },
  { name: 'seam-region', value: '<n>', help: 'fit a, b per block of n pixels (paper: ~150 km moving windows); 0 = one fit (default)', needs: 'seam' },
  { name: 'seam-min-plp', value: '<n>', help: 'blocks with fewer pseudo-light pixels use the global fit (default 30)', needs: 'seam' },
  { name: 'seam-no-smooth', boolean: true, help: 'skip the 3×3 mean', needs: 'seam' },
  { name: 'seam-renormalise', boolean: true, help: 'rescale to the input total (not in SEAM)', needs: 'seam' },
];
const PARETO_PARAMS: FlagDef[] = [
  {
    name: 'pareto-rank',
    value: '<file>',
    help: 'rank by this raster (radiance-calibrated DMSP or VIIRS, same grid); without it the\nDN ranks them and the result is "Pareto-adjusted", not Bluhm–Krause',
    reads: true,
    needs: 'pareto',
  },
  { name: 'pareto-alpha', value: '<a>', help: 'Pareto shape (default 1.5)', needs: 'pareto' },
  { name: 'pareto-lower', value: '<L>', help: 'values ≥ L are replaced (default 55)', needs: 'pareto' },
  { name: 'pareto-upper', value: '<H>', help: 'upper truncation (default 2000)', needs: 'pareto' },
];
const SEAM_SWITCH: FlagDef = { name: 'seam', boolean: true, help: 'then SEAM blooming correction (ntl calibrate seam --help)' };
const PARETO_SWITCH: FlagDef = { name: 'pareto', boolean: true, help: 'then Pareto top-code imputation (ntl calibrate pareto --help)' };

/** The corrections `own` (the verb's own step: its parameters without the switch) and the others, with switches. */
export type Correction = 'vanui' | 'seam' | 'pareto';

const strip = (fs: readonly FlagDef[]): FlagDef[] => fs.map(({ needs: _n, ...f }) => f);

/** The verb's own correction parameters. */
export function ownCorrectionGroup(own: Correction): FlagGroup {
  if (own === 'seam') return { title: 'SEAM (Cao et al. 2019)', flags: strip(SEAM_PARAMS) };
  if (own === 'pareto') return { title: 'Pareto top-code (Bluhm & Krause 2022)', flags: strip(PARETO_PARAMS) };
  return {
    title: 'VANUI (Zhang, Schaaf & Seto 2013)',
    flags: [{ ...VANUI_FLAGS[0]!, help: 'NDVI raster on the same grid (annual mean); NDVI < 0 → 0' }, strip(VANUI_FLAGS.slice(1))[0]!],
  };
}

/** The corrections a raster verb can add after its own step (all but `own`). */
export function correctionsGroup(own: Correction | null = null): FlagGroup {
  const flags: FlagDef[] = [];
  if (own !== 'vanui') flags.push(...VANUI_FLAGS);
  if (own !== 'pareto') flags.push(PARETO_SWITCH, ...PARETO_PARAMS);
  if (own !== 'seam') flags.push(SEAM_SWITCH, ...SEAM_PARAMS);
  return { title: 'Then (optional; order: VANUI, then SEAM, then Pareto)', flags };
}

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
