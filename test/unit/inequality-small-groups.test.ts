/**
 * Issue 14: the inequality within fewer than min_group_size units (default 2) is undefined, not 0. Hand-built
 * panels whose answers are known by hand: per-group measures of small groups are empty with one warning naming
 * them, the year's Dagum G and its identity are unchanged, n and mean stay; years with too few units, CV with mean
 * 0 and the gap of a single-unit year are empty with a warning; the pipeline option validates like the flag.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import {
  dagum,
  dagumByKey,
  gapColumn,
  gini,
  inequalityPanel,
  MIN_GROUP_SIZE_DEFAULT,
  parseMinGroupSize,
  type DagumResult,
} from '../../src/inequality/index.js';
import type { Table } from '../../src/output/table.js';
import { inequalityTable } from '../../src/pipeline/stages/analysis-stage.js';
import type { PanelPlan } from '../../src/pipeline/plan/types.js';
import { pipelineSpecFromSource } from '../../src/pipeline/spec.js';
import { parseYamlText } from '../../src/pipeline/yaml-errors.js';

const col = (t: Table, name: string) => {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
};

// 2001: A = {1, 3, 8} (G_AA = 14·2/(2·9·4) = 7/18), B = {4} (one unit), C = {2, 6} (G_CC = 8/32 = 1/4).
// All six: sorted 1 2 3 4 6 8, Σ_{i<r} |y_i − y_r| = 48, μ = 4 → G = 2·48/(2·36·4) = 1/3.
const Y = [1, 3, 8, 4, 2, 6];
const GR = ['A', 'A', 'A', 'B', 'C', 'C'];

function expectIdentity(r: DagumResult): void {
  expect(Math.abs(r.G! - (r.Gw! + r.Gnb! + r.Gt!))).toBeLessThan(1e-15);
}

describe('Dagum: small groups', () => {
  it('a one-unit group gets G_jj null and a warning naming it; G, Gw, Gnb, Gt and the identity are unchanged', () => {
    const r = dagum(Y, GR);
    expect(r.groups).toEqual([
      { id: 'A', n: 3, mean: 4, G_jj: 7 / 18 },
      { id: 'B', n: 1, mean: 4, G_jj: null },
      { id: 'C', n: 2, mean: 4, G_jj: 0.25 },
    ]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/1 group\(s\) have a single unit with a value.*: B; the inequality within a single unit is undefined \(not 0\)/);
    expect(r.G).toBeCloseTo(1 / 3, 15);
    expect(r.G).toBe(gini(Y));
    expectIdentity(r);
    // The same decomposition, bit for bit, whatever the rule: it always uses every unit.
    for (const minGroupSize of [1, 3, 6]) {
      const o = dagum(Y, GR, null, { minGroupSize });
      expect([o.G, o.Gw, o.Gnb, o.Gt, o.shares, o.pairs]).toEqual([r.G, r.Gw, r.Gnb, r.Gt, r.shares, r.pairs]);
    }
    // Only a year with fewer units in all than the rule loses its G (here 6 units < 7).
    expect(dagum(Y, GR, null, { minGroupSize: 7 }).G).toBeNull();
    // Pairs with the one-unit group are defined (units of B against units of A): kept.
    expect(r.pairs.find((p) => p.j === 'B' || p.h === 'B')!.G_jh).not.toBeNull();
  });

  it('min_group_size 3 empties two-unit groups too; 1 restores 0 with a warning', () => {
    const three = dagum(Y, GR, null, { minGroupSize: 3 });
    expect(three.groups.map((g) => g.G_jj)).toEqual([7 / 18, null, null]);
    expect(three.groups.map((g) => [g.n, g.mean])).toEqual([
      [3, 4],
      [1, 4],
      [2, 4],
    ]);
    expect(three.warnings.join('\n')).toMatch(/2 group\(s\) have fewer than 3 units with a value in some year \(2 group-year\(s\)\): B, C/);
    const one = dagum(Y, GR, null, { minGroupSize: 1 });
    expect(one.groups.map((g) => g.G_jj)).toEqual([7 / 18, 0, 0.25]);
    expect(one.warnings.join('\n')).toMatch(
      /min group size 1: 1 group\(s\) have a single unit .*: B; their within-group inequality \(G_jj\) is 0 by construction/,
    );
  });

  it('dagumByKey warns once over every year, names the first 8 groups and counts the rest', () => {
    const value: number[] = [];
    const group: string[] = [];
    const by: number[] = [];
    for (const year of [2001, 2002]) {
      for (let k = 0; k < 10; k++) {
        value.push(k + 1);
        group.push(`S${k}`); // ten one-unit groups
        by.push(year);
      }
      value.push(1, 5);
      group.push('big', 'big');
      by.push(year, year);
    }
    const { results, warnings } = dagumByKey({ value, group, by });
    const sizeWarnings = warnings.filter((w) => /min-group-size/.test(w));
    expect(sizeWarnings).toEqual([
      "--min-group-size 2: 10 group(s) have a single unit with a value in some year (20 group-year(s)): S0, S1, S2, S3, S4, S5, S6, S7, … 2 more; the inequality within a single unit is undefined (not 0), so their G_jj are left empty (n and mean are kept; each year's overall measures still use every unit)",
    ]);
    for (const r of results) {
      expect(r.groups.filter((g) => g.G_jj !== null).map((g) => g.id)).toEqual(['big']);
      expect(r.G).toBe(gini(value.slice(0, 12)));
      expect(Math.abs(r.G! - (r.Gw! + r.Gnb! + r.Gt!))).toBeLessThan(1e-15);
    }
  });

  it('a year with a single unit in all has G … Gt and shares null, with a warning', () => {
    const { results, warnings } = dagumByKey({ value: [1, 3, 5], group: ['a', 'a', 'b'], by: [2001, 2001, 2002] });
    expect(results[1]).toMatchObject({ by: 2002, n: 1, k: 1, mean: 5, G: null, Gw: null, Gnb: null, Gt: null, shares: { Gw: null, Gnb: null, Gt: null } });
    expect(results[1]!.groups).toEqual([{ id: 'b', n: 1, mean: 5, G_jj: null }]);
    expect(warnings.join('\n')).toMatch(
      /1 year\(s\) have fewer than 2 units with a value \(2002: 1 unit\(s\)\); their G, Gw, Gnb, Gt and shares are left empty \(undefined for a single unit\)/,
    );
    const old = dagumByKey({ value: [1, 3, 5], group: ['a', 'a', 'b'], by: [2001, 2001, 2002] }, { minGroupSize: 1 });
    expect(old.results[1]!.G).toBe(0);
    expect(old.warnings.join('\n')).toMatch(/1 year\(s\) have a single unit with a value \(2002: 1 unit\(s\)\); their .* are 0 by construction/);
  });
});

describe('inequalityPanel: small groups', () => {
  const input = { value: [...Y, 5], group: [...GR, 'B'], by: [2001, 2001, 2001, 2001, 2001, 2001, 2002] };
  const measures = ['gini', 'theil', 'theil_l', 'cv', 'dagum'] as const;

  it('group rows: empty gini, theil, theil_l, cv, G_jj for one-unit groups; n, mean and the year G kept; one warning', () => {
    const { table, warnings } = inequalityPanel(input, { measures, groupName: 'parent_id', byName: 'year' });
    expect(col(table, 'parent_id')).toEqual(['A', 'B', 'B', 'C']);
    expect(col(table, 'year')).toEqual([2001, 2001, 2002, 2001]);
    expect(col(table, 'n')).toEqual([3, 1, 1, 2]);
    expect(col(table, 'mean')).toEqual([4, 4, 5, 4]);
    for (const m of ['gini', 'G_jj']) expect(col(table, m)).toEqual([7 / 18, null, null, 0.25]);
    for (const m of ['theil', 'theil_l', 'cv']) expect(col(table, m).map((v) => v === null)).toEqual([false, true, true, false]);
    expect(col(table, 'cv')[3]).toBe(0.5); // C = {2, 6}: σ = 2, μ = 4
    // 2001's G is over all six units in every 2001 row (B included); 2002 has one unit: G undefined.
    expect(col(table, 'G')).toEqual([dagum(Y, GR).G, dagum(Y, GR).G, null, dagum(Y, GR).G]);
    const size = warnings.filter((w) => /min-group-size/.test(w));
    expect(size).toHaveLength(2);
    expect(size[0]).toMatch(
      /^--min-group-size 2: 1 group\(s\) have a single unit with a value in some year \(2 group-year\(s\)\): B; .*their gini, theil, theil_l, cv, G_jj are left empty/,
    );
    expect(size[1]).toMatch(
      /1 year\(s\) have fewer than 2 units with a value \(2002: 1 unit\(s\)\); their G, Gw, Gnb, Gt are left empty \(undefined for a single unit\)/,
    );
  });

  it('min_group_size 3 also empties the two-unit group; 1 gives the old zeros and still warns', () => {
    const three = inequalityPanel(input, { measures, groupName: 'parent_id', byName: 'year', minGroupSize: 3 });
    expect(col(three.table, 'G_jj')).toEqual([7 / 18, null, null, null]);
    expect(col(three.table, 'cv')).toEqual([col(three.table, 'cv')[0], null, null, null]);
    expect(three.warnings.join('\n')).toMatch(
      /--min-group-size 3: 2 group\(s\) have fewer than 3 units .*: B, C; their gini, theil, theil_l, cv, G_jj are left empty as too small to measure/,
    );
    const one = inequalityPanel(input, { measures, groupName: 'parent_id', byName: 'year', minGroupSize: 1 });
    expect(col(one.table, 'G_jj')).toEqual([7 / 18, 0, 0, 0.25]);
    expect(col(one.table, 'theil')[1]).toBe(0);
    expect(col(one.table, 'G')[2]).toBe(0);
    expect(one.warnings.join('\n')).toMatch(
      /--min-group-size 1: 1 group\(s\) have a single unit .*: B; their within-group inequality \(gini, theil, theil_l, cv, G_jj\) is 0 by construction/,
    );
  });

  it('year rows: a year with one unit has every measure empty (n and mean kept), with a warning', () => {
    const { table, warnings } = inequalityPanel(input, { measures, level: 'by', byName: 'year' });
    expect(col(table, 'n')).toEqual([6, 1]);
    expect(col(table, 'mean')).toEqual([4, 5]);
    expect(col(table, 'gini')).toEqual([gini(Y), null]);
    for (const m of ['theil', 'theil_within', 'theil_l', 'cv', 'G', 'Gw', 'Gt_share']) expect(col(table, m)[1], m).toBeNull();
    expect(warnings.join('\n')).toMatch(
      /1 year\(s\) have fewer than 2 units with a value \(2002: 1 unit\(s\)\); their gini, theil, theil_l, cv, G, Gw, Gnb, Gt, shares are left empty/,
    );
    // without groups: the same for the year as a whole
    const flat = inequalityPanel({ value: input.value, by: input.by }, { measures: ['gini', 'cv'], byName: 'year' });
    expect(col(flat.table, 'gini')).toEqual([gini(Y), null]);
  });

  it('CV with mean 0 is empty with a warning, at group and year level (never NaN or ±Infinity)', () => {
    const zero = { value: [-1, 1, 2, 4], group: ['z', 'z', 'p', 'p'], by: [2001, 2001, 2001, 2001] };
    const g = inequalityPanel(zero, { measures: ['cv'], groupName: 'g' });
    expect(col(g.table, 'cv')).toEqual([1 / 3, null]);
    expect(g.warnings.join('\n')).toMatch(/1 group-period\(s\) have mean 0, so their Gini\/Theil\/CV are undefined \(left empty\): z \(by 2001\)/);
    const y = inequalityPanel({ value: [-1, 1, -2, 2], by: [2001, 2001, 2001, 2001] }, { measures: ['cv'], byName: 'year' });
    expect(col(y.table, 'cv')).toEqual([null]);
    expect(y.warnings.join('\n')).toMatch(/1 period\(s\) have mean 0.*: 2001/);
  });

  it('results that overflow double precision are empty with a warning, not NaN', () => {
    const { table, warnings } = inequalityPanel({ value: [1e308, 1.7e308], group: ['a', 'a'] }, { measures: ['gini', 'cv'] });
    expect(
      col(table, 'gini')
        .concat(col(table, 'cv'), col(table, 'mean'))
        .every((v) => v === null || Number.isFinite(v)),
    ).toBe(true);
    expect(warnings.join('\n')).toMatch(/overflowed double precision/);
  });
});

describe('gap of a single-unit year', () => {
  it('is empty with a warning (the reference of one unit is that unit: 1 by construction)', () => {
    for (const ref of ['median', 'mean', 'p90'] as const) {
      const r = gapColumn([2, 6, 5, null], [2001, 2001, 2002, 2002], ref);
      expect(r.values.slice(2)).toEqual([null, null]);
      expect(r.values[0]).not.toBeNull();
      expect(r.warnings.join('\n')).toMatch(new RegExp(`1 by key\\(s\\) have a single row with a value \\(2002\\): the ${ref} of one unit is that unit`));
    }
  });
});

describe('the min_group_size option', () => {
  it('--min-group-size: default 2, whole numbers ≥ 1, one clear error otherwise', () => {
    expect(parseMinGroupSize('dagum', undefined)).toBe(2);
    expect(MIN_GROUP_SIZE_DEFAULT).toBe(2);
    expect(parseMinGroupSize('dagum', '1')).toBe(1);
    expect(parseMinGroupSize('inequality', ' 3 ')).toBe(3);
    for (const bad of ['0', '-2', '2.5', 'two', '', 'Infinity']) {
      expect(() => parseMinGroupSize('inequality', bad)).toThrow(NtlError);
      expect(() => parseMinGroupSize('inequality', bad)).toThrow(new RegExp(`^ntl inequality: --min-group-size must be a whole number ≥ 1, got "${bad}"$`));
    }
  });

  const fx = fileURLToPath(new URL('../fixtures/pipeline/spec.yaml', import.meta.url));
  const spec = (inequality: string) =>
    pipelineSpecFromSource(
      parseYamlText(
        `pipeline: 1
name: t
manifests: [data.yaml]
boundaries: { entry: counties }
series:
  - { name: v, entries: [viirs-2012] }
years: { from: 2012, to: 2014 }
zonal: { stats: [sum, mean] }
outputs: { dir: out }
inequality:
  value: mean
${inequality}`,
        fx,
        'pipeline spec',
      ),
    );
  const specError = (inequality: string): string => {
    try {
      spec(inequality);
    } catch (e) {
      expect(e).toBeInstanceOf(NtlError);
      return (e as NtlError).message;
    }
    throw new Error('parsed without error');
  };

  it('pipeline inequality.min_group_size: the same default and rule, errors with the YAML line; unknown keys stay errors', () => {
    expect(spec('').inequality!.min_group_size).toBe(parseMinGroupSize('x', undefined));
    expect(spec('  min_group_size: 1').inequality!.min_group_size).toBe(1);
    expect(spec('  min_group_size: 3').inequality!.min_group_size).toBe(3);
    for (const bad of ['0', '2.5', 'two', '-1']) {
      expect(specError(`  min_group_size: ${bad}`)).toBe('test/fixtures/pipeline/spec.yaml line 12: inequality.min_group_size must be a whole number ≥ 1');
    }
    expect(specError('  min_group: 2')).toMatch(/spec\.yaml line 12: inequality\.min_group unknown key 'min_group'/);
  });
});

describe('pipeline inequality stage', () => {
  // Two series; prefecture 439900 has one county every year (P2 has one in 2013 in viirs only: a missing value).
  const rows: [string, string, number, string, number | null][] = [];
  for (const source of ['dmsp', 'viirs']) {
    for (const year of [2012, 2013]) {
      rows.push(['430101', '430100', year, source, 1], ['430102', '430100', year, source, 4], ['430103', '430100', year, source, 9]);
      rows.push(['430201', '430200', year, source, 2], ['430202', '430200', year, source, source === 'viirs' && year === 2013 ? null : 3]);
      rows.push(['439901', '439900', year, source, 7]);
    }
  }
  const panel: Table = {
    columns: [
      { name: 'unit_id', type: 'string', values: rows.map((r) => r[0]) },
      { name: 'parent_id', type: 'string', values: rows.map((r) => r[1]) },
      { name: 'year', type: 'int32', values: rows.map((r) => r[2]) },
      { name: 'source', type: 'string', values: rows.map((r) => r[3]) },
      { name: 'mean', type: 'float64', values: rows.map((r) => r[4]) },
    ],
  };
  const plan = (minGroupSize: number) =>
    ({
      inequality: { value: 'mean', group: 'prefecture', measures: ['dagum', 'gini', 'theil', 'cv'], min_group_size: minGroupSize },
      estimate: { level: 'prefecture', outcome: 'G_jj', source: 'viirs' },
    }) as unknown as PanelPlan;

  it("empties the small groups' cells (so the estimation drops them), warns once, and records them for run.json", () => {
    const warnings: string[] = [];
    const r = inequalityTable(panel, plan(2), warnings)!;
    const t = r.table;
    const key = (i: number) => `${col(t, 'parent_id')[i]} ${col(t, 'year')[i]} ${col(t, 'source')[i]}`;
    const empty = col(t, 'G_jj').flatMap((v, i) => (v === null ? [key(i)] : []));
    expect(empty).toEqual(['439900 2012 dmsp', '439900 2013 dmsp', '430200 2013 viirs', '439900 2012 viirs', '439900 2013 viirs']);
    for (const m of ['gini', 'theil', 'cv']) expect(col(t, m).flatMap((v, i) => (v === null ? [key(i)] : []))).toEqual(empty);
    expect(col(t, 'n').filter((_, i) => empty.includes(key(i)))).toEqual([1, 1, 1, 1, 1]);
    expect(col(t, 'G').every((v) => v !== null)).toBe(true);
    const size = warnings.filter((w) => /min_group_size/.test(w));
    expect(size).toHaveLength(1);
    expect(size[0]).toMatch(
      /^inequality: inequality\.min_group_size 2: 2 group\(s\) have a single unit with a value in some year \(5 group-year\(s\)\): 430200, 439900; .*their G_jj, gini, theil, cv are left empty/,
    );
    expect(size[0]).toMatch(
      /estimate\.outcome G_jj is empty for 2 parent_id unit\(s\) of series viirs .* not in the estimation sample \(listed in run\.json under inequality\)$/,
    );
    expect(r.record).toEqual({
      value: 'mean',
      group: 'parent_id',
      measures: ['dagum', 'gini', 'theil', 'cv'],
      min_group_size: 2,
      small_groups: {
        rule: expect.stringMatching(
          /^a group with fewer than 2 units with a value in a year gets empty \(null\) G_jj, gini, theil, cv in that year \(the inequality within a single unit is undefined, not 0\)/,
        ),
        emptied_columns: ['G_jj', 'gini', 'theil', 'cv'],
        groups: 2,
        group_years: 5,
        list: [
          { source: 'dmsp', group: '439900', years: [2012, 2013], n: [1, 1] },
          { source: 'viirs', group: '430200', years: [2013], n: [1] },
          { source: 'viirs', group: '439900', years: [2012, 2013], n: [1, 1] },
        ],
      },
      estimation: {
        outcome: 'G_jj',
        source: 'viirs',
        excluded_groups: ['430200', '439900'],
        note: expect.stringContaining('drops units whose outcome is missing in any year'),
      },
    });
  });

  it('min_group_size 1 keeps the zeros, records the single-unit groups with nothing emptied, and still warns', () => {
    const warnings: string[] = [];
    const r = inequalityTable(panel, plan(1), warnings)!;
    expect(col(r.table, 'G_jj').filter((v) => v === null)).toEqual([]);
    expect(r.record.small_groups).toMatchObject({ emptied_columns: [], groups: 2, group_years: 5 });
    expect(r.record.estimation).toBeUndefined();
    expect(warnings.filter((w) => /min_group_size 1: .*0 by construction/.test(w))).toHaveLength(1);
  });
});
