/**
 * Logistic regression by iteratively reweighted least squares (Newton–Raphson on the log-likelihood), with an
 * intercept. Hand-written (a few lines on our Cholesky) rather than a dependency; converges until the relative
 * change in deviance is < 1e-12, tighter than R glm's default 1e-8, so it matches glm(epsilon = 1e-14).
 */
import { NtlError } from '../errors.js';
import { choleskyDropping, choleskyInverse, choleskySolve } from './linalg.js';

export interface LogitResult {
  readonly names: readonly string[];
  readonly coef: readonly number[];
  readonly se: readonly number[];
  readonly fitted: Float64Array;
  readonly iterations: number;
  readonly deviance: number;
}

export function logit(y: Float64Array, x: readonly Float64Array[], names: readonly string[], maxIter = 100): LogitResult {
  const n = y.length;
  const cols = [new Float64Array(n).fill(1), ...x];
  const k = cols.length;
  const beta = new Float64Array(k);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const update = () => {
    let dev = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < k; j++) e += cols[j]![i]! * beta[j]!;
      eta[i] = e;
      mu[i] = 1 / (1 + Math.exp(-e));
      const m = mu[i]!;
      dev -= 2 * (y[i]! === 1 ? Math.log(m) : Math.log1p(-m));
    }
    return dev;
  };
  let dev = update();
  let info = new Float64Array(k * k);
  for (let it = 1; it <= maxIter; it++) {
    info = new Float64Array(k * k);
    const grad = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const w = mu[i]! * (1 - mu[i]!);
      const r = y[i]! - mu[i]!;
      for (let a = 0; a < k; a++) {
        const xa = cols[a]![i]!;
        grad[a]! += xa * r;
        for (let b = 0; b <= a; b++) info[a * k + b]! += w * xa * cols[b]![i]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) info[b * k + a] = info[a * k + b]!;
    const ch = choleskyDropping(info, k, 1e-12);
    if (ch.dropped.length > 0)
      throw new NtlError(
        `propensity logit: covariate(s) ${ch.dropped.map((d) => `"${['(intercept)', ...names][d]}"`).join(', ')} are collinear or perfectly separate the groups; remove them from --covariates`,
      );
    const step = choleskySolve(ch.l, k, grad);
    for (let a = 0; a < k; a++) beta[a]! += step[a]!;
    const next = update();
    const converged = Math.abs(next - dev) < 1e-12 * (Math.abs(next) + 0.1);
    dev = next;
    if (converged) {
      const inv = choleskyInverse(choleskyDropping(info, k, 0).l, k);
      return {
        names: ['(intercept)', ...names],
        coef: Array.from(beta),
        se: Array.from({ length: k }, (_, a) => Math.sqrt(inv[a * k + a]!)),
        fitted: Float64Array.from(mu),
        iterations: it,
        deviance: dev,
      };
    }
  }
  throw new NtlError(`propensity logit did not converge in ${maxIter} iterations; a covariate may perfectly predict treatment — remove it from --covariates`);
}
