/**
 * `ntl adjacency` and `ntl exposure` as a user runs them. The commands are called in-process with the same error
 * handling as src/cli/main.ts (one `ntl: error:` line, non-zero exit), because registering them in main.ts is
 * the maintainer's step; once registered these can switch to runBinary.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adjacencyCommand } from '../../src/cli/adjacency-command.js';
import { ADJACENCY_HELP } from '../../src/cli/specs/adjacency.js';
import { exposureCommand } from '../../src/cli/exposure-command.js';
import { EXPOSURE_HELP } from '../../src/cli/specs/exposure.js';
import { isNtlError } from '../../src/errors.js';
import { parseCsv } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

type Command = (argv: readonly string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }) => Promise<number>;
async function run(cmd: Command, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '',
    stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
  try {
    return { code: await cmd(argv, io), stdout, stderr };
  } catch (e) {
    if (!isNtlError(e)) throw e;
    return { code: e.exitCode, stdout, stderr: stderr + `ntl: error: ${e.message}\n` };
  }
}

const LAYOUT = 'test/fixtures/spatial/layout-utm50.geojson';
const HUNAN = 'data/demo/hunan_counties.geojson';
const POVERTY = 'data/treatments/poverty_counties_832_clean.csv';
const tmp = tempDir('cli-spatial');
const layoutArgs = ['--zones', LAYOUT, '--id', 'code', '--zones-crs', 'EPSG:32650'];

describe('ntl adjacency', () => {
  it('writes the CSV edge list (id_a < id_b, shared metres) and prints the summary', async () => {
    const out = join(tmp, 'edges.csv');
    const r = await run(adjacencyCommand, [...layoutArgs, '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('id_a,id_b,shared_m\na,b,1002\na,c,1002\na,d,2\nb,c,2\nb,d,1002\nc,d,1002\ne,h,4000\n');
    expect(r.stdout).toContain('units: 7');
    expect(r.stdout).toContain('neighbour pairs: 7');
    expect(r.stdout).toContain('islands (no neighbour): 1 — i');
    expect(r.stdout).toContain('connected components: 3');
  });

  it('rook drops the point contacts; GAL and GWT outputs', async () => {
    const gal = join(tmp, 'rook.gal');
    expect((await run(adjacencyCommand, [...layoutArgs, '--rule', 'rook', '--out', gal])).code).toBe(0);
    expect(readFileSync(gal, 'utf8')).toBe('0 7 layout-utm50 code\na 2\nb c\nb 2\na d\nc 2\na d\nd 2\nb c\ne 1\nh\nh 1\ne\ni 0\n\n');
    const gwt = join(tmp, 'q.gwt');
    expect((await run(adjacencyCommand, [...layoutArgs, '--snap', '5', '--out', gwt])).code).toBe(0);
    expect(readFileSync(gwt, 'utf8').split('\n').slice(0, 3)).toEqual(['0 7 layout-utm50 code', 'a b 1010', 'a c 1010']);
  });

  it('CSV to standard output, the summary then goes to standard error', async () => {
    const r = await run(adjacencyCommand, ['--zones', HUNAN, '--id', 'Code_County']);
    expect(r.code).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(['id_a', 'id_b', 'shared_m']);
    expect(rows).toHaveLength(322);
    expect(r.stderr).toContain('connected components: 1');
  });

  it('bad input: one clear line, no output file', async () => {
    const out = join(tmp, 'never.csv');
    const cases: [string[], RegExp][] = [
      [[...layoutArgs, '--rule', 'bishop', '--out', out], /--rule must be queen or rook, got "bishop"/],
      [[...layoutArgs, '--snap', '0', '--out', out], /--snap must be a positive number of metres, got "0"/],
      [[...layoutArgs, '--out', join(tmp, 'x.txt')], /use a \.csv, \.gal or \.gwt file name/],
      [['--zones', LAYOUT, '--zones-crs', 'EPSG:32650', '--out', out], /--id is required/],
      [['--zones', 'no/such.geojson', '--id', 'code', '--out', out], /does not exist/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(adjacencyCommand, argv);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
    expect((await run(adjacencyCommand, ['--help'])).stdout).toBe(ADJACENCY_HELP);
  });
});

describe('ntl exposure', () => {
  it('staggered treatment on the fixture layout (GAL keeps the island)', async () => {
    const gal = join(tmp, 'layout.gal');
    await run(adjacencyCommand, [...layoutArgs, '--out', gal]);
    const out = join(tmp, 'exposure.csv');
    const r = await run(exposureCommand, [
      '--edges',
      gal,
      '--treated',
      'test/fixtures/spatial/treated.csv',
      '--unit',
      'code',
      '--time',
      'first_year',
      '--years',
      '2009-2012',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    expect(header.slice(0, 2)).toEqual(['code', 'year']);
    expect(rows).toHaveLength(7 * 4);
    const get = (u: string, y: number) => Object.fromEntries(header.map((h, k) => [h, rows.find((row) => row[0] === u && row[1] === String(y))![k]]));
    // d touches b (2010) at its side and c at a point (queen): 1 of 3 neighbours from 2010.
    expect(get('d', 2009)).toMatchObject({ neighbour_of_treated: '0', treated_neighbours: '0', first_exposure_year: '2010' });
    expect(get('d', 2010)).toMatchObject({ neighbour_of_treated: '1', treated_neighbours: '1', treated_neighbour_share: String(1 / 3) });
    // The enclave h (2012) exposes its surrounding unit e from 2012; the island i has a missing share.
    expect(get('e', 2012)).toMatchObject({ neighbour_of_treated: '1', treated_neighbour_share: '1' });
    expect(get('i', 2012)).toMatchObject({ neighbours: '0', treated_neighbour_share: '' });
    expect(get('h', 2012)).toMatchObject({ treated_unit: '1', treated: '1' });
  });

  it('poverty counties (exit year) around Hunan: matches a count from the spdep golden edges; the 792 non-Hunan codes are reported', async () => {
    const edges = join(tmp, 'hunan.csv');
    await run(adjacencyCommand, ['--zones', HUNAN, '--id', 'Code_County', '--out', edges]);
    const out = join(tmp, 'hunan-exposure.csv');
    const r = await run(exposureCommand, [
      '--edges',
      edges,
      '--treated',
      POVERTY,
      '--unit',
      'mapchina_code',
      '--time',
      'exit_year',
      '--years',
      '2014-2021',
      '--order',
      '2',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/792 of 832 treated unit\(s\) in .* are not in .* and are left out: 130125, /);
    // Independent count: spdep's queen pairs and the poverty CSV read here directly.
    const golden = readFileSync('test/goldens/adjacency-hunan-queen.csv', 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const pov = parseCsv(readFileSync(POVERTY, 'utf8'));
    const exitYear = new Map(pov.rows.map((row) => [row[pov.header.indexOf('mapchina_code')]!, Number(row[pov.header.indexOf('exit_year')])]));
    const nb = new Map<string, string[]>();
    for (const [a, b] of golden) {
      nb.set(a!, [...(nb.get(a!) ?? []), b!]);
      nb.set(b!, [...(nb.get(b!) ?? []), a!]);
    }
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    expect(rows).toHaveLength(122 * 8);
    const col = (name: string) => header.indexOf(name);
    let exposedRows = 0;
    for (const row of rows) {
      const [unit, year] = [row[0]!, Number(row[1])];
      const expected = (nb.get(unit) ?? []).filter((v) => (exitYear.get(v) ?? Infinity) <= year).length;
      expect(Number(row[col('treated_neighbours')])).toBe(expected);
      expect(row[col('treated_unit')]).toBe(exitYear.has(unit) ? '1' : '0');
      if (expected > 0) exposedRows++;
    }
    expect(exposedRows).toBeGreaterThan(100);
  });

  it('bad input: one clear line, nothing written', async () => {
    const out = join(tmp, 'never-exposure.csv');
    const dup = join(tmp, 'dup.csv');
    writeFileSync(dup, 'code,first_year\nb,2010\nb,2010.5\n');
    const missing = join(tmp, 'missing.csv');
    writeFileSync(missing, 'code,first_year\nb,\n');
    const base = ['--edges', join(tmp, 'edges.csv'), '--unit', 'code', '--out', out];
    await run(adjacencyCommand, [...layoutArgs, '--out', join(tmp, 'edges.csv')]);
    const cases: [string[], RegExp][] = [
      [[...base, '--treated', dup, '--time', 'first_year'], /dup\.csv line 3: column "first_year" has "2010\.5", which is not a year/],
      [[...base, '--treated', missing, '--time', 'first_year'], /missing\.csv line 2: unit b has no value in "first_year"/],
      [[...base, '--treated', 'test/fixtures/spatial/treated.csv'], /give either --time <column>/],
      [[...base, '--treated', 'test/fixtures/spatial/treated.csv', '--time', 'year'], /has no column "year"; available columns: code, first_year/],
      [[...base, '--treated', 'test/fixtures/spatial/treated.csv', '--time', 'first_year', '--years', '2012-2010'], /ends before it starts/],
      [[...base, '--treated', 'test/fixtures/spatial/treated.csv', '--time', 'first_year', '--order', '3'], /--order must be 1 or 2/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(exposureCommand, argv);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
    expect((await run(exposureCommand, ['-h'])).stdout).toBe(EXPOSURE_HELP);
  });
});
