/**
 * Goodman-Bacon decomposition against R bacondecomp::bacon() (goldens from scripts/golden/staggered-bacon.R)
 * and against the TWFE β of the regression core: weights sum to 1, Σ weight × estimate = β to 1e-10.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baconDecomposition, type BaconType } from '../../src/estimate/bacon.js';
import { feols } from '../../src/estimate/feols.js';
import { balancePanel, gridValues } from '../../src/estimate/staggered-panel.js';
import { readTable } from '../../src/panel/read-table.js';
import { tempDir } from '../helpers/tmp.js';

interface GoldenCase {
  file: string;
  twfe: number;
  comparisons: { type: string; treated: number; control: number | null; estimate: number; weight: number }[];
}
const golden = JSON.parse(readFileSync('test/goldens/staggered-bacon.json', 'utf8')) as { cases: GoldenCase[] };
const R_TYPE: Record<string, BaconType> = {
  'Treated vs Untreated': 'treated_vs_never',
  'Earlier vs Later Treated': 'earlier_vs_later',
  'Later vs Earlier Treated': 'later_vs_earlier',
  'Later vs Always Treated': 'later_vs_always',
};

async function load(file: string) {
  const t = await readTable(`test/fixtures/staggered/${file}`);
  const panel = balancePanel(t.text('id'), t.numbers('year'), { unit: 'id', time: 'year' });
  return { panel, y: gridValues(panel, t.numbers('y'), 'y'), d: gridValues(panel, t.numbers('d'), 'd') };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('baconDecomposition', () => {
  for (const g of golden.cases) {
    it(`${g.file}: every 2×2 estimate and weight matches bacondecomp (≤ 1e-10 relative)`, async () => {
      const { panel, y, d } = await load(g.file);
      const r = baconDecomposition({ units: panel.units, times: panel.times, y, d });
      expect(r.comparisons.length).toBe(g.comparisons.length);
      for (const gc of g.comparisons) {
        const c = r.comparisons.find((x) => x.treated === gc.treated && x.control === gc.control);
        expect(c, `${gc.treated} vs ${gc.control}`).toBeDefined();
        expect(c!.type).toBe(R_TYPE[gc.type]);
        expect(rel(c!.estimate, gc.estimate)).toBeLessThan(1e-10);
        expect(rel(c!.weight, gc.weight)).toBeLessThan(1e-10);
      }
    });

    it(`${g.file}: weights sum to 1 and reproduce the TWFE β of feols and fixest to 1e-10`, async () => {
      const { panel, y, d } = await load(g.file);
      const r = baconDecomposition({ units: panel.units, times: panel.times, y, d });
      expect(Math.abs(r.weightSum - 1)).toBeLessThan(1e-12);
      const T = panel.times.length;
      const unit = Int32Array.from({ length: y.length }, (_, i) => Math.floor(i / T));
      const time = Int32Array.from({ length: y.length }, (_, i) => i % T);
      const fe = feols({ y, x: [d], xNames: ['d'], fe: [unit, time], feNames: ['unit', 'time'] }, { type: 'iid' });
      expect(Math.abs(r.weightedSum - fe.coef[0]!)).toBeLessThan(1e-10);
      expect(Math.abs(r.twfe - fe.coef[0]!)).toBeLessThan(1e-10);
      expect(Math.abs(r.weightedSum - g.twfe)).toBeLessThan(1e-10);
      // the per-type summaries add up to the whole
      const byType = r.byType.filter((s) => s.estimate !== null);
      expect(byType.reduce((a, s) => a + s.weight, 0)).toBeCloseTo(1, 12);
      expect(Math.abs(byType.reduce((a, s) => a + s.weight * s.estimate!, 0) - r.twfe)).toBeLessThan(1e-10);
    });
  }

  it('rejects a treatment that switches off, a non-binary treatment and a panel without switchers', () => {
    const times = [1, 2, 3];
    const units = ['a', 'b'];
    const y = new Float64Array(6);
    expect(() => baconDecomposition({ units, times, y, d: Float64Array.from([0, 1, 0, 0, 0, 0]) })).toThrow(/unit "a" switches off \(1 at 2, 0 at 3\)/);
    expect(() => baconDecomposition({ units, times, y, d: Float64Array.from([0, 2, 2, 0, 0, 0]) })).toThrow(/unit "a" at 2 is 2; it must be 0 or 1/);
    expect(() => baconDecomposition({ units, times, y, d: Float64Array.from([1, 1, 1, 0, 0, 0]) })).toThrow(/no unit changes treatment status/);
  });

  it('rejects an unbalanced panel, naming the unit and the missing period', () => {
    expect(() => balancePanel(['a', 'a', 'b'], [1, 2, 1], { unit: 'id', time: 'year' })).toThrow(/unbalanced panel: unit "b" has no row for year = 2/);
    expect(() => balancePanel(['a', 'a'], [1, 1], { unit: 'id', time: 'year' })).toThrow(/unit "a" has a second row for year = 1/);
  });
});

describe('ntl bacon (command function; registered in main by the maintainer)', () => {
  const run = async (argv: string[]) => {
    const { baconCommand } = await import('../../src/cli/bacon-command.js');
    let stdout = '';
    const code = await baconCommand(argv, { stdout: (t) => void (stdout += t), stderr: () => undefined });
    return { code, stdout };
  };
  const args = (p: string) => ['--panel', p, '--y', 'y', '--treat', 'd', '--unit', 'id', '--time', 'year'];

  it('prints the decomposition as JSON (per type and per 2×2) and as a table', async () => {
    const r = await run(args('test/fixtures/staggered/bacon.csv'));
    const j = JSON.parse(r.stdout) as {
      twfe: number;
      weight_sum: number;
      weighted_sum: number;
      by_type: { type: string; weight: number }[];
      comparisons: unknown[];
    };
    expect(Math.abs(j.twfe - golden.cases[0]!.twfe)).toBeLessThan(1e-10);
    expect(Math.abs(j.weighted_sum - j.twfe)).toBeLessThan(1e-10);
    expect(j.comparisons.length).toBe(12);
    expect(j.by_type.find((t) => t.type === 'later_vs_earlier')!.weight).toBeCloseTo(0.15249, 5); // bacon_summary() in R
    const md = await run([...args('test/fixtures/staggered/bacon.csv'), '--format', 'md']);
    expect(md.stdout).toMatch(/\| Later vs earlier treated \(forbidden\) \| +0\.1525 \| +0\.5933 \| +3 \|/);
  });

  it('bad input names the file: switching treatment, unbalanced panel', async () => {
    const dir = tempDir('bacon');
    const text = readFileSync('test/fixtures/staggered/bacon.csv', 'utf8').split('\n');
    // u008 is always treated (2001): make it switch off in 2005
    const off = join(dir, 'off.csv');
    writeFileSync(off, text.map((l) => (l.startsWith('u008,2005,') ? l.replace(/,1$/, ',0') : l)).join('\n'));
    await expect(run(args(off))).rejects.toThrow(/off\.csv: treatment of unit "u008" switches off \(1 at 2001, 0 at 2005\).*absorbing/);
    const unb = join(dir, 'unbalanced.csv');
    writeFileSync(unb, text.filter((l) => !l.startsWith('u003,2004,')).join('\n'));
    await expect(run(args(unb))).rejects.toThrow(/unbalanced panel: unit "u003" has no row for year = 2004/);
  });
});
