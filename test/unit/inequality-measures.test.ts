/** Theil T/L and their decompositions, CV, the gap references, and the panel builder's shape and edge cases. */
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import {
  coefficientOfVariation,
  gapColumn,
  inequalityPanel,
  medianSorted,
  quantileSorted,
  theilDecomposition,
  theilL,
  theilT,
} from '../../src/inequality/index.js';
import type { Table } from '../../src/output/table.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const col = (t: Table, name: string) => t.columns.find((c) => c.name === name)!.values;

describe('Theil and CV', () => {
  it('matches hand-computed values', () => {
    // y = 1, 3: μ = 2; T = ½(0.5 ln 0.5 + 1.5 ln 1.5); L = ½(ln 2 + ln(2/3)); CV = 1/2
    expect(theilT(f64([1, 3]))).toBeCloseTo(0.5 * (0.5 * Math.log(0.5) + 1.5 * Math.log(1.5)), 15);
    expect(theilL(f64([1, 3]))).toBeCloseTo(0.5 * (Math.log(2) + Math.log(2 / 3)), 15);
    expect(coefficientOfVariation(f64([1, 3]))).toBe(0.5);
    expect(theilT(f64([0, 2]))).toBeCloseTo(Math.log(2), 15); // zero contributes 0; T = ln 2 (max for n = 2)
    expect(theilL(f64([0, 2]))).toBeNull();
    expect(theilT(f64([0, 0]))).toBeNull();
  });

  it('decomposes exactly into within + between, weighted or not', () => {
    const groups = [
      { id: 'a', values: f64([1, 2, 5]), weights: f64([1, 2, 3]) },
      { id: 'b', values: f64([4, 9]), weights: f64([0.5, 4]) },
      { id: 'c', values: f64([7]), weights: f64([2]) },
    ];
    for (const g of [groups, groups.map((x) => ({ ...x, weights: null }))]) {
      const d = theilDecomposition(g);
      expect(Math.abs(d.T_within! + d.T_between! - d.T!)).toBeLessThan(1e-15);
      expect(Math.abs(d.L_within! + d.L_between! - d.L!)).toBeLessThan(1e-15);
      expect(d.T_between!).toBeGreaterThan(0);
    }
  });
});

describe('gap references', () => {
  it('median averages the two middle values for even n; p90 is R type 7', () => {
    expect(medianSorted(f64([1, 2, 3]))).toBe(2);
    expect(medianSorted(f64([1, 2, 4, 10]))).toBe(3);
    // R: quantile(1:10, 0.9) = 9.1 ; quantile(c(1, 2, 4), 0.9) = 3.6
    expect(quantileSorted(f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.9)).toBe(9.1);
    expect(quantileSorted(f64([1, 2, 4]), 0.9)).toBe(3.6);
    expect(quantileSorted(f64([5]), 0.9)).toBe(5);
  });

  it('computes the reference per by key; missing and zero references give empty gaps with warnings', () => {
    const r = gapColumn([2, 4, null, 0, 0, 6], [2000, 2000, 2000, 2001, 2001, null], 'median');
    expect(r.values).toEqual([2 / 3, 4 / 3, null, null, null, null]);
    expect(r.warnings.join('\n')).toMatch(/1 row\(s\) have no value[\s\S]*1 row\(s\) have no by key[\s\S]*median is 0 for 2001/);
    expect(gapColumn([1, 3], null, 'mean').values).toEqual([0.5, 1.5]);
  });
});

describe('inequalityPanel', () => {
  const input = {
    value: [1, 2, 3, 4, null, 0, 0, 5, 7],
    group: ['B', 'B', 'A', 'A', 'A', 'Z', 'Z', 'A', 'B'],
    by: [2001, 2001, 2001, 2001, 2001, 2001, 2001, 2002, 2002],
  };

  it('gives one row per (group, year) sorted by group then year, with n and n_missing', () => {
    const { table, warnings } = inequalityPanel(input, { measures: ['gini', 'cv', 'theil_l'], groupName: 'parent_id', byName: 'year' });
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'parent_id:string',
      'year:int32',
      'n:int32',
      'n_missing:int32',
      'mean:float64',
      'gini:float64',
      'cv:float64',
      'theil_l:float64',
    ]);
    expect(col(table, 'parent_id')).toEqual(['A', 'A', 'B', 'B', 'Z']);
    expect(col(table, 'year')).toEqual([2001, 2002, 2001, 2002, 2001]);
    expect(col(table, 'n')).toEqual([2, 1, 2, 1, 2]);
    expect(col(table, 'n_missing')).toEqual([1, 0, 0, 0, 0]);
    // single-unit groups (A, B in 2002) and the all-zero group: empty, not 0 or NaN
    expect(col(table, 'gini')).toEqual([1 / 14, null, 1 / 6, null, null]);
    expect(col(table, 'mean')).toEqual([3.5, 5, 1.5, 7, 0]); // n and mean stay filled
    expect(warnings.join('\n')).toMatch(/1 row\(s\) with a missing value dropped[\s\S]*mean 0.*Z \(by 2001\)/);
    expect(warnings.join('\n')).toMatch(/2 group\(s\) have a single unit with a value in some year \(2 group-year\(s\)\): A, B;/);
  });

  it('rejects negative values naming the row, except for cv alone', () => {
    const neg = { value: [1, -1], group: ['a', 'a'], where: (i: number) => `p.csv line ${i + 2}` };
    expect(() => inequalityPanel(neg, { measures: ['gini'] })).toThrow(NtlError);
    expect(() => inequalityPanel(neg, { measures: ['theil'] })).toThrow(/p\.csv line 3: value is negative \(-1\)/);
    expect(col(inequalityPanel(neg, { measures: ['cv'] }).table, 'cv')).toEqual([null]); // mean 0
  });

  it('population weights: integer weights equal replicated rows', () => {
    const w = inequalityPanel({ value: [1, 4, 9], group: ['g', 'g', 'g'], weight: [2, 1, 3] }, { measures: ['gini', 'theil', 'theil_l', 'cv'] }).table;
    const r = inequalityPanel({ value: [1, 1, 4, 9, 9, 9], group: ['g', 'g', 'g', 'g', 'g', 'g'] }, { measures: ['gini', 'theil', 'theil_l', 'cv'] }).table;
    for (const m of ['gini', 'theil', 'theil_l', 'cv']) expect(col(w, m)[0]).toBeCloseTo(col(r, m)[0] as number, 15);
  });
});

describe('pipeline entry points on a panel Table', () => {
  const panel: Table = {
    columns: [
      { name: 'unit_id', type: 'string', values: ['a', 'b', 'c', 'a', 'b', 'c'] },
      { name: 'parent_id', type: 'string', values: ['P', 'P', 'Q', 'P', 'P', 'Q'] },
      { name: 'year', type: 'int32', values: [2020, 2020, 2020, 2020, 2020, 2020] },
      { name: 'source', type: 'string', values: ['viirs', 'viirs', 'viirs', 'dmsp', 'dmsp', 'dmsp'] },
      { name: 'mean', type: 'float64', values: [1, 3, 8, 100, 100, 5] },
    ],
  };

  it('inequalityFromPanel keys the output by the panel columns and filters with where', async () => {
    const { inequalityFromPanel } = await import('../../src/inequality/index.js');
    const { table } = inequalityFromPanel(panel, { value: 'mean', group: 'parent_id', by: 'year', where: { source: 'viirs' }, measures: ['gini', 'dagum'] });
    expect(table.columns.map((c) => c.name)).toEqual(['parent_id', 'year', 'n', 'n_missing', 'mean', 'gini', 'G_jj', 'G', 'Gw', 'Gnb', 'Gt']);
    expect(col(table, 'gini')).toEqual([0.25, null]); // Q has one county: no within-group Gini
    expect(() => inequalityFromPanel(panel, { value: 'nope', measures: ['gini'] })).toThrow(/no column "nope"/);
  });

  it('withGapColumn appends value / median within year × source', async () => {
    const { withGapColumn } = await import('../../src/inequality/index.js');
    const { table } = withGapColumn(panel, { value: 'mean', by: ['year', 'source'], ref: 'median' });
    expect(table.columns.at(-1)!.name).toBe('mean_gap');
    expect(col(table, 'mean_gap')).toEqual([1 / 3, 1, 8 / 3, 1, 1, 0.05]);
  });
});
