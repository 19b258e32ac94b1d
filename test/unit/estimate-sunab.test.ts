/**
 * Sun & Abraham interaction-weighted event study against R fixest::sunab (goldens from
 * scripts/golden/staggered-sunab.R): cohort × period coefficients, per-period IW effects and the ATT with
 * clustered SEs, ≤ 1e-8 relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { balancePanel, gridValues, unitConstant } from '../../src/estimate/staggered-panel.js';
import { sunAbraham } from '../../src/estimate/sunab.js';
import { readTable } from '../../src/panel/read-table.js';

interface GoldenCase {
  case: string;
  terms: { at: number; att: number; se: number }[];
  att: number;
  se: number;
  coefficients: { name: string; coef: number; se: number }[];
}
const golden = JSON.parse(readFileSync('test/goldens/staggered-sunab.json', 'utf8')) as { cases: GoldenCase[] };

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

async function load(file: string, dropNever: boolean) {
  const t = await readTable(`test/fixtures/staggered/${file}`);
  const panel = balancePanel(t.text('id'), t.numbers('year'), { unit: 'id', time: 'year' });
  const y = gridValues(panel, t.numbers('y'), 'y');
  const cohort = unitConstant(panel, t.numbers('first_treat'), 'first_treat', undefined, 0);
  if (!dropNever) return { units: panel.units, times: panel.times, y, cohort };
  const T = panel.times.length;
  const keep = panel.units.map((_, u) => u).filter((u) => cohort[u] !== 0);
  return {
    units: keep.map((u) => panel.units[u]!),
    times: panel.times,
    y: Float64Array.from(keep.flatMap((u) => [...y.subarray(u * T, (u + 1) * T)])),
    cohort: Float64Array.from(keep, (u) => cohort[u]!),
  };
}

describe('sunAbraham vs fixest::sunab', () => {
  for (const g of golden.cases) {
    it(`control = ${g.case}`, async () => {
      const r = sunAbraham(await load(g.case === 'cs' ? 'cs.csv' : 'sim.csv', g.case === 'last'));
      if (g.case === 'cs') expect(r.notes.join(' ')).toMatch(/dropped 3 units treated in the first period/);
      expect(r.coefficients.length).toBe(g.coefficients.length);
      for (const want of g.coefficients) {
        const m = /year::(-?\d+):cohort::(\d+)/.exec(want.name)!;
        const c = r.coefficients.find((x) => x.event === Number(m[1]) && x.cohort === Number(m[2]))!;
        expect(c, want.name).toBeDefined();
        expect(rel(c.coef, want.coef), want.name).toBeLessThan(1e-8);
        expect(rel(c.se, want.se), want.name).toBeLessThan(1e-8);
      }
      expect(r.terms.map((x) => x.at)).toEqual(g.terms.map((x) => x.at));
      r.terms.forEach((x, j) => {
        expect(rel(x.att, g.terms[j]!.att), `e = ${x.at}`).toBeLessThan(1e-8);
        expect(rel(x.se!, g.terms[j]!.se), `SE e = ${x.at}`).toBeLessThan(1e-8);
      });
      expect(rel(r.att, g.att)).toBeLessThan(1e-8);
      expect(rel(r.se, g.se)).toBeLessThan(1e-8);
      if (g.case === 'last') expect(r.notes.join(' ')).toMatch(/control: cohort 2010 \(last treated\)/);
    });
  }
});
