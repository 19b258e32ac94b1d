/**
 * Two-way (or any-way) fixed-effects DID on a prepared panel: y on the treatment (0/1 or intensity), controls
 * and interaction terms, with the panel's fixed effects absorbed and the chosen variance. Pure: columns in,
 * RegressionResult out; the CLI and the pipeline runner both call `twfeDid`.
 */
import { NtlError } from '../errors.js';
import { feols } from './feols.js';
import type { PreparedPanel } from './prepare.js';
import type { RegressionData, RegressionResult, SmallSample, VcovSpec, VcovType } from './types.js';

/** `a:b` = a × b (numeric b); `a:i.b` = a × 1[b = level] for each level of b, replacing a itself. */
export interface Interaction {
  readonly a: string;
  readonly b: string;
  readonly byLevel: boolean;
}

export interface ModelOptions {
  readonly controls: readonly string[];
  readonly interactions?: readonly Interaction[];
  readonly fe: readonly string[];
  readonly cluster: readonly string[];
  readonly vcov: VcovType;
  readonly ssc: SmallSample;
}

export interface DidOptions extends ModelOptions {
  readonly treat: string;
}

export interface Regressor {
  readonly name: string;
  readonly values: Float64Array;
}

export function parseInteraction(text: string): Interaction {
  const m = /^([^:]+):(i\.)?([^:]+)$/.exec(text.trim());
  if (!m) throw new NtlError(`--interact "${text}" must look like A:B (product) or A:i.B (A by level of B)`);
  return { a: m[1]!, b: m[3]!, byLevel: m[2] !== undefined };
}

/** Columns an interaction list needs: numeric b's and factor b's. */
export function interactionColumns(list: readonly Interaction[]): { numeric: string[]; factors: string[] } {
  return {
    numeric: [...list.map((i) => i.a), ...list.filter((i) => !i.byLevel).map((i) => i.b)],
    factors: list.filter((i) => i.byLevel).map((i) => i.b),
  };
}

/** Treatment, its interactions, then controls, in that order (collinearity drops later columns first). */
export function didRegressors(panel: PreparedPanel, treat: string, controls: readonly string[], interactions: readonly Interaction[]): Regressor[] {
  const col = (name: string) => {
    const v = panel.numeric.get(name);
    if (!v) throw new NtlError(`column "${name}" was not loaded as numeric`);
    return v;
  };
  const out: Regressor[] = [];
  const replaced = new Set(interactions.filter((i) => i.byLevel).map((i) => i.a));
  if (!replaced.has(treat)) out.push({ name: treat, values: col(treat) });
  for (const it of interactions) {
    const a = col(it.a);
    if (!it.byLevel) {
      const b = col(it.b);
      out.push({ name: `${it.a}:${it.b}`, values: a.map((v, i) => v * b[i]!) });
      continue;
    }
    const f = panel.factors.get(it.b)!;
    const order = f.labels.map((l, c) => [l, c] as const).sort((p, q) => compareLabels(p[0], q[0]));
    for (const [label, code] of order) out.push({ name: `${it.a}:${it.b}=${label}`, values: a.map((v, i) => (f.codes[i] === code ? v : 0)) });
  }
  for (const c of controls) if (!out.some((r) => r.name === c)) out.push({ name: c, values: col(c) });
  return out;
}

export function regressionData(panel: PreparedPanel, regressors: readonly Regressor[], fe: readonly string[], rows?: Int32Array): RegressionData {
  const sub = (v: Float64Array): Float64Array => (rows ? Float64Array.from(rows, (i) => v[i]!) : v);
  const subCodes = (v: Int32Array): Int32Array => (rows ? Int32Array.from(rows, (i) => v[i]!) : v);
  return {
    y: sub(panel.y),
    x: regressors.map((r) => sub(r.values)),
    xNames: regressors.map((r) => r.name),
    fe: fe.map((f) => subCodes(panel.factors.get(f)!.codes)),
    feNames: [...fe],
    weights: panel.weights ? sub(panel.weights) : undefined,
  };
}

export function vcovSpec(panel: PreparedPanel, opts: Pick<ModelOptions, 'cluster' | 'vcov' | 'ssc'>, rows?: Int32Array): VcovSpec {
  if (opts.vcov !== 'CR1') return { type: opts.vcov, ssc: opts.ssc };
  const clusters = opts.cluster.map((c) => {
    const codes = panel.factors.get(c)!.codes;
    const v = rows ? Int32Array.from(rows, (i) => codes[i]!) : codes;
    if (new Set(v).size < 2) {
      throw new NtlError(
        `${panel.path}: cluster variable "${c}" has fewer than 2 distinct values in the estimation sample; cluster-robust SEs need many clusters — choose another --cluster or use --vcov hc1`,
      );
    }
    return v;
  });
  return { type: 'CR1', clusters, ssc: opts.ssc };
}

/** Run the regression; a treatment absorbed by the fixed effects is an error, not a silent drop. */
export function fitModel(
  panel: PreparedPanel,
  regressors: readonly Regressor[],
  opts: ModelOptions,
  mustKeep: readonly string[],
  rows?: Int32Array,
): RegressionResult {
  const r = feols(regressionData(panel, regressors, opts.fe, rows), vcovSpec(panel, opts, rows));
  for (const name of mustKeep) {
    if (!r.names.includes(name)) {
      throw new NtlError(
        `${panel.path}: "${name}" is collinear with the fixed effects (${opts.fe.join(', ')}) or the other regressors, so its effect is not identified; check that it varies within units over time`,
      );
    }
  }
  return r;
}

export function twfeDid(panel: PreparedPanel, opts: DidOptions): RegressionResult {
  const regs = didRegressors(panel, opts.treat, opts.controls, opts.interactions ?? []);
  const must = regs.filter((r) => r.name === opts.treat || r.name.startsWith(`${opts.treat}:`)).map((r) => r.name);
  return fitModel(panel, regs, opts, must.slice(0, 1));
}

function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
