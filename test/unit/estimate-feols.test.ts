/**
 * feols against independent implementations: estimatr::lm_robust / lm + sandwich::vcovCL (goldens made by
 * scripts/golden/did-estimatr.R on the committed panels) and the Grunfeld public check (methods.md §5).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feols, feolsFit, feolsVcov } from '../../src/estimate/feols.js';
import type { VcovSpec } from '../../src/estimate/types.js';
import { readTable } from '../../src/panel/read-table.js';
import { NtlError } from '../../src/errors.js';

function csvRows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = head!.split(',').map((s) => s.replace(/"/g, ''));
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v.replace(/"/g, '')])));
}

function codes(values: readonly (number | null)[]): Int32Array {
  const m = new Map<number | null, number>();
  return Int32Array.from(values, (v) => {
    if (!m.has(v)) m.set(v, m.size);
    return m.get(v)!;
  });
}

async function panel(name: string) {
  const t = await readTable(`test/fixtures/did/${name}.csv`);
  const num = (c: string) => Float64Array.from(t.numbers(c), (v) => v!);
  return {
    y: num('y'),
    D: num('D'),
    x1: num('x1'),
    x2: num('x2'),
    w: num('w'),
    unit: codes(t.numbers('unit')),
    year: codes(t.numbers('year')),
    province: codes(t.numbers('province')),
    regime: codes(t.numbers('regime')),
  };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const golden = csvRows('test/goldens/did-estimatr.csv');

describe('feols vs estimatr / sandwich goldens (full K convention)', () => {
  const cases = [...new Set(golden.map((g) => `${g.case}|${g.model}`))];
  it.each(cases)('%s', async (key) => {
    const [caseName, model] = key.split('|') as [string, string];
    const p = await panel(caseName);
    const controls = model !== 'cr1_unit_year';
    const x = controls ? [p.D, p.x1, p.x2] : [p.D];
    const xNames = controls ? ['D', 'x1', 'x2'] : ['D'];
    const fe = model === 'cr1_three_fe_province' ? [p.unit, p.year, p.regime] : [p.unit, p.year];
    let vcov: VcovSpec = { type: 'CR1', clusters: [p.unit], ssc: 'full' };
    if (model.startsWith('hc1')) vcov = { type: 'HC1' };
    if (model.startsWith('iid')) vcov = { type: 'iid' };
    if (model === 'cr1_twoway_unit_year') vcov = { type: 'CR1', clusters: [p.unit, p.year], ssc: 'full' };
    if (model === 'cr1_three_fe_province') vcov = { type: 'CR1', clusters: [p.province], ssc: 'full' };
    const r = feols({ y: p.y, x, xNames, fe, feNames: [], weights: model === 'cr1_weighted' ? p.w : undefined }, vcov);
    const rows = golden.filter((g) => g.case === caseName && g.model === model);
    for (const g of rows) {
      const j = r.names.indexOf(g.term!);
      expect(rel(r.coef[j]!, Number(g.coef)), `${g.term} coef`).toBeLessThan(1e-10);
      expect(rel(r.se[j]!, Number(g.se)), `${g.term} se`).toBeLessThan(1e-9);
    }
    expect(r.n).toBe(Number(rows[0]!.n));
    expect(r.k).toBe(Number(rows[0]!.k));
    if (rows[0]!.G !== 'NA') expect(r.clusters).toBe(Number(rows[0]!.G));
  });

  it('default (nested) convention = full SE × √((n−K_full)/(n−K_nested)), t on G−1 df', async () => {
    const p = await panel('unbalanced');
    const data = { y: p.y, x: [p.D, p.x1, p.x2], xNames: ['D', 'x1', 'x2'], fe: [p.unit, p.year], feNames: ['unit', 'year'] };
    const full = feols(data, { type: 'CR1', clusters: [p.unit], ssc: 'full' });
    const nested = feols(data, { type: 'CR1', clusters: [p.unit] });
    expect(nested.k).toBe(3 + 11); // 3 slopes + 11 year levels (10 + intercept); unit FE nested in the cluster
    const factor = Math.sqrt((full.n - full.k) / (full.n - nested.k));
    for (let j = 0; j < 3; j++) expect(rel(nested.se[j]!, full.se[j]! * factor)).toBeLessThan(1e-13);
    expect(nested.df).toBe(nested.clusters! - 1);
  });
});

describe('variance recomputed without refitting (feolsFit → feolsVcov)', () => {
  it('one fit gives the iid, HC1, CR1 and two-way goldens of the unit + year model with controls', async () => {
    const p = await panel('staggered');
    const fit = feolsFit({ y: p.y, x: [p.D, p.x1, p.x2], xNames: ['D', 'x1', 'x2'], fe: [p.unit, p.year], feNames: [] });
    const specs: [string, VcovSpec][] = [
      ['iid_unit_year_controls', { type: 'iid' }],
      ['hc1_unit_year_controls', { type: 'HC1' }],
      ['cr1_unit_year_controls', { type: 'CR1', clusters: [p.unit], ssc: 'full' }],
    ];
    for (const [model, vcov] of specs) {
      const r = feolsVcov(fit, vcov);
      for (const g of golden.filter((x) => x.case === 'staggered' && x.model === model)) {
        expect(rel(r.se[r.names.indexOf(g.term!)]!, Number(g.se)), `${model} ${g.term}`).toBeLessThan(1e-9);
      }
    }
  });
});

describe('Grunfeld public check (methods.md §5)', () => {
  it('inv ~ capital | firm + year, cluster firm → β = 0.41380183, SE = 0.06328129, K = 21', async () => {
    const t = await readTable('test/fixtures/did/grunfeld.csv');
    const firm = codes(t.numbers('firm'));
    const data = {
      y: Float64Array.from(t.numbers('inv'), (v) => v!),
      x: [Float64Array.from(t.numbers('capital'), (v) => v!)],
      xNames: ['capital'],
      fe: [firm, codes(t.numbers('year'))],
      feNames: ['firm', 'year'],
    };
    const r = feols(data, { type: 'CR1', clusters: [firm] });
    expect(r.coef[0]!.toFixed(8)).toBe('0.41380183');
    expect(r.se[0]!.toFixed(8)).toBe('0.06328129');
    expect(r.k).toBe(21);
    const g = Object.fromEntries(csvRows('test/goldens/did-grunfeld.csv').map((row) => [row.what, Number(row.value)]));
    const full = feols(data, { type: 'CR1', clusters: [firm], ssc: 'full' });
    expect(rel(full.se[0]!, g.se_full!)).toBeLessThan(1e-10);
    expect(rel(full.coef[0]!, g.coef!)).toBeLessThan(1e-12);
  });
});

describe('feols edge cases', () => {
  const base = () => {
    // 4 units × 3 periods plus a singleton unit (5th, one row)
    const unit = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4]);
    const time = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    const D = Float64Array.from([0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1]);
    const y = Float64Array.from([1, 2, 4, 2, 4, 5, 1, 1.5, 2.2, 3, 3.1, 3.3, 9]);
    return { unit, time, D, y };
  };
  it('drops singletons and a regressor collinear with the FEs, with notes', () => {
    const b = base();
    const constInUnit = Float64Array.from(b.unit, (u) => u * 2 + 1);
    const dup = Float64Array.from(b.D, (d) => 3 * d);
    const r = feols(
      { y: b.y, x: [b.D, constInUnit, dup], xNames: ['D', 'z', 'D3'], fe: [b.unit, b.time], feNames: ['unit', 'time'] },
      { type: 'CR1', clusters: [b.unit] },
    );
    expect(r.singletons).toBe(1);
    expect(r.n).toBe(12);
    expect(r.names).toEqual(['D']);
    expect(r.dropped).toEqual(['z', 'D3']);
    expect(r.notes.join(' ')).toMatch(/singleton/);
    expect(Number.isFinite(r.se[0]!)).toBe(true);
  });
  it('fewer than 2 clusters is an NtlError', () => {
    const b = base();
    expect(() => feols({ y: b.y, x: [b.D], xNames: ['D'], fe: [b.unit, b.time], feNames: [] }, { type: 'CR1', clusters: [new Int32Array(13)] })).toThrow(
      NtlError,
    );
  });
  it('no FE: intercept only, matches the closed-form slope', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5]);
    const y = Float64Array.from([2.1, 3.9, 6.2, 7.8, 10.1]);
    const r = feols({ y, x: [x], xNames: ['x'], fe: [], feNames: [] }, { type: 'iid' });
    // slope = Sxy / Sxx = 19.9 / 10
    expect(rel(r.coef[0]!, 1.99)).toBeLessThan(1e-14);
    expect(r.k).toBe(2);
  });
});
