/**
 * Issue 14 end to end: a pipeline whose boundary file has a one-county prefecture (a demo county moved to
 * prefecture 439900) and a prefecture-level estimation on G_jj. The inequality table leaves that prefecture's
 * G_jj empty, run.json says which groups were emptied and why (and that they leave the estimation sample), the
 * estimation panel does not contain it; with `min_group_size: 1` it is back, at G_jj = 0.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, runBinary as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('small-groups');
const root = join(tmp, 'project');
cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
cpSync('data/treatments', join(root, 'data/treatments'), { recursive: true });
cpSync('data-manifests/treatments.yaml', join(root, 'data-manifests/treatments.yaml'));

const geoPath = join(root, 'data/demo/hunan_counties.geojson');
const geo = JSON.parse(readFileSync('data/demo/hunan_counties.geojson', 'utf8')) as { features: { properties: Record<string, unknown> }[] };
const moved = geo.features.find((f) => f.properties.Code_Perfecture === '4308')!;
moved.properties.Code_Perfecture = '4399';
const movedId = String(moved.properties.Code_County);
const geoText = JSON.stringify(geo);
writeFileSync(geoPath, geoText);
writeFileSync(
  join(root, 'data-manifests/demo.yaml'),
  readFileSync('data-manifests/demo.yaml', 'utf8')
    .replace('size: 457643', `size: ${Buffer.byteLength(geoText)}`)
    .replace('4d439347fcb444a4bf9db35e9b1cfae3998ca98de9097984e845a8d3af701280', createHash('sha256').update(geoText).digest('hex')),
);

const spec = (extra: string): string => {
  const p = join(root, 'pipelines', 'small.yaml');
  cpSync('pipelines/hunan-demo.yaml', p);
  writeFileSync(
    p,
    `pipeline: 1
name: small
manifests: [../data-manifests/demo.yaml, ../data-manifests/treatments.yaml]
boundaries: { entry: hunan-counties }
series:
  - name: viirs_like
    select: { sensor: harmonized, product: chen2021-npp-viirs-like-8bit }
years: { from: 2017, to: 2019 }
zonal: { stats: [count, mean], rule: exact, nodata_as_zero: true }
inequality:
  value: mean
  measures: [dagum, gini]
${extra}treatment: { table: industrial-transfer-zones, unit: prefecture_code, time: announce_ym_in_source }
estimate: { level: prefecture, outcome: G_jj, source: viirs_like, models: [did] }
outputs: { dir: ../out/small, formats: [csv, dta] }
`,
  );
  return p;
};
const read = (f: string) => readFileSync(join(root, 'out/small', f), 'utf8');

describe('a one-county prefecture in a pipeline', () => {
  it('is emptied in inequality.*, recorded in run.json, absent from the estimation panel; min_group_size 1 brings it back', async () => {
    const r = await ntl(['run', spec(''), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const ineq = parseCsv(read('inequality.csv'));
    const at = (name: string) => ineq.header.indexOf(name);
    const solo = ineq.rows.filter((x) => x[0] === '439900');
    expect(solo.map((x) => [x[1], x[at('n')], x[at('gini')], x[at('G_jj')]])).toEqual([
      ['2017', '1', '', ''],
      ['2018', '1', '', ''],
      ['2019', '1', '', ''],
    ]);
    expect(solo.every((x) => Number(x[at('mean')]) > 0 && Number(x[at('G')]) > 0)).toBe(true);
    expect(ineq.rows.filter((x) => x[0] !== '439900').every((x) => x[at('G_jj')] !== '')).toBe(true);

    const run = JSON.parse(read('run.json'));
    expect(run.inequality).toEqual({
      value: 'mean',
      group: 'parent_id',
      measures: ['dagum', 'gini'],
      min_group_size: 2,
      small_groups: {
        rule: expect.stringMatching(/^a group with fewer than 2 units with a value in a year gets empty \(null\) G_jj, gini in that year/),
        emptied_columns: ['G_jj', 'gini'],
        groups: 1,
        group_years: 3,
        list: [{ source: 'viirs_like', group: '439900', years: [2017, 2018, 2019], n: [1, 1, 1] }],
      },
      estimation: { outcome: 'G_jj', source: 'viirs_like', excluded_groups: ['439900'], note: expect.stringContaining('not in the estimation sample') },
    });
    const size = (run.warnings as string[]).filter((w) => /min_group_size/.test(w));
    expect(size).toHaveLength(1);
    expect(size[0]).toMatch(
      /^inequality: inequality\.min_group_size 2: 1 group\(s\) have a single unit with a value in some year \(3 group-year\(s\)\): 439900; /,
    );
    const est = parseCsv(read('estimation/panel.csv'));
    const units = new Set(est.rows.map((x) => x[0]));
    expect(units.has('439900')).toBe(false);
    expect(units.size).toBe(14);

    // min_group_size 1 (zonal results come from the cache): the old behaviour, still warned and recorded.
    const old = await ntl(['run', spec('  min_group_size: 1\n'), '--quiet']);
    expect(old.code, old.stderr).toBe(0);
    const oldRun = JSON.parse(read('run.json'));
    expect(oldRun.inequality.small_groups).toMatchObject({ emptied_columns: [], groups: 1 });
    expect(oldRun.inequality.estimation).toBeUndefined();
    expect((oldRun.warnings as string[]).filter((w) => /min_group_size 1: .*439900; .*0 by construction/.test(w))).toHaveLength(1);
    const oldEst = parseCsv(read('estimation/panel.csv'));
    expect(oldEst.rows.filter((x) => x[0] === '439900').map((x) => x[2])).toEqual(['0', '0', '0']);
    expect(movedId).toMatch(/^4308\d\d$/);
  });
});
