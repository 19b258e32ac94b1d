/** Student t tails (own incomplete beta) against R pt() goldens (scripts/golden/did-estimatr.R). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logGamma, tCdf, tQuantile, tTwoSided } from '../../src/estimate/tdist.js';

const rows = readFileSync('test/goldens/did-pt.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number));

describe('t distribution', () => {
  it('two-sided p equals R 2*pt(-|t|, df) to 5e-12 relative (df up to 1e5; p down to 1e-209)', () => {
    let worst = 0;
    for (const [t, df, p] of rows) {
      const ours = tTwoSided(t!, df!);
      const err = p! < 1e-300 ? Math.abs(ours - p!) : Math.abs(ours - p!) / p!;
      worst = Math.max(worst, err);
    }
    expect(worst).toBeLessThan(5e-12);
  });
  it('logGamma at integers and halves', () => {
    expect(Math.abs(logGamma(10) - Math.log(362880))).toBeLessThan(1e-13);
    expect(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-14);
  });
  it('quantile inverts the CDF (t_{0.975, 9} = 2.262157 as in tables)', () => {
    expect(tQuantile(0.975, 9).toFixed(6)).toBe('2.262157');
    expect(Math.abs(tCdf(tQuantile(0.9, 29), 29) - 0.9)).toBeLessThan(1e-13);
  });
});
