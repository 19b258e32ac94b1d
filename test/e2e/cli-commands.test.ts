/**
 * Every analysis command through the compiled binary, as a user runs it: one published or oracle value each
 * (the per-module tests hold the full oracle comparisons), exit codes, and one-line errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, runBinary as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cmds');

describe('analysis commands via the binary', () => {
  it('did: the Grunfeld check of methods.md (β 0.41380183, CR1 SE 0.06328129, K = 21)', async () => {
    const r = await ntl(['did', '--panel', 'test/fixtures/did/grunfeld.csv', '--y', 'inv', '--treat', 'capital', '--unit', 'firm', '--time', 'year']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.coef.capital.toFixed(8)).toBe('0.41380183');
    expect(out.se.capital.toFixed(8)).toBe('0.06328129');
    expect(out.clusters).toBe(10);
  });

  it('did --format md prints a journal table', async () => {
    const r = await ntl([
      'did',
      '--panel',
      'test/fixtures/did/grunfeld.csv',
      '--y',
      'inv',
      '--treat',
      'capital',
      '--unit',
      'firm',
      '--time',
      'year',
      '--format',
      'md',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0\.414\*\*\*/);
    expect(r.stdout).toMatch(/\(0\.063\)/);
  });

  it('bacon: weights sum to 1 and reproduce the TWFE estimate', async () => {
    const r = await ntl(['bacon', '--panel', 'test/fixtures/staggered/bacon.csv', '--y', 'y', '--treat', 'd', '--unit', 'id', '--time', 'year']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.weight_sum - 1)).toBeLessThan(1e-12);
    expect(Math.abs(out.weighted_sum - out.twfe)).toBeLessThan(1e-10);
  });

  it('adjacency on the Hunan counties: 322 queen pairs as spdep::poly2nb', async () => {
    const out = join(tmp, 'edges.csv');
    const r = await ntl(['adjacency', '--zones', 'data/demo/hunan_counties.geojson', '--id', 'Code_County', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toEqual(['id_a', 'id_b', 'shared_m']);
    expect(rows.length).toBe(322);
    const golden = parseCsv(readFileSync('test/goldens/adjacency-hunan-queen.csv', 'utf8'))
      .rows.map((x) => `${x[0]}-${x[1]}`)
      .sort();
    expect(rows.map((x) => `${x[0]}-${x[1]}`).sort()).toEqual(golden);
  });

  it('an unknown column is one clear error', async () => {
    const r = await ntl(['did', '--panel', 'test/fixtures/did/grunfeld.csv', '--y', 'investment', '--treat', 'capital', '--unit', 'firm', '--time', 'year']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/grunfeld\.csv has no column "investment"/);
  });
});
