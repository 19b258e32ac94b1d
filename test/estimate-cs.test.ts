/**
 * Callaway–Sant'Anna ATT(g,t) and aggregations against R did (goldens from scripts/golden/staggered-cs.R,
 * ≤ 1e-8 relative on every estimate and SE), and a planted heterogeneous dynamic effect where TWFE is biased
 * but CS recovers the truth.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baconDecomposition } from '../src/estimate/bacon.js';
import { attGt, type BasePeriod, type ControlGroup } from '../src/estimate/cs.js';
import { aggregateAtt, AGGREGATION_TYPES } from '../src/estimate/staggered-aggregate.js';
import { balancePanel, gridValues, unitConstant } from '../src/estimate/staggered-panel.js';
import { readTable } from '../src/panel/read-table.js';

interface Term { at: number; att: number; se: number | null }
interface GoldenCase {
  file: string;
  control: string;
  base: BasePeriod;
  anticipation: number;
  n: number;
  attgt: { group: number; time: number; att: number; se: number | null }[];
  aggregates: { type: string; att: number; se: number; terms: Term[] }[];
}
const golden = JSON.parse(readFileSync('test/goldens/staggered-cs.json', 'utf8')) as { cases: GoldenCase[] };

async function load(file: string) {
  const t = await readTable(`test/fixtures/staggered/${file}`);
  const panel = balancePanel(t.text('id'), t.numbers('year'), { unit: 'id', time: 'year' });
  return { t, panel, y: gridValues(panel, t.numbers('y'), 'y'), cohort: unitConstant(panel, t.numbers('first_treat'), 'first_treat', undefined, 0) };
}

function close(a: number | null, b: number | null, what: string): void {
  if (b === null) {
    expect(a, what).toBeNull();
    return;
  }
  expect(a, what).not.toBeNull();
  const rel = Math.abs(a! - b) / Math.max(Math.abs(b), 1e-12);
  expect(rel, `${what}: ${a} vs ${b}`).toBeLessThan(1e-8);
}

describe('attGt + aggregateAtt vs R did', () => {
  for (const g of golden.cases) {
    const control: ControlGroup = g.control === 'nevertreated' ? 'never' : 'notyet';
    it(`${g.file} control=${control} base=${g.base} anticipation=${g.anticipation}`, async () => {
      const { panel, y, cohort } = await load(g.file);
      const r = attGt({ units: panel.units, times: panel.times, y, cohort, control, base: g.base, anticipation: g.anticipation });
      expect(r.nUnits).toBe(g.n);
      expect(r.notes.some((s) => /dropped 3 units already treated in the first period/.test(s))).toBe(true);
      expect(r.cells.map((c) => [c.group, c.time])).toEqual(g.attgt.map((c) => [c.group, c.time]));
      r.cells.forEach((c, k) => {
        close(c.att === 0 && g.attgt[k]!.att === 0 ? 0 : c.att, g.attgt[k]!.att, `ATT(${c.group},${c.time})`);
        close(c.se, g.attgt[k]!.se, `SE(${c.group},${c.time})`);
      });
      for (const type of AGGREGATION_TYPES) {
        const want = g.aggregates.find((a) => a.type === type)!;
        const got = aggregateAtt(r, type);
        close(got.att, want.att, `${type} ATT`);
        close(got.se, want.se, `${type} SE`);
        expect(got.terms.map((x) => x.at)).toEqual(want.terms.map((x) => x.at));
        got.terms.forEach((x, j) => {
          close(x.att, want.terms[j]!.att, `${type} ATT at ${x.at}`);
          close(x.se, want.terms[j]!.se, `${type} SE at ${x.at}`);
        });
      }
    });
  }

  it('errors: no never-treated units with control=never; cohort not constant within a unit', async () => {
    const { panel, y, cohort } = await load('cs.csv');
    const treatedOnly = panel.units.map((_, u) => u).filter((u) => cohort[u] !== 0);
    const T = panel.times.length;
    const sub = {
      units: treatedOnly.map((u) => panel.units[u]!),
      times: panel.times,
      y: Float64Array.from(treatedOnly.flatMap((u) => [...y.subarray(u * T, (u + 1) * T)])),
      cohort: Float64Array.from(treatedOnly, (u) => cohort[u]!),
    };
    expect(() => attGt({ ...sub, control: 'never' })).toThrow(/no never-treated units .* use --control notyet/);
    const r = attGt({ ...sub, control: 'notyet' });
    expect(r.notes.join(' ')).toMatch(/last cohort \(2007\) serves only as a not-yet-treated control/);
    expect(r.groups).toEqual([2003, 2005]);
    expect(() => unitConstant(balancePanel(['a', 'a'], [1, 2], { unit: 'id', time: 't' }), [0, 2001], 'g')).toThrow(/column "g" must be constant within a unit, but unit "a" has 0 at row 1 and 2001 at row 2/);
  });
});

describe('planted heterogeneous dynamic effect (test/fixtures/staggered/sim.csv)', () => {
  it('TWFE is biased by more than 0.5; CS simple ATT within 0.1 of the truth, event-time ATTs within 3 SE', async () => {
    const { t, panel, y, cohort } = await load('sim.csv');
    const tau = gridValues(panel, t.numbers('tau'), 'tau');
    const d = gridValues(panel, t.numbers('d'), 'd');
    const T = panel.times.length;
    // Truth: the same aggregation applied to the planted cell effects (tau is constant within cohort × year).
    const truthCell = (g: number, year: number) => tau[cohort.indexOf(g) * T + panel.times.indexOf(year)]!;
    const r = attGt({ units: panel.units, times: panel.times, y, cohort });
    const simple = aggregateAtt(r, 'simple');
    const post = r.cells.filter((c) => c.post);
    const share = (g: number) => cohort.filter((c) => c === g).length;
    const truth = post.reduce((a, c) => a + share(c.group) * truthCell(c.group, c.time), 0) / post.reduce((a, c) => a + share(c.group), 0);
    const twfe = baconDecomposition({ units: panel.units, times: panel.times, y, d }).twfe;
    expect(Math.abs(twfe - truth)).toBeGreaterThan(0.5);
    expect(Math.abs(simple.att - truth)).toBeLessThan(0.1);
    expect(Math.abs(simple.att - truth)).toBeLessThan(2 * simple.se!);
    const dynamic = aggregateAtt(r, 'dynamic');
    for (const e of dynamic.terms) {
      const cellsE = r.cells.filter((c) => c.time - c.group === e.at);
      const truthE = e.at < 0 ? 0 : cellsE.reduce((a, c) => a + share(c.group) * truthCell(c.group, c.time), 0) / cellsE.reduce((a, c) => a + share(c.group), 0);
      expect(Math.abs(e.att - truthE), `event time ${e.at}`).toBeLessThan(3 * e.se!);
    }
  });
});
