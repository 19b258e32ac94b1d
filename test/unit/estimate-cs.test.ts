/**
 * Callaway–Sant'Anna ATT(g,t) and aggregations against R did (goldens from scripts/golden/staggered-cs.R,
 * ≤ 1e-8 relative on every estimate and SE), and a planted heterogeneous dynamic effect where TWFE is biased
 * but CS recovers the truth.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baconDecomposition } from '../../src/estimate/bacon.js';
import { attGt, type BasePeriod, type ControlGroup } from '../../src/estimate/cs.js';
import { aggregateAtt, AGGREGATION_TYPES } from '../../src/estimate/staggered-aggregate.js';
import { balancePanel, gridValues, unitConstant } from '../../src/estimate/staggered-panel.js';
import { readTable } from '../../src/panel/read-table.js';
import { tempDir } from '../helpers/tmp.js';

interface Term {
  at: number;
  att: number;
  se: number | null;
}
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
    expect(() => unitConstant(balancePanel(['a', 'a'], [1, 2], { unit: 'id', time: 't' }), [0, 2001], 'g')).toThrow(
      /column "g" must be constant within a unit, but unit "a" has 0 at row 1 and 2001 at row 2/,
    );
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
      const truthE =
        e.at < 0 ? 0 : cellsE.reduce((a, c) => a + share(c.group) * truthCell(c.group, c.time), 0) / cellsE.reduce((a, c) => a + share(c.group), 0);
      expect(Math.abs(e.att - truthE), `event time ${e.at}`).toBeLessThan(3 * e.se!);
    }
  });
});

describe('ntl att (command function; registered in main by the maintainer)', () => {
  const run = async (argv: string[]) => {
    const { attCommand } = await import('../../src/cli/att-command.js');
    let stdout = '';
    const code = await attCommand(argv, { stdout: (t) => void (stdout += t), stderr: () => undefined });
    return { code, stdout };
  };
  const base = ['--panel', 'test/fixtures/staggered/cs.csv', '--y', 'y', '--unit', 'id', '--time', 'year', '--cohort', 'first_treat'];

  it('JSON matches did for the dynamic aggregation; notes the dropped first-period units; tables render', async () => {
    const r = await run([...base, '--control', 'notyet']);
    const j = JSON.parse(r.stdout) as { aggregates: { dynamic: { att: number; se: number } }; notes: string[] };
    const want = golden.cases[1]!.aggregates.find((a) => a.type === 'dynamic')!;
    close(j.aggregates.dynamic.att, want.att, 'dynamic ATT');
    close(j.aggregates.dynamic.se, want.se, 'dynamic SE');
    expect(j.notes.join(' ')).toMatch(/dropped 3 units already treated in the first period 2001/);
    const md = await run([...base, '--format', 'md', '--aggregate', 'simple,group']);
    expect(md.stdout).toMatch(/\| ATT +\|/);
    expect(md.stdout).toMatch(/g=2005/);
    const sa = await run([...base, '--method', 'sunab', '--format', 'csv']);
    expect(sa.stdout.split('\n')[0]).toBe(',Sun–Abraham y');
  });

  it('bad input: one NtlError naming file, column and row', async () => {
    const dir = tempDir('att');
    const text = readFileSync('test/fixtures/staggered/cs.csv', 'utf8').split('\n');
    const write = (name: string, lines: string[]) => {
      writeFileSync(join(dir, name), lines.join('\n'));
      return join(dir, name);
    };
    const args = (p: string) => ['--panel', p, '--y', 'y', '--unit', 'id', '--time', 'year', '--cohort', 'first_treat'];
    const unbalanced = write(
      'unbalanced.csv',
      text.filter((_, i) => i !== 5),
    );
    await expect(run(args(unbalanced))).rejects.toThrow(/unbalanced panel: unit "u001" has no row for year = 2005/);
    const badY = write(
      'bad-y.csv',
      text.map((l, i) => (i === 3 ? l.replace(/,[^,]+,0$/, ',abc,0') : l)),
    );
    await expect(run(args(badY))).rejects.toThrow(/bad-y\.csv line 4: column "y" has the non-numeric value "abc"/);
    const varying = write(
      'varying.csv',
      text.map((l, i) => (i === 3 ? l.replace(/,0$/, ',2005') : l)),
    );
    await expect(run(args(varying))).rejects.toThrow(
      /column "first_treat" must be constant within a unit, but unit "u001" has 0 at .*varying\.csv line 2 and 2005 at .*line 4/,
    );
    const noNever = write(
      'no-never.csv',
      text.filter((l, i) => i === 0 || !/,0$/.test(l)),
    );
    await expect(run(args(noNever))).rejects.toThrow(/no-never\.csv: there are no never-treated units .* use --control notyet/);
    await expect(run([...args(noNever), '--control', 'sometimes'])).rejects.toThrow(/--control must be never, notyet \(cs\) or last \(sunab\)/);
  });
});
