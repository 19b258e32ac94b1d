/**
 * One column-name sanitiser (src/output/column-names.ts): `ntl zonal` and `ntl panel` write the same quantile
 * column, and every name is valid in Stata, R and SQL.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvText } from '../../src/output/csv.js';
import { columnNameProblem, safeColumnName, safeColumnNames } from '../../src/output/column-names.js';
import { stataNameProblem } from '../../src/output/dta.js';
import { encodePanel } from '../../src/output/panel-writers.js';
import { parseStats, quantileLevelText } from '../../src/zonal/index.js';
import { parseCsv, runCli } from '../helpers/cli.js';
import { readDtaVariables } from '../helpers/dta-read.js';
import { tempDir } from '../helpers/tmp.js';

const dtaNames = (bytes: Uint8Array): string[] => readDtaVariables(bytes).variables.map((v) => v.name);

const dir = tempDir('cols');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safeColumnName', () => {
  it('letters, digits, _; not starting with a digit or _; not reserved; ≤ 32 characters', () => {
    const cases: [string, string][] = [
      ['quantile:0.9', 'quantile_0_9'],
      ['quantile_0.25', 'quantile_0_25'],
      ['GDP (bn)', 'GDP_bn'],
      ['2015', 'v2015'],
      ['_n', 'v_n'],
      ['in', 'in_'],
      ['group', 'group_'],
      ['Order', 'Order_'],
      ['str12', 'str12_'],
      ['NA', 'NA_'],
      ['灯光', 'v'],
      ['sum', 'sum'],
      ['a'.repeat(40), 'a'.repeat(32)],
    ];
    for (const [name, want] of cases) expect([name, safeColumnName(name)]).toEqual([name, want]);
    for (const [, got] of cases) {
      expect([got, columnNameProblem(got)]).toEqual([got, null]);
      expect([got, stataNameProblem(got)]).toEqual([got, null]);
    }
  });
  it('unique after sanitising, within 32 characters', () => {
    expect(safeColumnNames(['a.b', 'a_b', 'a-b'])).toEqual(['a_b', 'a_b_2', 'a_b_3']);
    const long = safeColumnNames(['x'.repeat(40), 'x'.repeat(41)]);
    expect(long).toEqual(['x'.repeat(32), `${'x'.repeat(30)}_2`]);
  });
  it('every writer uses it: CSV header, Parquet and .dta via encodePanel', () => {
    expect(csvText(['quantile:0.9', 'group'], [[1, 2]])).toBe('quantile_0_9,group_\n1,2\n');
    const dta = encodePanel(
      {
        columns: [
          { name: 'quantile:0.9', type: 'float64', values: [1] },
          { name: '2015', type: 'float64', values: [2] },
        ],
      },
      'dta',
    );
    expect(dtaNames(dta as Uint8Array)).toEqual(['quantile_0_9', 'v2015']);
  });
  it('statistics: quantile:0.9 → quantile_0_9, and its level reads back', () => {
    expect(parseStats('quantile:0.9,quantile:0.25,quantile:1').map((s) => s.column)).toEqual(['quantile_0_9', 'quantile_0_25', 'quantile_1']);
    expect(['quantile_0_9', 'quantile_0.9', 'quantile_1', 'sum'].map(quantileLevelText)).toEqual(['0.9', '0.9', '1', null]);
  });
});

describe('quantile columns: ntl zonal and ntl panel write the same Stata-valid name', () => {
  const zones = ['--zones', 'data/demo/hunan_counties.geojson', '--id', 'Code_County'];
  const raster = 'data/demo/viirs_like/2012_8bit_hunan.tif';
  it('zonal CSV header = panel CSV / .dta columns', async () => {
    const z = await runCli(['zonal', '--raster', raster, ...zones, '--stats', 'sum,quantile:0.9']);
    expect(z.code, z.stderr).toBe(0);
    const zonalCols = parseCsv(z.stdout).header.slice(1);
    expect(zonalCols).toEqual(['sum', 'quantile_0_9']);
    const out = join(dir, 'panel');
    const p = await runCli([
      'panel',
      ...zones,
      '--raster',
      `viirs:2012=${raster}`,
      '--stats',
      'sum,quantile:0.9',
      '--format',
      'csv,dta',
      '--out',
      out,
      '--quiet',
    ]);
    expect(p.code, p.stderr).toBe(0);
    const panelCols = parseCsv(readFileSync(join(out, 'panel.csv'), 'utf8')).header;
    expect(panelCols.slice(-2)).toEqual(zonalCols);
    const dtaCols = dtaNames(readFileSync(join(out, 'panel.dta')));
    expect(dtaCols.slice(-2)).toEqual(zonalCols);
    for (const c of [...panelCols, ...dtaCols]) expect([c, stataNameProblem(c), columnNameProblem(c)]).toEqual([c, null, null]);
    // The same values: the zonal quantile column is the panel's.
    const zq = new Map(parseCsv(z.stdout).rows.map((r) => [r[0], r[2]]));
    const pcsv = parseCsv(readFileSync(join(out, 'panel.csv'), 'utf8'));
    for (const r of pcsv.rows) expect(r[pcsv.header.indexOf('quantile_0_9')]).toBe(zq.get(r[0]));
  }, 120_000);
});
