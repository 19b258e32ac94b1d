/**
 * `ntl run` on the shipped demo pipeline (the README's main command) and the pipeline-level bad inputs:
 * each one clear error with the file (and YAML line), exit ≠ 0, previous outputs intact.
 */
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, runBinary } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Tests that run several commands or whole pipelines take 20–35 s on two busy cores: at least three times that. */
const LONG = 120_000;

const ntl = runBinary;

const tmp = tempDir('run');

describe('ntl run pipelines/hunan-demo.yaml', () => {
  const out = join(tmp, 'demo');
  it(
    'produces the panel in three formats, the wide panel, maps and run.json',
    async () => {
      const r = await ntl(['run', 'pipelines/hunan-demo.yaml', '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/panel: 3172 rows; cache: 0 reused, 15 computed/); // 122 × (11 + 4) + 122 × 11 harmonised
      const files = readdirSync(out).sort();
      expect(files).toEqual([
        '.cache',
        'adjacency.csv',
        'adjacency.gal',
        'estimates',
        'estimation',
        'exposure.csv',
        'exposure.dta',
        'exposure.parquet',
        'figures',
        'harmonisation.json',
        'inequality.csv',
        'inequality.dta',
        'inequality.parquet',
        'maps',
        'panel.csv',
        'panel.dta',
        'panel.parquet',
        'panel_wide.csv',
        'panel_wide.dta',
        'panel_wide.parquet',
        'report.html',
        'run.json',
        'tables',
      ]);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<h1>Night-light report: hunan-demo<\/h1>/);
      // Inequality: one row per prefecture × year × series (14 prefectures; 11 + 4 years); the harmonised series has
      // only sum, so the inequality of mean leaves it out.
      expect(parseCsv(readFileSync(join(out, 'inequality.csv'), 'utf8')).rows.length).toBe(14 * 15);
      // Gap column added to the panel; exposure panel is unit × year over the pipeline years.
      expect(parseCsv(readFileSync(join(out, 'exposure.csv'), 'utf8')).rows.length).toBe(122 * 11);
      // Adjacency as spdep::poly2nb (queen) on the same polygons.
      expect(parseCsv(readFileSync(join(out, 'adjacency.csv'), 'utf8')).rows.length).toBe(322);
      expect(readdirSync(join(out, 'maps')).length).toBe(30);
      const { header, rows } = parseCsv(readFileSync(join(out, 'panel.csv'), 'utf8'));
      expect(header.slice(0, 6)).toEqual(['unit_id', 'unit_name', 'parent_id', 'province_id', 'year', 'source']);
      expect(header[header.length - 1]).toBe('mean_gap');
      expect(rows.length).toBe(122 * 11 + 122 * 4 + 122 * 11);
      // The harmonised series: every viirs_like unit × year, only `sum` filled (in DMSP-like scale).
      const scaled = rows.filter((r) => r[5] === 'dmsp_scale');
      expect(scaled).toHaveLength(122 * 11);
      const sumAt = header.indexOf('sum');
      expect(scaled.every((r) => r.every((cell, i) => i < 6 || (i === sumAt ? Number(cell) > 0 : cell === '')))).toBe(true);
      expect(rows.every((r) => r.every((cell, i) => i < 6 || cell === '' || Number.isFinite(Number(cell))))).toBe(true);
      const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
      expect(run.pipeline.name).toBe('hunan-demo');
      expect(run.inputs).toHaveLength(17); // boundaries, 15 rasters, the treatment table (shared by exposure and estimate)
      expect(run.inputs.every((i: { sha256: string }) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
      expect(run.harmonisation).toMatchObject({
        from: 'viirs_like',
        to: 'dmsp_like',
        stat: 'sum',
        model: 'power',
        n_pairs: 122 * 4,
        overlap_years: [2018, 2019, 2020, 2021],
        converged: true,
      });
      expect(JSON.parse(readFileSync(join(out, 'harmonisation.json'), 'utf8'))).toEqual(run.harmonisation);
      expect(run.timings.map((t: { stage: string }) => t.stage)).toEqual([
        'verify',
        'boundaries',
        'zonal',
        'harmonise',
        'inequality',
        'spatial',
        'estimate',
        'encode',
        'maps',
      ]);
      // Estimates: every model of the pipeline ran; the DID equals \`ntl did\` on the published estimation panel.
      expect(readdirSync(join(out, 'estimates')).sort()).toEqual([
        'att.json',
        'bacon.json',
        'did.json',
        'did_by_stage.json',
        'did_intensity.json',
        'eventstudy.json',
        'placebo.json',
        'spillover.json',
      ]);
      // a figure's path in its JSON is where the run published it
      for (const name of ['eventstudy', 'placebo']) {
        const plot = (JSON.parse(readFileSync(join(out, `estimates/${name}.json`), 'utf8')) as { plot: string }).plot;
        expect(plot).toBe(`figures/${name}.png`);
        expect(existsSync(join(out, plot))).toBe(true);
      }
      const did = JSON.parse(readFileSync(join(out, 'estimates/did.json'), 'utf8'));
      const direct = await ntl([
        'did',
        '--panel',
        join(out, 'estimation/panel.csv'),
        '--y',
        'mean_gap',
        '--treat',
        'treat',
        '--unit',
        'unit',
        '--time',
        'year',
      ]);
      expect(JSON.parse(direct.stdout).coef.treat).toBe(did.coef.treat);
      expect(did.kind).toBe('did');
    },
    LONG,
  );

  it(
    'a rerun computes nothing and rewrites identical bytes (panel and maps)',
    async () => {
      const before = [
        'panel.csv',
        'harmonisation.json',
        'panel.parquet',
        'panel.dta',
        'maps/viirs_like_2022_sum.png',
        'estimates/placebo.json',
        'figures/eventstudy.png',
      ].map((f) => readFileSync(join(out, f)));
      const r = await ntl(['run', 'pipelines/hunan-demo.yaml', '--out', out, '--quiet']);
      expect(r.stdout).toMatch(/cache: 15 reused, 0 computed/);
      [
        'panel.csv',
        'harmonisation.json',
        'panel.parquet',
        'panel.dta',
        'maps/viirs_like_2022_sum.png',
        'estimates/placebo.json',
        'figures/eventstudy.png',
      ].forEach((f, i) => expect(readFileSync(join(out, f)).equals(before[i]!)).toBe(true));
    },
    LONG,
  );
});

describe('ntl run bad input', () => {
  // A private copy of the demo project: pipelines/, data-manifests/, data/demo/.
  const root = join(tmp, 'project');
  cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
  cpSync('data-manifests/demo.yaml', join(root, 'data-manifests/demo.yaml'));
  cpSync('data/treatments', join(root, 'data/treatments'), { recursive: true });
  cpSync('data-manifests/treatments.yaml', join(root, 'data-manifests/treatments.yaml'));
  const pipeline = readFileSync('pipelines/hunan-demo.yaml', 'utf8').replace('maps: true', 'maps: false');
  const write = (name: string, text: string) => {
    const p = join(root, 'pipelines', name);
    cpSync('pipelines/hunan-demo.yaml', p);
    writeFileSync(p, text);
    return p;
  };
  const good = write('good.yaml', pipeline);
  const outDir = join(root, 'out/hunan-demo');

  it('a changed input file is an error naming the entry; previous outputs stay intact', async () => {
    expect((await ntl(['run', good, '--quiet'])).code).toBe(0);
    const before = readFileSync(join(outDir, 'panel.csv'));
    const tif = join(root, 'data/demo/viirs_like/2015_8bit_hunan.tif');
    const bytes = readFileSync(tif);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(tif, bytes);
    const r = await ntl(['run', good, '--quiet']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/viirs-like-2015: .*2015_8bit_hunan\.tif does not match its recorded sha256/);
    expect(r.stderr).toMatch(/ntl manifest add --replace/);
    expect(readFileSync(join(outDir, 'panel.csv')).equals(before)).toBe(true);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(tif, bytes);
  });

  const cases: [string, string, RegExp[]][] = [
    ['year not covered by any input', pipeline.replace('years: { from: 2012, to: 2022 }', 'years: { from: 2010, to: 2022 }'), [/bad1\.yaml line \d+/, /2010/]],
    [
      'unknown manifest entry',
      pipeline.replace('entry: hunan-counties', 'entry: hunan-counties-2020'),
      [/bad2\.yaml line \d+/, /unknown entry 'hunan-counties-2020'/],
    ],
    ['unknown key', pipeline.replace('concurrency: 2', 'concurency: 2'), [/bad3\.yaml line \d+/, /concurency/]],
    ['wrong type', pipeline.replace('concurrency: 2', 'concurrency: two'), [/bad4\.yaml line \d+/, /concurrency/]],
    [
      'inequality of a statistic not computed',
      pipeline.replace('value: mean\n  group: prefecture', 'value: median\n  group: prefecture'),
      [/bad5\.yaml line \d+/, /'median' is not in zonal\.stats/],
    ],
    [
      'exposure with both a time column and first_year',
      pipeline.replace('time: exit_year,', 'time: exit_year, first_year: 2016,'),
      [/bad6\.yaml line \d+/, /exactly one of time/],
    ],
  ];
  cases.forEach(([name, text, patterns], i) => {
    it(name, async () => {
      const p = write(`bad${i + 1}.yaml`, text);
      const r = await ntl(['run', p, '--quiet']);
      expect(r.code).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      for (const m of patterns) expect(lines[0]).toMatch(m);
    });
  });
});

describe('ntl run with a code crosswalk (boundary vintages)', () => {
  it(
    'merges re-coded units: additive statistics summed, mean recomputed, hierarchy from the new code',
    async () => {
      const root = join(tmp, 'xw');
      cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
      cpSync('data-manifests/demo.yaml', join(root, 'data-manifests/demo.yaml'));
      cpSync('data/treatments', join(root, 'data/treatments'), { recursive: true });
      cpSync('data-manifests/treatments.yaml', join(root, 'data-manifests/treatments.yaml'));
      // Synthetic change: 芙蓉区 (430102) and 天心区 (430103) merge into a new code 430199 from 2021.
      writeFileSync(join(root, 'data/xw.csv'), 'old_code,new_code,year_effective\n430102,430199,2021\n430103,430199,2021\n');
      const add = await ntl([
        'manifest',
        'add',
        join(root, 'data-manifests/demo.yaml'),
        '--file',
        join(root, 'data/xw.csv'),
        '--id',
        'xw',
        '--kind',
        'table',
        '--role',
        'crosswalk',
        '--licence',
        'test',
        '--citation',
        'synthetic',
      ]);
      expect(add.code, add.stderr).toBe(0);
      const spec = readFileSync('pipelines/hunan-demo.yaml', 'utf8')
        .replace('maps: true', 'maps: false')
        .replace('calibrate: []', 'calibrate: []\nhierarchy: { crosswalk: xw, target_vintage: 2021 }')
        .replace('stats: [count, sum, mean, max, lit_count, lit_share, area_km2]', 'stats: [count, sum, mean]')
        .replace(/\n {2}intensity: lit_share.*/, ''); // intensity needs lit_share, which this run does not compute
      cpSync('pipelines/hunan-demo.yaml', join(root, 'pipelines/xw.yaml'));
      writeFileSync(join(root, 'pipelines/xw.yaml'), spec);
      const plain = join(root, 'plain.yaml');
      writeFileSync(
        plain,
        spec
          .replace('hierarchy: { crosswalk: xw, target_vintage: 2021 }', '')
          .replaceAll('../data-manifests', 'data-manifests')
          .replace('../out/', 'out-plain/'),
      );
      const r1 = await ntl(['run', join(root, 'pipelines/xw.yaml'), '--quiet']);
      expect(r1.code, r1.stderr).toBe(0);
      const r2 = await ntl(['run', plain, '--quiet']);
      expect(r2.code, r2.stderr).toBe(0);
      const merged = parseCsv(readFileSync(join(root, 'out/hunan-demo/panel.csv'), 'utf8'));
      const orig = parseCsv(readFileSync(join(root, 'out-plain/hunan-demo/panel.csv'), 'utf8'));
      const pick = (t: typeof merged, id: string) => t.rows.filter((r) => r[0] === id && r[4] === '2022' && r[5] === 'viirs_like')[0]!;
      expect(merged.rows.length).toBe(orig.rows.length - 15 - 11); // one unit fewer: 11 + 4 years, and 11 harmonised (fitted after the crosswalk)
      expect(merged.rows.some((r) => r[0] === '430102')).toBe(false);
      const m = pick(merged, '430199');
      const a = pick(orig, '430102');
      const b = pick(orig, '430103');
      expect(Number(m[7])).toBeCloseTo(Number(a[7]) + Number(b[7]), 9);
      expect(Number(m[6])).toBeCloseTo(Number(a[6]) + Number(b[6]), 9);
      expect(Number(m[8])).toBeCloseTo((Number(a[7]) + Number(b[7])) / (Number(a[6]) + Number(b[6])), 12);
      expect([m[2], m[3]]).toEqual(['430100', '430000']);
    },
    LONG,
  );
});
