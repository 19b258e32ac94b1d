/**
 * Study-pipeline pieces on a private copy of the demo project: the mainland filter (a Hong Kong unit added to
 * the boundary file), triple-difference splits by region and by treatment stage, treatment intensity, and
 * PSM-DID on a covariates table recorded in the manifest — plus the spec errors for each.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, runBinary as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Tests that run several commands or whole pipelines take 20–35 s on two busy cores: at least three times that. */
const LONG = 120_000;

const tmp = tempDir('splits');
const root = join(tmp, 'project');
cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
cpSync('data/treatments', join(root, 'data/treatments'), { recursive: true });
cpSync('data-manifests/treatments.yaml', join(root, 'data-manifests/treatments.yaml'));

// Boundary file + a copy of 桂东县 recoded as a Hong Kong unit (810001): the hierarchy marks it mainland: false.
const geoPath = join(root, 'data/demo/hunan_counties.geojson');
const geo = JSON.parse(readFileSync('data/demo/hunan_counties.geojson', 'utf8')) as { features: { properties: Record<string, unknown> }[] };
const hk = structuredClone(geo.features[0]!);
Object.assign(hk.properties, { Code_County: '810001', Code_Perfecture: '8100', Code_Province: '81', Name_County: '测试区' });
geo.features.push(hk);
const geoText = JSON.stringify(geo);
writeFileSync(geoPath, geoText);
const manifest = readFileSync('data-manifests/demo.yaml', 'utf8')
  .replace('size: 457643', `size: ${Buffer.byteLength(geoText)}`)
  .replace('4d439347fcb444a4bf9db35e9b1cfae3998ca98de9097984e845a8d3af701280', createHash('sha256').update(geoText).digest('hex'));
writeFileSync(join(root, 'data-manifests/demo.yaml'), manifest);

// A small pipeline: one series, 2014–2020, no maps or spatial section.
const base = `pipeline: 1
name: splits
manifests: [../data-manifests/demo.yaml, ../data-manifests/treatments.yaml]
boundaries:
  entry: hunan-counties
UNITS
series:
  - name: viirs_like
    select: { sensor: harmonized, product: chen2021-npp-viirs-like-8bit }
years: { from: 2014, to: 2020 }
zonal: { stats: [count, sum, mean, lit_share], rule: exact, nodata_as_zero: true }
gap: { value: mean, ref: median }
treatment: { table: poverty-counties-832, unit: mapchina_code, time: exit_year }
estimate:
  level: county
  outcome: mean_gap
  source: viirs_like
  models: MODELS
  heterogeneity: [region]
  stages: [2016, 2018]
  intensity: lit_share
EXTRA
outputs: { dir: OUT, formats: [csv], report: true }
`;
const spec = (name: string, o: { units?: string; models?: string; extra?: string; out?: string } = {}): string => {
  const text = base
    .replace('UNITS', o.units ?? '')
    .replace('MODELS', o.models ?? '[did]')
    .replace('EXTRA', o.extra ?? '')
    .replace('OUT', o.out ?? `../out/${name}`);
  const p = join(root, 'pipelines', `${name}.yaml`);
  cpSync('pipelines/hunan-demo.yaml', p);
  writeFileSync(p, text);
  return p;
};
const read = (dir: string, f: string) => readFileSync(join(root, 'out', dir, f), 'utf8');
const json = (dir: string, f: string) => JSON.parse(read(dir, f)) as Record<string, unknown> & { coef: Record<string, number>; se: Record<string, number> };

describe('boundaries.units', () => {
  it(
    'mainland (default) drops the Hong Kong unit right after the hierarchy, with a warning; all keeps it',
    async () => {
      const r = await ntl(['run', spec('mainland'), '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/1 unit\(s\) outside mainland China left out of every output \(1 hong-kong\)/);
      const panel = parseCsv(read('mainland', 'panel.csv'));
      expect(panel.rows.length).toBe(122 * 7);
      expect(panel.rows.some((row) => row[0] === '810001')).toBe(false);

      const r2 = await ntl(['run', spec('all', { units: '  units: all' }), '--quiet']);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stderr).not.toMatch(/outside mainland/);
      const all = parseCsv(read('all', 'panel.csv'));
      expect(all.rows.length).toBe(123 * 7);
      expect(all.rows.filter((row) => row[0] === '810001')).toHaveLength(7);
      // The national median (gap) differs because the extra unit is in it.
      const gap = (t: typeof all, id: string) => t.rows.find((row) => row[0] === id && row[4] === '2020')!.at(-1);
      expect(gap(all, '430102')).not.toBe(gap(panel, '430102'));
      // Its region is empty (no economic region outside the mainland provinces).
      const est = parseCsv(read('all', 'estimation/panel.csv'));
      const region = est.header.indexOf('region');
      expect(est.rows.find((row) => row[0] === '810001')![region]).toBe('');
      expect(parseCsv(read('mainland', 'estimation/panel.csv')).rows.every((row) => row[region] === 'central')).toBe(true);
    },
    LONG,
  );
});

describe('estimate splits, stages and intensity', () => {
  it('writes did_by_region, did_by_stage and did_intensity as kind did, equal to `ntl did --interact` on the estimation panel', async () => {
    const panelPath = join(root, 'out/mainland/estimation/panel.csv');
    const est = parseCsv(readFileSync(panelPath, 'utf8'));
    expect(est.header).toEqual(['unit', 'year', 'mean_gap', 'treat', 'cohort', 'region', 'stage', 'lit_share']);
    const [cohort, stage] = [est.header.indexOf('cohort'), est.header.indexOf('stage')];
    for (const row of est.rows) {
      const c = row[cohort] === '' ? null : Number(row[cohort]);
      expect(row[stage]).toBe(c === null ? 'never' : c < 2016 ? 'before-2016' : c < 2018 ? '2016-2017' : '2018+');
    }
    expect(new Set(est.rows.map((row) => row[stage]))).toEqual(new Set(['never', '2016-2017', '2018+']));

    const did = json('mainland', 'estimates/did.json');
    const byRegion = json('mainland', 'estimates/did_by_region.json');
    expect(byRegion.kind).toBe('did');
    expect(byRegion.title).toMatch(/by region/);
    // Every Hunan county is 中部: the split has one level and reproduces the pooled DID.
    expect(Object.keys(byRegion.coef)).toEqual(['treat:region=central']);
    expect(byRegion.coef['treat:region=central']).toBeCloseTo(did.coef.treat!, 10);

    const common = ['--panel', panelPath, '--y', 'mean_gap', '--treat', 'treat', '--unit', 'unit', '--time', 'year'];
    const byStage = json('mainland', 'estimates/did_by_stage.json');
    const direct = JSON.parse((await ntl(['did', ...common, '--interact', 'treat:i.stage'])).stdout) as { coef: Record<string, number> };
    expect(byStage.coef).toEqual(direct.coef);
    expect(Object.keys(byStage.coef)).toEqual(['treat:stage=2016-2017', 'treat:stage=2018+']);

    const intensity = json('mainland', 'estimates/did_intensity.json');
    const direct2 = JSON.parse((await ntl(['did', ...common, '--interact', 'treat:lit_share'])).stdout) as { coef: Record<string, number> };
    expect(intensity.coef).toEqual(direct2.coef);
    expect(Object.keys(intensity.coef)).toEqual(['treat', 'treat:lit_share']);

    const report = read('mainland', 'report.html');
    for (const t of ['by region', 'by treatment stage', 'treatment intensity']) expect(report).toContain(t);
  });
});

describe('PSM-DID with a covariates table', () => {
  it(
    'joins the covariates by unit and runs kernel matching → estimates/psm.json (kind psm)',
    async () => {
      // Synthetic, deterministic covariates for every Hunan county code.
      const codes = [...new Set(parseCsv(read('mainland', 'panel.csv')).rows.map((row) => row[0]!))];
      const lines = codes.map((c, i) => `${c},${(i % 7) / 7},${Math.round(100 + 37 * ((i * 13) % 11))}`);
      const csv = join(root, 'data/covariates.csv');
      writeFileSync(csv, `county_code,x1,x2\n${lines.join('\n')}\n`);
      const add = await ntl([
        'manifest',
        'add',
        join(root, 'data-manifests/demo.yaml'),
        '--file',
        csv,
        '--id',
        'county-covariates',
        '--kind',
        'table',
        '--role',
        'attributes',
        '--licence',
        'test',
        '--citation',
        'synthetic',
      ]);
      expect(add.code, add.stderr).toBe(0);
      const r = await ntl([
        'run',
        spec('psm', { models: '[did, psm]', extra: '  covariates: { table: county-covariates, unit: county_code, columns: [x1, x2] }' }),
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const est = parseCsv(read('psm', 'estimation/panel.csv'));
      expect(est.header.slice(-2)).toEqual(['x1', 'x2']);
      const psm = json('psm', 'estimates/psm.json');
      expect(psm.kind).toBe('psm');
      const direct = await ntl([
        'psm-did',
        '--panel',
        join(root, 'out/psm/estimation/panel.csv'),
        '--y',
        'mean_gap',
        '--treat',
        'treat',
        '--unit',
        'unit',
        '--time',
        'year',
        '--covariates',
        'x1,x2',
        '--match',
        'kernel',
        '--bandwidth',
        '0.06',
      ]);
      expect(direct.code, direct.stderr).toBe(0);
      expect(psm.coef).toEqual((JSON.parse(direct.stdout) as { coef: Record<string, number> }).coef);
      const run = JSON.parse(read('psm', 'run.json')) as { inputs: { id: string }[] };
      expect(run.inputs.some((i) => i.id === 'county-covariates')).toBe(true);
      expect(read('psm', 'report.html')).toContain('PSM-DID');
    },
    LONG,
  );
});

describe('spec errors', () => {
  const cases: [string, Parameters<typeof spec>[1], RegExp[]][] = [
    ['psm without covariates', { models: '[did, psm]' }, [/bad0\.yaml line 18: estimate\.models\[1\] psm needs estimate\.covariates/]],
    ['unknown units value', { units: '  units: china' }, [/bad1\.yaml line 6: boundaries\.units must be mainland or all/]],
  ];
  cases.forEach(([name, o, patterns], i) => {
    it(name, async () => {
      const r = await ntl(['run', spec(`bad${i}`, o), '--quiet']);
      expect(r.code).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      for (const m of patterns) expect(lines[0]).toMatch(m);
    });
  });
  it('a split variable that is not an estimation-panel column names the YAML line and the available columns', async () => {
    const p = spec('badcol');
    writeFileSync(p, readFileSync(p, 'utf8').replace('heterogeneity: [region]', 'heterogeneity: [region, gdp]'));
    const r = await ntl(['run', p, '--quiet']);
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/badcol\.yaml line 19: estimate\.heterogeneity\[1\] 'gdp' is not a column of the panel .*available: region, unit_id/);
  });
});
