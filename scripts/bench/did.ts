/**
 * DID benchmark: 2,900 units × 32 years, y ~ D + x1 | unit + year, CR1 by unit. Times our feols and the
 * estimatr::lm_robust(fixed_effects = ~unit + year, clusters = unit, se_type = "stata") call on the same data
 * (both in memory, I/O excluded; medians of 5), prints the ratio, checks the two agree; then a 500-draw
 * placebo with all cores.   Run: npx tsx scripts/bench/did.ts   (needs Rscript + estimatr)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { feols } from '../../src/estimate/feols.js';
import { runPlaceboDraws } from '../../src/estimate/placebo-pool.js';
import { Xoshiro128 } from '../../src/estimate/prng.js';

const U = 2900;
const T = 32;
const n = U * T;
const rng = new Xoshiro128(42);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
const unit = new Int32Array(n);
const year = new Int32Array(n);
const D = new Float64Array(n);
const x1 = new Float64Array(n);
const y = new Float64Array(n);
const cohort = new Float64Array(U).map(() => (rng.nextFloat() < 0.4 ? 2000 + 5 + rng.nextInt(20) : Number.NaN));
const alpha = Array.from({ length: U }, gauss);
for (let u = 0, i = 0; u < U; u++)
  for (let t = 0; t < T; t++, i++) {
    unit[i] = u;
    year[i] = t;
    D[i] = 2000 + t >= cohort[u]! ? 1 : 0;
    x1[i] = gauss();
    y[i] = alpha[u]! + 0.05 * t + 0.5 * D[i]! + 0.3 * x1[i]! + gauss();
  }
const dir = mkdtempSync(join(tmpdir(), 'ntl-bench-did-'));
const csv = join(dir, 'panel.csv');
writeFileSync(csv, 'unit,year,D,x1,y\n' + Array.from({ length: n }, (_, i) => `${unit[i]},${year[i]},${D[i]},${x1[i]},${y[i]}`).join('\n') + '\n');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const data = { y, x: [D, x1], xNames: ['D', 'x1'], fe: [unit, year], feNames: ['unit', 'year'] };
const times: number[] = [];
let ours = feols(data, { type: 'CR1', clusters: [unit], ssc: 'full' });
for (let r = 0; r < 5; r++) {
  const t0 = process.hrtime.bigint();
  ours = feols(data, { type: 'CR1', clusters: [unit], ssc: 'full' });
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const rScript = `suppressMessages(library(estimatr)); d <- read.csv("${csv}")
m <- lm_robust(y ~ D + x1, data = d, fixed_effects = ~unit + year, clusters = unit, se_type = "stata")
ts <- sapply(1:5, function(i) system.time(m <<- lm_robust(y ~ D + x1, data = d, fixed_effects = ~unit + year, clusters = unit, se_type = "stata"))[["elapsed"]])
cat(sprintf("%.17g", c(median(ts) * 1000, coef(m)[["D"]], m$std.error[["D"]])), "\\n")`;
const [rMs, rCoef, rSe] = execFileSync('Rscript', ['-e', rScript], { encoding: 'utf8' }).trim().split(/\s+/).map(Number) as [number, number, number];
const ourMs = median(times);
console.log(`feols (ours)        ${ourMs.toFixed(1)} ms   (n = ${n}, 2 FE, CR1; demeaning sweeps ${ours.demeanSweeps})`);
console.log(`estimatr lm_robust  ${rMs.toFixed(1)} ms   (system.time elapsed, median of 5)`);
console.log(`ratio ours/estimatr ${(ourMs / rMs).toFixed(3)}`);
console.log(
  `agreement: coef rel ${(Math.abs(ours.coef[0]! - rCoef) / Math.abs(rCoef)).toExponential(2)}, se rel ${(Math.abs(ours.se[0]! - rSe) / rSe).toExponential(2)}`,
);

const setup = {
  y,
  controls: [x1],
  controlNames: ['x1'],
  fe: [unit, year],
  unit,
  time: Float64Array.from(year, (t) => 2000 + t),
  cohortByUnit: cohort,
  periods: Float64Array.from({ length: T }, (_, t) => 2000 + t),
  mode: 'both' as const,
};
const p0 = process.hrtime.bigint();
await runPlaceboDraws(setup, 1, 500, availableParallelism());
console.log(`placebo 500 draws   ${(Number(process.hrtime.bigint() - p0) / 1e9).toFixed(2)} s with ${availableParallelism()} threads (target ≤ 10 s)`);
