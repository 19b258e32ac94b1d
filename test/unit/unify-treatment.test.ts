/**
 * One treatment reader (src/panel/treatment.ts) behind `ntl exposure`, the pipeline's exposure stage and its
 * estimation stage (`ntl run`): on one file with the cases where they used to disagree — a time "2016-03" next to
 * "2016", excluded rows, a unit listed in two policy waves, codes exported as "430101.0" — all three give the same
 * first treated years. A unit listed with two different years is an error unless the table is declared a policy
 * list in waves (--waves; pipeline `waves: true`), and then all three take its earliest year.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { treatmentTiming as tableTiming, treatmentYear, unitCode } from '../../src/panel/treatment.js';
import { tableOf } from '../../src/panel/read-table.js';
import type { PanelPlan } from '../../src/pipeline/plan.js';
import { spatialOutputs } from '../../src/pipeline/stages/analysis-stage.js';
import { treatmentTiming } from '../../src/pipeline/stages/estimate-stage.js';
import { readZones } from '../../src/vector/index.js';
import { parseCsv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('treat');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const POLICY = join(dir, 'policy.csv');
writeFileSync(
  POLICY,
  [
    'code,adopted,verification',
    '430101.0,2016-03,verified', // a code through a float, a year-month
    '430102,2016,verified',
    '430103,2018,NOT verified', // excluded: the verified row below counts
    '430103,2019,verified',
    '430104,2017,verified',
    '430104,2015-07-01,verified', // listed again (an earlier wave): with waves, the earliest year
  ].join('\n') + '\n',
);
const EXPECTED = { '430101': 2016, '430102': 2016, '430103': 2019, '430104': 2015 };

/** Four 1° squares in a row (lon 112–116, lat 28–29), codes 430101–430104. */
const ZONES = join(dir, 'zones.geojson');
writeFileSync(
  ZONES,
  JSON.stringify({
    type: 'FeatureCollection',
    features: [0, 1, 2, 3].map((i) => ({
      type: 'Feature',
      properties: { code: `43010${i + 1}` },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [112 + i, 28],
            [113 + i, 28],
            [113 + i, 29],
            [112 + i, 29],
            [112 + i, 28],
          ],
        ],
      },
    })),
  }),
);

const file = { id: 'policy', file: POLICY, sha256: '', size: 0 };
const plan = {
  name: 't',
  origin: 't.yaml',
  years: [2014, 2015, 2016, 2017, 2018, 2019, 2020],
  boundaries: { idField: 'code' },
  spatial: { rule: 'queen', snapM: 1, exposure: { file, unit: 'code', time: 'adopted', order: 1 } },
  treatment: { file, unit: 'code', time: 'adopted', exclude: { verification: '^NOT' }, waves: true },
} as unknown as PanelPlan;
/** The same plan without `waves`: the unit listed twice is an error. */
const noWaves = { ...plan, treatment: { ...plan.treatment!, waves: undefined } } as PanelPlan;

describe('treatment reader', () => {
  it('years: whole years and dates starting with one; not fractions or free text', () => {
    const years = ['2016', '2016.0', '2016-03', '2016-03-15', '2016/3', '2016-03-15T00:00:00', '2016年', '2016年3月', '2016年3月15日', '2016Q1', '2016-Q4'];
    expect(years.map(treatmentYear)).toEqual(years.map(() => 2016));
    expect(['2016.5', 'mid-2016', '20x6', '2016-13', '16', '2016年13月', '2016Q5'].map(treatmentYear)).toEqual([null, null, null, null, null, null, null]);
    expect(['430101.0', ' 430101 ', 'a.0', '0430.00'].map(unitCode)).toEqual(['430101', '430101', 'a.0', '0430']);
  });

  it('errors name the row; a fully empty row is skipped', () => {
    const t = (rows: (string | null)[][]) => tableOf('t.csv', ['code', 'y'], rows, 'line');
    expect(() => tableTiming(t([['a', '2016.5']]), { unit: 'code', time: 'y' })).toThrow(/t\.csv line 2: column "y" has "2016\.5", which is not a year/);
    expect(() =>
      tableTiming(
        t([
          ['a', '2016'],
          ['b', ''],
        ]),
        { unit: 'code', time: 'y' },
      ),
    ).toThrow(/t\.csv line 3: unit b has no value in "y"/);
    expect(() => tableTiming(t([['', '2016']]), { unit: 'code', time: 'y' })).toThrow(/line 2: column "code" is empty/);
    expect([
      ...tableTiming(
        t([
          ['a', '2016'],
          ['', ''],
        ]),
        { unit: 'code', time: 'y' },
      ).timing,
    ]).toEqual([['a', 2016]]);
  });

  const twice = tableOf(
    't.csv',
    ['code', 'y'],
    [
      ['a', '2018'],
      ['a', '2016'],
      ['b', '2017'],
      ['b', '2017'],
      ['c', '2010'],
      ['c', '2011'],
    ],
    'line',
  );

  it('a unit listed twice with different years: an error naming both rows and --waves; the same year twice is one unit', () => {
    expect(() => tableTiming(twice, { unit: 'code', time: 'y' })).toThrow(
      't.csv line 3: unit a is listed twice with different years (2018 on line 2, 2016 on line 3), and 1 other unit(s) too; keep one row per unit, ' +
        'or, if the file is a policy list in waves (a unit named again in a later wave), pass --waves to treat each unit from its earliest year',
    );
    expect(() => tableTiming(twice, { unit: 'code', time: 'y', wavesOption: 'set waves: true' })).toThrow(/set waves: true to treat each unit/);
    const same = tableTiming(
      tableOf(
        't.csv',
        ['code', 'y'],
        [
          ['b', '2017'],
          ['b', '2017-05'],
        ],
        'line',
      ),
      { unit: 'code', time: 'y' },
    );
    expect([...same.timing]).toEqual([['b', 2017]]);
    expect(same.warnings).toEqual([]);
  });

  it('a policy list in waves: the earliest year, with a warning saying it is a policy list in waves and naming the units', () => {
    const r = tableTiming(twice, { unit: 'code', time: 'y', waves: true });
    expect([...r.timing]).toEqual([
      ['a', 2016],
      ['b', 2017],
      ['c', 2010],
    ]);
    expect(r.warnings).toEqual([
      't.csv: policy waves: 2 unit(s) are listed in more than one wave; each is treated from its earliest year: a (2016, 2018), c (2010, 2011)',
    ]);
  });
});

describe('ntl exposure, the pipeline exposure stage and the estimation stage agree on one file', () => {
  it('estimation stage (ntl run: treatment section with exclude)', async () => {
    const warnings: string[] = [];
    expect(Object.fromEntries(await treatmentTiming(plan, warnings))).toEqual(EXPECTED);
    expect(warnings.join('\n')).toMatch(/1 row\(s\) of policy excluded by treatment\.exclude/);
    expect(warnings.join('\n')).toMatch(/policy waves: 1 unit\(s\) .*: 430104 \(2015, 2017\)/);
    await expect(treatmentTiming(noWaves, [])).rejects.toThrow(
      /policy\.csv line 7: unit 430104 is listed twice with different years \(2017 on line 6, 2015 on line 7\).*set waves: true in the treatment section to treat/,
    );
  });

  it('pipeline exposure stage (spatial.exposure on the same entry: the same exclusions)', async () => {
    const zones = await readZones(ZONES, { idField: 'code' });
    const warnings: string[] = [];
    const out = await spatialOutputs(zones, plan, warnings);
    const t = out!.exposure!;
    const col = (n: string) => t.columns.find((c) => c.name === n)!.values;
    const first: Record<string, unknown> = {};
    col('unit_id').forEach((u, i) => {
      first[String(u)] = col('first_treated_year')[i];
    });
    expect(first).toEqual(EXPECTED);
    // spatial.exposure on the treatment section's table follows its waves (and exclude); without: the error, naming both places
    await expect(spatialOutputs(zones, noWaves, [])).rejects.toThrow(
      /unit 430104 is listed twice .*set waves: true in spatial\.exposure or the treatment section/,
    );
  });

  it('ntl exposure --where verification=verified --waves (without --waves: the error, nothing written)', async () => {
    const edges = join(dir, 'edges.csv');
    expect((await runCli(['adjacency', '--zones', ZONES, '--id', 'code', '--out', edges])).code).toBe(0);
    const out = join(dir, 'exposure.csv');
    const args = [
      'exposure',
      '--edges',
      edges,
      '--treated',
      POLICY,
      '--unit',
      'code',
      '--time',
      'adopted',
      '--where',
      'verification=verified',
      '--years',
      '2014-2020',
      '--out',
      out,
    ];
    const refused = await runCli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^ntl: error: \S+policy\.csv line 7: unit 430104 is listed twice with different years .*pass --waves to treat each unit from its earliest year\n$/,
    );
    expect(existsSync(out)).toBe(false);
    const r = await runCli([...args, '--waves']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/ntl: warning: \S+policy\.csv: policy waves: 1 unit\(s\) are listed in more than one wave; .*430104 \(2015, 2017\)/);
    const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
    const first = Object.fromEntries(rows.map((row) => [row[0], Number(row[header.indexOf('first_treated_year')])]));
    expect(first).toEqual(EXPECTED);
  });
});
