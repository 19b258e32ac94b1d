/**
 * `ntl dagum`, `ntl inequality`, `ntl gap` as a user runs them (compiled, a real process; `npm run build` first):
 * documented output shapes, agreement with the R goldens, and bad input giving one line, exit 1, no file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, runBinary as ntl } from '../helpers/cli.js';
import { readTable } from '../../src/panel/read-table.js';
import { tempDir } from '../helpers/tmp.js';

/** Tests that run several commands or whole pipelines take 20–35 s on two busy cores: at least three times that. */
const LONG = 120_000;

const HUNAN = 'test/goldens/inequality-hunan-input.csv';
const tmp = tempDir('ineq');

const GOLDEN = new Map(
  readFileSync('test/goldens/inequality-hunan-golden.csv', 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const f = l.split(',');
      return [f.slice(0, 3).join(','), Number(f[3])];
    }),
);
function golden(key: string): number {
  const v = GOLDEN.get(key);
  if (v === undefined) throw new Error(`no golden ${key}`);
  return v;
}

describe('ntl dagum', () => {
  it('prints the documented JSON, matching the R golden', async () => {
    const r = await ntl(['dagum', '--panel', HUNAN, '--y', 'mean', '--group', 'parent_id', '--time', 'year']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { results } = JSON.parse(r.stdout);
    expect(results.map((x: { by: number }) => x.by)).toEqual([2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]);
    const y = results[0];
    expect(Object.keys(y)).toEqual(['by', 'n', 'n_missing', 'k', 'mean', 'G', 'Gw', 'Gnb', 'Gt', 'shares', 'groups', 'pairs']);
    expect([y.n, y.k]).toEqual([122, 14]);
    expect(Math.abs(y.G / golden('unweighted,2012,G') - 1)).toBeLessThan(1e-14);
    expect(Math.abs(y.Gnb / golden('unweighted,2012,Gnb') - 1)).toBeLessThan(1e-14);
    expect(Object.keys(y.groups[0])).toEqual(['id', 'n', 'mean', 'G_jj']);
    expect(y.groups.map((g: { id: string }) => g.id)).toEqual([...y.groups.map((g: { id: string }) => g.id)].sort());
    expect(y.pairs.length).toBe((14 * 13) / 2);
    expect(Object.keys(y.pairs[0])).toEqual(['j', 'h', 'G_jh', 'D_jh']);
    expect(y.shares.Gw + y.shares.Gnb + y.shares.Gt).toBeCloseTo(100, 10);
  });

  it('--format csv writes groups, summary and pairs files; weighted with --weights', async () => {
    const out = join(tmp, 'd.csv');
    const r = await ntl([
      'dagum',
      '--panel',
      HUNAN,
      '--y',
      'mean',
      '--group',
      'parent_id',
      '--time',
      'year',
      '--weights',
      'area_km2',
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const groups = parseCsv(readFileSync(out, 'utf8'));
    // The group column is named after --group (a column named "group" is not valid SQL: output/column-names.ts).
    expect(groups.header).toEqual(['year', 'parent_id', 'n', 'weight', 'mean', 'G_jj']);
    expect(groups.rows.length).toBe(14 * 11);
    const summary = parseCsv(readFileSync(join(tmp, 'd_summary.csv'), 'utf8'));
    expect(summary.header.slice(0, 6)).toEqual(['year', 'n', 'n_missing', 'k', 'weight', 'mean']);
    const G = Number(summary.rows[0]![summary.header.indexOf('G')]);
    expect(Math.abs(G / golden('weighted,2012,G') - 1)).toBeLessThan(1e-14);
    expect(parseCsv(readFileSync(join(tmp, 'd_pairs.csv'), 'utf8')).rows.length).toBe(91 * 11);
  });

  it('refuses negative values with the reason, the file and the line, and writes nothing', async () => {
    const bad = join(tmp, 'neg.csv');
    writeFileSync(bad, 'id,g,year,y\na,1,2000,3\nb,1,2000,-0.5\n');
    const out = join(tmp, 'neg.json');
    const r = await ntl(['dagum', '--panel', bad, '--y', 'y', '--group', 'g', '--time', 'year', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/neg\.csv line 3: column "y" is negative \(-0\.5\).*nonnegative/);
    expect(existsSync(out)).toBe(false);
  });

  it(
    'names a missing column, a mixed-series panel and a bad flag in one line each',
    async () => {
      for (const [args, msg] of [
        [['--y', 'nope', '--group', 'parent_id'], /no column "nope"; available columns: unit_id/],
        [['--y', 'mean'], /--group is required/],
        [['--y', 'mean', '--group', 'parent_id', '--format', 'xml'], /--format must be json or csv/],
        [['--y', 'mean', '--group', 'parent_id', '--format', 'csv'], /give --out/],
      ] as const) {
        const r = await ntl(['dagum', '--panel', HUNAN, ...args]);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(msg);
        expect(r.stderr).not.toMatch(/\n.*at /);
      }
      const mixed = join(tmp, 'mixed.csv');
      writeFileSync(mixed, 'unit_id,parent_id,year,source,mean\na,1,2000,viirs,1\na,1,2000,dmsp,2\nb,1,2000,viirs,3\n');
      const r = await ntl(['dagum', '--panel', mixed, '--y', 'mean', '--group', 'parent_id']);
      expect(r.stderr).toMatch(/2 series in column "source".*--where source=viirs/);
      const ok = await ntl(['dagum', '--panel', mixed, '--y', 'mean', '--group', 'parent_id', '--where', 'source=viirs']);
      expect(JSON.parse(ok.stdout).results[0].n).toBe(2);
    },
    LONG,
  );
});

describe('ntl inequality', () => {
  it('writes the city × year panel keyed by group and year (CSV and Parquet)', async () => {
    const r = await ntl(['inequality', '--panel', HUNAN, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--measures', 'gini,theil,theil_l,cv,dagum']);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(['parent_id', 'year', 'n', 'n_missing', 'mean', 'gini', 'theil', 'theil_l', 'cv', 'G_jj', 'G', 'Gw', 'Gnb', 'Gt']);
    expect(rows.length).toBe(14 * 11);
    expect(rows[0]!.slice(0, 3)).toEqual(['430100', '2012', '9']);
    const row = rows.find((x) => x[0] === '430100' && x[1] === '2012')!;
    expect(Math.abs(Number(row[5]) / golden('unweighted,2012,G_jj:430100') - 1)).toBeLessThan(1e-14);
    expect(Math.abs(Number(row[6]) / golden('unweighted,2012,theil:430100') - 1)).toBeLessThan(1e-13);
    const pq = join(tmp, 'ineq.parquet');
    const p = await ntl(['inequality', '--panel', HUNAN, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--out', pq]);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(pq).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('--level by gives one row per year with the decompositions', async () => {
    const r = await ntl([
      'inequality',
      '--panel',
      HUNAN,
      '--y',
      'mean',
      '--group',
      'parent_id',
      '--time',
      'year',
      '--measures',
      'theil,dagum',
      '--level',
      'by',
    ]);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual([
      'year',
      'n',
      'n_missing',
      'k',
      'mean',
      'theil',
      'theil_within',
      'theil_between',
      'G',
      'Gw',
      'Gnb',
      'Gt',
      'Gw_share',
      'Gnb_share',
      'Gt_share',
    ]);
    expect(rows.length).toBe(11);
    expect(Math.abs(Number(rows[0]![7]) / golden('unweighted,2012,T_b') - 1)).toBeLessThan(1e-13);
  });

  it('rejects an unknown measure and dagum without groups', async () => {
    const a = await ntl(['inequality', '--panel', HUNAN, '--y', 'mean', '--measures', 'gini,atkinson']);
    expect(a.stderr).toMatch(/unknown measure "atkinson".*known: gini, theil, theil_l, cv, dagum/);
    const b = await ntl(['inequality', '--panel', HUNAN, '--y', 'mean', '--measures', 'dagum']);
    expect(b.stderr).toMatch(/dagum measure decomposes by groups; give --group/);
  });
});

describe('small groups (--min-group-size)', () => {
  // Prefecture P3 has one county (its within-prefecture inequality is undefined); P2 has two.
  const panel = join(tmp, 'small.csv');
  writeFileSync(panel, 'unit_id,parent_id,year,mean\na,P1,2012,1\nb,P1,2012,3\nc,P1,2012,8\nd,P2,2012,2\ne,P2,2012,6\nf,P3,2012,4\n');

  it("ntl inequality leaves the one-county group's measures empty (CSV, Parquet) with one warning; the year G unchanged", async () => {
    const args = ['inequality', '--panel', panel, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--measures', 'gini,theil,theil_l,cv,dagum'];
    const r = await ntl(args);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    const p3 = rows.find((x) => x[0] === 'P3')!;
    const at = (name: string) => header.indexOf(name);
    expect(['gini', 'theil', 'theil_l', 'cv', 'G_jj'].map((m) => p3[at(m)])).toEqual(['', '', '', '', '']);
    expect([p3[at('n')], p3[at('mean')]]).toEqual(['1', '4']);
    expect(rows.map((x) => x[at('G')])).toEqual([String(1 / 3), String(1 / 3), String(1 / 3)]);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toEqual([
      "ntl: warning: --min-group-size 2: 1 group(s) have a single unit with a value in some year (1 group-year(s)): P3; the inequality within a single unit is undefined (not 0), so their gini, theil, theil_l, cv, G_jj are left empty (n and mean are kept; each year's overall measures still use every unit)",
    ]);
    const pq = join(tmp, 'small.parquet');
    expect((await ntl([...args, '--out', pq])).code).toBe(0);
    const t = await readTable(pq);
    const row = t.text('parent_id').indexOf('P3');
    expect(['gini', 'theil', 'cv', 'G_jj'].map((m) => t.numbers(m)[row])).toEqual([null, null, null, null]);
    // 3: the two-county group is emptied too; 1: the old zeros, still with a warning
    const three = parseCsv((await ntl([...args, '--min-group-size', '3'])).stdout);
    expect(three.rows.map((x) => x[three.header.indexOf('G_jj')] === '')).toEqual([false, true, true]);
    const one = await ntl([...args, '--min-group-size', '1']);
    expect(parseCsv(one.stdout).rows[2]![at('G_jj')]).toBe('0');
    expect(one.stderr).toMatch(/--min-group-size 1: .*P3; their within-group inequality .* is 0 by construction/);
  });

  it('ntl dagum: G_jj null in JSON and empty in the groups CSV; G, Gw, Gnb, Gt as over all units', async () => {
    const r = await ntl(['dagum', '--panel', panel, '--y', 'mean', '--group', 'parent_id', '--time', 'year']);
    expect(r.code, r.stderr).toBe(0);
    const [y] = JSON.parse(r.stdout).results;
    expect(y.groups.map((g: { id: string; n: number; G_jj: number | null }) => [g.id, g.n, g.G_jj])).toEqual([
      ['P1', 3, 7 / 18],
      ['P2', 2, 0.25],
      ['P3', 1, null],
    ]);
    expect(y.G).toBe(1 / 3);
    expect(Math.abs(y.G - (y.Gw + y.Gnb + y.Gt))).toBeLessThan(1e-15);
    expect(r.stderr).toMatch(/^ntl: warning: --min-group-size 2: 1 group\(s\) .*: P3; .*G_jj are left empty/);
    const out = join(tmp, 'small-dagum.csv');
    expect((await ntl(['dagum', '--panel', panel, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--format', 'csv', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n').at(-1)).toBe('2012,P3,1,4,');
  });

  it('a bad --min-group-size is one error line, exit 1, nothing written', async () => {
    for (const cmd of ['dagum', 'inequality']) {
      for (const bad of ['0', '1.5', 'all']) {
        const out = join(tmp, `bad-${cmd}.csv`);
        const r = await ntl([cmd, '--panel', panel, '--y', 'mean', '--group', 'parent_id', '--min-group-size', bad, '--out', out]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(`ntl: error: ntl ${cmd}: --min-group-size must be a whole number ≥ 1, got "${bad}"\n`);
        expect(existsSync(out)).toBe(false);
      }
    }
  });
});

describe('ntl gap', () => {
  it('adds value / yearly median (R golden) and keeps the input rows and text', async () => {
    const out = join(tmp, 'gap.csv');
    const r = await ntl(['gap', '--panel', HUNAN, '--y', 'mean', '--time', 'year', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    const input = readFileSync(HUNAN, 'utf8').trim().split('\n');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(`${input[0]},mean_gap`);
    expect(lines.length).toBe(input.length);
    lines.slice(1).forEach((l, i) => {
      expect(l.startsWith(input[i + 1]! + ',')).toBe(true);
      const g = Number(l.split(',').at(-1));
      expect(Math.abs(g / golden(`gap,${l.split(',')[2]},gap_median:${i + 1}`) - 1)).toBeLessThan(1e-15);
    });
  });

  it('p90 and mean references, --name, missing values left empty', async () => {
    const panel = join(tmp, 'g.csv');
    writeFileSync(panel, 'id,year,v\na,1,1\nb,1,2\nc,1,\nd,1,4\ne,2,10\n');
    const r = await ntl(['gap', '--panel', panel, '--y', 'v', '--time', 'year', '--ref', 'p90', '--name', 'rel']);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(['id', 'year', 'v', 'rel']);
    // year 1: sorted 1,2,4; h = 2·0.9 = 1.8 → 0.2·2 + 0.8·4 = 3.6
    // year 2 has one unit: its gap would be 1 by construction, so it is empty with a warning
    expect(rows.map((x) => x[3])).toEqual([String(1 / 3.6), String(2 / 3.6), '', String(4 / 3.6), '']);
    expect(r.stderr).toMatch(/1 row\(s\) have no value/);
    expect(r.stderr).toMatch(
      /1 by key\(s\) have a single row with a value \(2\): the p90 of one unit is that unit, so its gap would be 1 by construction; left empty/,
    );
    const bad = await ntl(['gap', '--panel', panel, '--y', 'v', '--time', 'year', '--ref', 'p95']);
    expect(bad.stderr).toMatch(/--ref must be median, mean, p90/);
  });
});
