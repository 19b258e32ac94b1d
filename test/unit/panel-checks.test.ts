/**
 * Issue 15, "no silently wrong output", for every command that reads a unit × period panel, run in-process as a
 * user runs them (main → one `ntl: error:` line, exit 1):
 *  - a duplicated unit × period row in dagum / gap / inequality (CSV and Parquet) is an error naming the file,
 *    both rows, the unit and the period — nothing written, the input untouched;
 *  - a period that is not a number (20x5) or not whole (2015.5) in the period column of every command is an error
 *    naming the row and the value; --time-type continuous accepts fractional periods where that makes sense;
 *  - a header-only panel says so (not "no rows left after --drop filters"); --drop removing everything says by how much;
 *  - manifest verify shows where two hashes differ.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inequalityFromPanel, withGapColumn } from '../../src/inequality/index.js';
import { assertVerified, hashDifference, type VerifyReport } from '../../src/manifest/index.js';
import { tableToParquet } from '../../src/output/parquet.js';
import type { Column, Table } from '../../src/output/table.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('checks');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** CSV text → a typed Table (a column of numbers only becomes float64; ids stay text), for the Parquet variant. */
function tableOfCsv(text: string): Table {
  const [head, ...lines] = text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const columns: Column[] = head!.map((name, j) => {
    const cells = lines.map((l) => (l[j] === '' ? null : l[j]!));
    const numeric = !name.endsWith('_id') && cells.every((c) => c === null || Number.isFinite(Number(c)));
    return numeric ? { name, type: 'float64', values: cells.map((c) => (c === null ? null : Number(c))) } : { name, type: 'string', values: cells };
  });
  return { columns };
}

/** Writes the panel as CSV or Parquet; returns its path. */
function writePanel(name: string, csv: string, format: 'csv' | 'parquet'): string {
  const path = join(tmp, `${name}.${format}`);
  writeFileSync(path, format === 'csv' ? csv : tableToParquet(tableOfCsv(csv)));
  return path;
}

/** Runs `ntl …`; expects one error line, exit 1, and returns it. */
async function fails(argv: string[]): Promise<string> {
  const r = await runCli(argv);
  expect(r.code, `ntl ${argv.join(' ')}\n${r.stdout}`).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^ntl: error: /);
  return lines[0]!;
}

async function succeeds(argv: string[]): Promise<string> {
  const r = await runCli(argv);
  expect(r.code, `ntl ${argv.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

// A small ntl-style panel: 2 prefectures × 3 counties × 2 years, one series.
const NTL_ROWS = [
  '430102,430100,2012,3.1',
  '430103,430100,2012,4.2',
  '430104,430100,2012,5.5',
  '430202,430200,2012,1.2',
  '430203,430200,2012,2.6',
  '430204,430200,2012,0.9',
  '430102,430100,2013,3.4',
  '430103,430100,2013,4.0',
  '430104,430100,2013,6.1',
  '430202,430200,2013,1.5',
  '430203,430200,2013,2.2',
  '430204,430200,2013,1.1',
];
const NTL_HEAD = 'unit_id,parent_id,year,mean';
const ntlCsv = (rows: readonly string[]) => `${NTL_HEAD}\n${rows.join('\n')}\n`;

describe('duplicated unit × period rows (dagum, gap, inequality; CSV and Parquet)', () => {
  // Data row 9 (CSV line 10, Parquet row 9) is a second 430104 in 2013 (next to data row 10): counted twice before.
  const dupRows = [...NTL_ROWS.slice(0, 8), '430104,430100,2013,9.9', ...NTL_ROWS.slice(8)];
  const commands = [
    ['dagum', (p: string, out: string) => ['dagum', '--panel', p, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--out', out]],
    ['inequality', (p: string, out: string) => ['inequality', '--panel', p, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--out', out]],
    ['gap', (p: string, out: string) => ['gap', '--panel', p, '--y', 'mean', '--time', 'year', '--out', out]],
  ] as const;
  const cases = commands.flatMap(([cmd, args]) => (['csv', 'parquet'] as const).map((format) => ({ cmd, args, format })));

  it.each(cases)('$cmd on $format: an error naming the file, both rows, unit and period; nothing written; input untouched', async ({ cmd, args, format }) => {
    const panel = writePanel(`dup-${cmd}`, ntlCsv(dupRows), format);
    const before = { bytes: readFileSync(panel), mtime: statSync(panel).mtimeMs };
    const out = join(tmp, `dup-${cmd}-${format}.csv`);
    const msg = await fails([...args(panel, out)]);
    const [a, b] = format === 'csv' ? ['line 10', 'line 11'] : ['row 9', 'row 10'];
    expect(msg).toBe(
      `ntl: error: ${panel}: unit "430104" has two rows for year = 2013 (${a} and ${b}); a panel needs one row per unit_id × year — aggregate them to one row or drop the duplicate, then run again`,
    );
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(panel).equals(before.bytes)).toBe(true);
    expect(statSync(panel).mtimeMs).toBe(before.mtime);
  });

  it('the clean panel still runs, and --unit names another unit column', async () => {
    const panel = writePanel('clean', ntlCsv(NTL_ROWS), 'csv');
    const { results } = JSON.parse(await succeeds(['dagum', '--panel', panel, '--y', 'mean', '--group', 'parent_id', '--time', 'year']));
    expect(results.map((r: { n: number }) => r.n)).toEqual([6, 6]);
    const renamed = writePanel('renamed', ntlCsv(NTL_ROWS.slice(0, 2).concat('430102,430100,2012,7')).replace('unit_id', 'county'), 'csv');
    expect(await fails(['inequality', '--panel', renamed, '--y', 'mean', '--time', 'year', '--unit', 'county'])).toMatch(
      /unit "430102" has two rows for year = 2012 \(line 2 and line 4\); a panel needs one row per county × year/,
    );
  });

  it('without a unit column, identical rows are caught; without --by, a unit in two rows is', async () => {
    const noUnit = writePanel('no-unit', 'parent_id,year,mean\n430100,2012,3\n430100,2012,4\n430100,2012,3\n', 'csv');
    expect(await fails(['gap', '--panel', noUnit, '--y', 'mean', '--time', 'year'])).toMatch(
      /line 2 and line 4 are the same row \(year = 2012\); a panel needs one row per unit × period — .*; name the unit column with --unit <col>/,
    );
    const panel = writePanel('clean2', ntlCsv(NTL_ROWS), 'csv');
    expect(await fails(['inequality', '--panel', panel, '--y', 'mean'])).toMatch(
      /unit "430102" has two rows \(line 2 and line 8\); .*give --time <period column> \(e.g\. year\)/,
    );
  });

  it('a monthly panel (unit × year × month) is not a duplicate for gap', async () => {
    const panel = writePanel('monthly', 'unit_id,year,month,mean\na,2012,1,1\na,2012,2,2\nb,2012,1,3\nb,2012,2,4\n', 'csv');
    expect(await succeeds(['gap', '--panel', panel, '--y', 'mean', '--time', 'year'])).toMatch(/^unit_id,year,month,mean,mean_gap\n/);
  });

  it('the pipeline entry points share the check', () => {
    const t = tableOfCsv(ntlCsv(dupRows));
    expect(() => inequalityFromPanel(t, { value: 'mean', group: 'parent_id', by: 'year', measures: ['gini'] })).toThrow(
      /inequality: the panel: unit "430104" has two rows for year = 2013 \(panel row 9 and panel row 10\)/,
    );
    expect(() => withGapColumn(t, { value: 'mean', by: ['year'], ref: 'median' })).toThrow(/gap: the panel: unit "430104" has two rows/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Periods must be periods, in every command that takes a period column.

/** 8 units × 6 periods, staggered adoption (units 1–3 from period 3, 4–5 from period 4, 6–8 never). */
function estimationCsv(timeOf: (p: number) => string): string {
  const lines = ['unit,year,cohort,D,y,x1,exposure,parent_id,unit_id'];
  for (let u = 1; u <= 8; u++) {
    const c = u <= 3 ? 3 : u <= 5 ? 4 : null;
    for (let p = 0; p < 6; p++) {
      const d = c !== null && p >= c ? 1 : 0;
      const y = 0.3 * u + 0.2 * p + d + ((u * 7 + p * 3) % 5) / 10;
      const exposure = (u === 6 && p >= 3) || (u === 7 && p >= 4) ? 1 : 0;
      lines.push(
        [u, timeOf(p), c === null ? 0 : timeOf(c), d, y.toFixed(3), (((u * 3 + p) % 4) / 3).toFixed(3), exposure, u <= 4 ? 'A' : 'B', `u${u}`].join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

const EST = ['--y', 'y', '--unit', 'unit', '--time', 'year'];
/** Every command that takes a period column, with its flags (the period column is "year"). */
const PERIOD_COMMANDS: Record<string, (panel: string) => string[]> = {
  dagum: (p) => ['dagum', '--panel', p, '--y', 'y', '--group', 'parent_id', '--time', 'year'],
  inequality: (p) => ['inequality', '--panel', p, '--y', 'y', '--group', 'parent_id', '--time', 'year'],
  gap: (p) => ['gap', '--panel', p, '--y', 'y', '--time', 'year'],
  did: (p) => ['did', '--panel', p, ...EST, '--treat', 'D'],
  eventstudy: (p) => ['eventstudy', '--panel', p, ...EST, '--cohort', 'cohort', '--window', '-2,2'],
  placebo: (p) => ['placebo', '--panel', p, ...EST, '--treat', 'D', '--draws', '20', '--threads', '1'],
  'psm-did': (p) => ['psm-did', '--panel', p, ...EST, '--treat', 'D', '--covariates', 'x1'],
  spillover: (p) => ['spillover', '--panel', p, ...EST, '--treat', 'D', '--exposure', 'exposure'],
  bacon: (p) => ['bacon', '--panel', p, ...EST, '--treat', 'D'],
  att: (p) => ['att', '--panel', p, ...EST, '--cohort', 'cohort'],
};

describe('period values', () => {
  const year = (p: number) => String(2010 + p);
  // Data row 8 is unit 2's second period (2011): CSV line 9.
  const withBad = (bad: string) =>
    estimationCsv(year)
      .split('\n')
      .map((l, i) => (i === 8 ? l.replace(/^(\d+),2011,/, `$1,${bad},`) : l))
      .join('\n');

  const cases = Object.keys(PERIOD_COMMANDS).flatMap((cmd) => [
    {
      cmd,
      bad: '20x5',
      msg: /line 9: period column "year" has the value "20x5", which is not a number; a period must be a number \(e\.g\. 2015\) — fix or drop the row/,
    },
    { cmd, bad: '2015.5', msg: /line 9: period column "year" has 2015\.5, which is not a whole number; fix the value, or pass --time-type continuous/ },
  ]);
  it.each(cases)('$cmd: "$bad" in the period column is an error naming the row and the value', async ({ cmd, bad, msg }) => {
    const panel = join(tmp, `bad-${cmd}-${bad}.csv`);
    writeFileSync(panel, withBad(bad));
    expect(withBad(bad).split('\n')[8]).toMatch(new RegExp(`^2,${bad.replace('.', '\\.')},`));
    const m = await fails(PERIOD_COMMANDS[cmd]!(panel));
    expect(m).toContain(panel);
    expect(m).toMatch(msg);
  });

  it.each(Object.keys(PERIOD_COMMANDS))('%s: --time-type continuous accepts fractional periods (half years)', async (cmd) => {
    const panel = join(tmp, `half-${cmd}.csv`);
    writeFileSync(
      panel,
      estimationCsv((p) => String(2010 + p / 2)),
    );
    await succeeds([...PERIOD_COMMANDS[cmd]!(panel), '--time-type', 'continuous']);
    // … and without it, the first fractional period is named.
    expect(await fails(PERIOD_COMMANDS[cmd]!(panel))).toMatch(/line 3: period column "year" has 2010\.5, which is not a whole number/);
  });

  it('the estimators check the cohort like time; --time-type text is for the table commands only', async () => {
    const panel = join(tmp, 'cohort-half.csv');
    writeFileSync(panel, estimationCsv(year).replace(/^(1,2010),2013,/m, '$1,2013.5,'));
    expect(await fails(PERIOD_COMMANDS.att!(panel))).toMatch(/line 2: period column "cohort" has 2013\.5, which is not a whole number/);
    const text = join(tmp, 'cohort-text.csv');
    writeFileSync(text, estimationCsv(year).replace(/^(1,2010),2013,/m, '$1,20x5,'));
    expect(await fails([...PERIOD_COMMANDS.did!(text), '--cohort', 'cohort'])).toMatch(
      /line 2: period column "cohort" has the value "20x5", which is not a number/,
    );
    expect(await fails([...PERIOD_COMMANDS.did!(panel), '--time-type', 'text'])).toMatch(
      /--time-type text is not available here \(integer or continuous\): the estimators order periods/,
    );
    expect(await fails([...PERIOD_COMMANDS.did!(panel), '--time-type', 'weekly'])).toMatch(/--time-type must be integer or continuous, got "weekly"/);
    const quarters = join(tmp, 'quarters.csv');
    writeFileSync(quarters, 'unit_id,parent_id,year,mean\na,P,2015Q1,1\nb,P,2015Q1,3\na,P,2015Q2,2\nb,P,2015Q2,2\n');
    const { results } = JSON.parse(
      await succeeds(['dagum', '--panel', quarters, '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--time-type', 'text']),
    );
    expect(results.map((r: { by: string }) => r.by)).toEqual(['2015Q1', '2015Q2']);
    expect(await fails(['dagum', '--panel', quarters, '--y', 'mean', '--group', 'parent_id', '--time', 'year'])).toMatch(
      /"2015Q1", which is not a number.*or pass --time-type text/,
    );
    const sources = join(tmp, 'sources.csv');
    writeFileSync(sources, 'unit_id,year,source,mean\na,2015,dmsp,1\na,2015,viirs,2\n');
    expect(await fails(['gap', '--panel', sources, '--y', 'mean', '--by', 'source,year'])).toMatch(
      /line 2: period column "source" has the value "dmsp".*; the first --by column is the period \(e\.g\. --by year,source\), or name it with --time year$/,
    );
    expect(await succeeds(['gap', '--panel', sources, '--y', 'mean', '--time', 'year', '--by', 'source'])).toMatch(/^unit_id,year,source,mean,mean_gap\n/);
  });

  it('exposure: --time (first treated year) must be a whole year; --time-type continuous is refused with the reason', async () => {
    const edges = join(tmp, 'edges.csv');
    writeFileSync(edges, 'id_a,id_b\na,b\nb,c\n');
    const base = (t: string) => ['exposure', '--edges', edges, '--treated', t, '--unit', 'unit_id', '--time', 'first_year', '--years', '2014-2016'];
    for (const [bad, msg] of [
      // The one treatment reader (src/panel/treatment.ts): a whole year or a date starting with one.
      ['20x5', /line 3: column "first_year" has "20x5", which is not a year; give the first treated year as a whole year \(2016\)/],
      ['2015.5', /line 3: column "first_year" has "2015\.5", which is not a year/],
    ] as const) {
      const t = join(tmp, `treated-${bad}.csv`);
      writeFileSync(t, `unit_id,first_year\na,2015\nb,${bad}\n`);
      const out = join(tmp, `exposure-${bad}.csv`);
      expect(await fails([...base(t), '--out', out])).toMatch(msg);
      expect(existsSync(out)).toBe(false);
    }
    const t = join(tmp, 'treated-ok.csv');
    writeFileSync(t, 'unit_id,first_year\na,2015\n');
    expect(await fails([...base(t), '--time-type', 'continuous'])).toMatch(
      /--time-type continuous is not available here \(integer\): exposure builds a panel of whole years/,
    );
    expect(await succeeds([...base(t), '--time-type', 'integer'])).toMatch(/^unit_id,year,/);
  });
});

describe('empty panels', () => {
  it.each([
    ['did', ['--y', 'y', '--treat', 'D', '--unit', 'unit', '--time', 'year']],
    ['bacon', ['--y', 'y', '--treat', 'D', '--unit', 'unit', '--time', 'year']],
    ['dagum', ['--y', 'y', '--group', 'parent_id', '--time', 'year']],
    ['gap', ['--y', 'y', '--time', 'year']],
  ])('%s: a header-only panel (CSV and Parquet) says so', async (cmd, args) => {
    const csv = join(tmp, `header-only-${cmd}.csv`);
    writeFileSync(csv, 'unit,year,D,y,parent_id\n');
    const parquet = join(tmp, `header-only-${cmd}.parquet`);
    writeFileSync(
      parquet,
      tableToParquet({ columns: ['unit', 'year', 'D', 'y', 'parent_id'].map((name) => ({ name, type: 'float64' as const, values: [] })) }),
    );
    for (const p of [csv, parquet])
      expect(await fails([cmd, '--panel', p, ...args])).toBe(
        `ntl: error: ${p}: the panel has a header but no data rows; check that the file was written completely (one row per unit × period)`,
      );
  });

  it('did: --drop filters that remove every row say how many rows each removed; missing values are told apart', async () => {
    const panel = join(tmp, 'drop-all.csv');
    writeFileSync(
      panel,
      estimationCsv((p) => String(2010 + p)),
    );
    const msg = await fails(['did', '--panel', panel, ...EST, '--treat', 'D', '--drop', 'parent_id=A', '--drop', 'parent_id=B']);
    expect(msg).toBe(
      `ntl: error: ${panel}: the --drop filters removed all 48 row(s) (--drop parent_id=A: 24 row(s), --drop parent_id=B: 24 row(s)); check the filter values`,
    );
    const missing = join(tmp, 'all-missing.csv');
    writeFileSync(missing, estimationCsv((p) => String(2010 + p)).replace(/^(\d+,\d+,\d+,\d+),[^,]+,/gm, '$1,,'));
    expect(await fails(['did', '--panel', missing, ...EST, '--treat', 'D', '--drop', 'parent_id=A'])).toMatch(
      /no rows left: every remaining row has a missing value after the --drop filters \(--drop parent_id=A: 24 row\(s\)\) \(y: 24\)/,
    );
  });
});

describe('manifest verify: where two hashes differ', () => {
  const h = (prefix: string) => prefix + '0'.repeat(64 - prefix.length);
  it.each([
    { a: h('a'), b: h('b'), at: 1, shownA: '[a]00000000000…', shownB: '[b]00000000000…' },
    // Same first 12 characters: the old message showed two identical prefixes.
    { a: h('3f2a9c01b7e4d0c5a1e27'), b: h('3f2a9c01b7e4d0c5a1e28'), at: 21, shownA: '3f2a9c01b7e4d0c5a1e2[7]…', shownB: '3f2a9c01b7e4d0c5a1e2[8]…' },
    { a: '0'.repeat(63) + 'a', b: '0'.repeat(63) + 'b', at: 64, shownA: '0'.repeat(63) + '[a]', shownB: '0'.repeat(63) + '[b]' },
  ])('first difference at character $at', ({ a, b, at, shownA, shownB }) => {
    expect(hashDifference(a, b)).toEqual({ actual: shownA, expected: shownB, at });
  });

  it('the error gives both full hashes, the position and the size; a size mismatch says by how much', () => {
    const base = { part: 'main', file: 'x', url: undefined, expectedSize: 18 } as const;
    const report: VerifyReport = {
      manifest: 'm.yaml',
      ok: false,
      items: [
        {
          ...base,
          entryId: 'xw',
          path: 'files/xw.csv',
          status: 'checksum-mismatch',
          expectedSha256: h('3f2a9c01b7e4d0c5a1e28'),
          actualSize: 18,
          actualSha256: h('3f2a9c01b7e4d0c5a1e27'),
        },
        { ...base, entryId: 'r', path: 'files/r.bin', status: 'size-mismatch', expectedSha256: h('1'), actualSize: 5 },
      ],
    };
    expect(() => assertVerified(report)).toThrow(
      `xw: checksum mismatch: files/xw.csv has sha256 ${h('3f2a9c01b7e4d0c5a1e27')}, the manifest records ${h('3f2a9c01b7e4d0c5a1e28')}: they first differ at character 21 ` +
        '(3f2a9c01b7e4d0c5a1e2[7]… vs 3f2a9c01b7e4d0c5a1e2[8]…); the size is as recorded (18 bytes), so the content changed',
    );
    expect(() => assertVerified(report)).toThrow(
      'r: size mismatch: files/r.bin is 5 bytes, the manifest records 18 (13 bytes fewer — an interrupted download or a truncated copy?)',
    );
  });
});
