/**
 * `calibrate:` steps that read other rasters, the whole grid or every year, inside a pipeline: the panel equals
 * `ntl calibrate` (each step checked against numpy / the worked cases in other tests) → `ntl zonal`, a rerun
 * reuses the written rasters and gives identical bytes, and the continuity rule matches the rule of
 * Liu et al. 2012 written out per pixel here. Rasters: the real Hunan DMSP-like 2018 clip and deterministic
 * variants of it on the same grid (a second satellite, a VIIRS-like radiance with negatives, NDVI, three years).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeGeoTiff } from '../../src/raster/index.js';
import { readWhole } from '../../src/calibrate/whole.js';
import { parseCsv, runCli as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Tests that run several commands or whole pipelines take 20–35 s on two busy cores: at least three times that. */
const LONG = 120_000;

const tmp = tempDir('pcalw');
const root = join(tmp, 'project');
const dn2018 = 'data/demo/dmsp_like/DMSP-like2018_hunan.tif';
const ZONES = ['--zones', 'data/demo/hunan_counties.geojson', '--id', 'Code_County'];

interface Entry {
  id: string;
  file: string;
  sensor: string;
  year: number;
  satellite?: string;
}

async function variants(): Promise<Entry[]> {
  const src = await readWhole(dn2018);
  const { width, height, geoTransform, crs } = src.info;
  const n = width * height;
  const make = (f: (dn: number, r: number, c: number) => number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = f(src.data[i] as number, Math.floor(i / width), i % width);
    return out;
  };
  const write = async (name: string, dtype: 'uint8' | 'float32', data: Float32Array, nodata: number) => {
    const file = join(root, 'data', name);
    await writeGeoTiff(file, { width, height, dtype, geoTransform, crs, nodata }, data);
    return file;
  };
  mkdirSync(join(root, 'data'), { recursive: true });
  const entries: Entry[] = [];
  // second satellite of 2018: dimmer, some lights it alone sees / misses; 255 (no cloud-free data) on a stripe
  entries.push({
    id: 'f15-2018',
    file: await write(
      'f15_2018.tif',
      'uint8',
      make((d) => d),
      255,
    ),
    sensor: 'dmsp-ols',
    year: 2018,
    satellite: 'F15',
  });
  entries.push({
    id: 'f16-2018',
    file: await write(
      'f16_2018.tif',
      'uint8',
      make((d, r, c) => (r % 97 === 3 ? 255 : (r * 7 + c) % 13 === 0 ? 0 : Math.min(63, Math.round(d * 0.9 + ((r + c) % 3))))),
      255,
    ),
    sensor: 'dmsp-ols',
    year: 2018,
    satellite: 'F16',
  });
  // VIIRS-like radiance (negatives and a few outliers) and an NDVI raster
  entries.push({
    id: 'viirs-2018',
    file: await write(
      'viirs_2018.tif',
      'float32',
      make((d, r, c) => d * 0.7 - 0.4 + ((r * 31 + c * 17) % 11) / 10 + ((r * c) % 997 === 5 ? 900 : 0)),
      NaN,
    ),
    sensor: 'viirs-vnl',
    year: 2018,
  });
  entries.push({
    id: 'ndvi-2018',
    file: await write(
      'ndvi_2018.tif',
      'float32',
      make((_d, r, c) => -0.2 + ((r * 13 + c * 7) % 100) / 90),
      NaN,
    ),
    sensor: 'other',
    year: 2018,
  });
  // three years on one grid for the continuity rule: 2019 dims some pixels and darkens others, 2020 darkens more
  entries.push({
    id: 'dn-2019',
    file: await write(
      'dn_2019.tif',
      'uint8',
      make((d, r, c) => ((r + 2 * c) % 9 === 0 ? Math.max(0, d - 5) : (r * 3 + c) % 17 === 0 ? 0 : d)),
      255,
    ),
    sensor: 'dmsp-ols',
    year: 2019,
    satellite: 'F18',
  });
  entries.push({
    id: 'dn-2020',
    file: await write(
      'dn_2020.tif',
      'uint8',
      make((d, r, c) => ((r + c) % 7 === 0 ? 0 : Math.min(63, d + 1))),
      255,
    ),
    sensor: 'dmsp-ols',
    year: 2020,
    satellite: 'F18',
  });
  // VIIRS-like radiance on a 500 m grid nested in the 1 km DMSP grid: DN = 3.2·x^0.62 exactly (x = 0 where DN = 0)
  const fineW = width * 2,
    fineH = height * 2;
  const fine = (scale: number) => {
    const out = new Float32Array(fineW * fineH);
    for (let r = 0; r < fineH; r++)
      for (let c = 0; c < fineW; c++) {
        const d = src.data[(r >> 1) * width + (c >> 1)] as number;
        out[r * fineW + c] = d > 0 ? scale * (d / 3.2) ** (1 / 0.62) : 0;
      }
    return out;
  };
  const fineGt = [geoTransform[0], geoTransform[1] / 2, 0, geoTransform[3], 0, geoTransform[5] / 2] as const;
  for (const [year, scale] of [
    [2018, 1],
    [2019, 1.1],
  ] as const) {
    const f = join(root, 'data', `viirs500_${year}.tif`);
    await writeGeoTiff(f, { width: fineW, height: fineH, dtype: 'float32', geoTransform: [...fineGt], crs, nodata: NaN }, fine(scale));
    entries.push({ id: `viirs500-${year}`, file: f, sensor: 'viirs-vnl', year });
  }
  const shifted = join(root, 'data', 'viirs500_shifted_2018.tif');
  await writeGeoTiff(
    shifted,
    { width: fineW, height: fineH, dtype: 'float32', geoTransform: [fineGt[0] + 125, fineGt[1], 0, fineGt[3], 0, fineGt[5]], crs, nodata: NaN },
    fine(1),
  );
  entries.push({ id: 'viirs-shifted-2018', file: shifted, sensor: 'viirs-vnl', year: 2018 });
  return entries;
}

function manifest(entries: readonly Entry[]): string {
  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const demo = readFileSync('data-manifests/demo.yaml', 'utf8');
  const counties = demo.slice(demo.indexOf('  - id: hunan-counties'), demo.indexOf('  - id: viirs-like-2012'));
  const lines = entries.map(
    (e) =>
      `  - { id: ${e.id}, sensor: ${e.sensor}, year: ${e.year}${e.satellite ? `, satellite: ${e.satellite}` : ''}, path: ../data/${e.file.split('/').pop()}, size: ${statSync(e.file).size}, sha256: ${sha(e.file)}, licence: test data, citation: derived from the Wu et al. DMSP-like 2018 Hunan clip }`,
  );
  return `manifest: 1\nname: synthetic\nentries:\n${counties.replace('../data/demo/hunan_counties.geojson', '../data/demo/hunan_counties.geojson')}${lines.join('\n')}\n`;
}

function spec(name: string, series: string, calibrate: string, years = '[2018]'): string {
  return `pipeline: 1
name: ${name}
manifests: [../data-manifests/synthetic.yaml]
boundaries: { entry: hunan-counties }
series:
${series}
years: ${years}
zonal: { stats: [count, sum, mean, max], nodata_as_zero: true }
calibrate:
${calibrate}
outputs: { dir: ../out/${name}, formats: [csv] }
`;
}

/** Panel rows of one source as id → [count, sum, mean, max]. */
function panelOf(name: string, source: string, year = '2018'): Map<string, number[]> {
  const p = parseCsv(readFileSync(join(root, `out/${name}/panel.csv`), 'utf8'));
  const col = (c: string) => p.header.indexOf(c);
  return new Map(
    p.rows
      .filter((r) => r[col('source')] === source && r[col('year')] === year)
      .map((r) => [r[0]!, ['count', 'sum', 'mean', 'max'].map((c) => Number(r[col(c)]))]),
  );
}

async function zonalOf(raster: string): Promise<Map<string, number[]>> {
  const z = await ntl(['zonal', '--raster', raster, ...ZONES, '--stats', 'count,sum,mean,max', '--nodata-as-zero']);
  expect(z.code, z.stderr).toBe(0);
  return new Map(parseCsv(z.stdout).rows.map((r) => [r[0]!, r.slice(1).map(Number)]));
}

/** saturated_share of one source as id → value (null when empty). */
function saturatedOf(name: string, source: string): Map<string, number | null> {
  const p = parseCsv(readFileSync(join(root, `out/${name}/panel.csv`), 'utf8'));
  const col = (c: string) => p.header.indexOf(c);
  expect(col('saturated_share')).toBeGreaterThan(0);
  return new Map(
    p.rows.filter((r) => r[col('source')] === source).map((r) => [r[0]!, r[col('saturated_share')] === '' ? null : Number(r[col('saturated_share')])]),
  );
}

async function litShareAbove62(raster: string): Promise<Map<string, number>> {
  const z = await ntl(['zonal', '--raster', raster, ...ZONES, '--stats', 'lit_share', '--lit-threshold', '62.5', '--nodata-as-zero']);
  expect(z.code, z.stderr).toBe(0);
  return new Map(parseCsv(z.stdout).rows.map((r) => [r[0]!, Number(r[1])]));
}

function expectSame(got: Map<string, number[]>, want: Map<string, number[]>): void {
  expect(got.size).toBe(122);
  for (const [id, w] of want) {
    const g = got.get(id)!;
    w.forEach((v, k) => expect(Math.abs(g[k]! - v), `${id} stat ${k}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
  }
}

async function run(name: string, yaml: string) {
  writeFileSync(join(root, `pipelines/${name}.yaml`), yaml);
  return ntl(['run', join(root, `pipelines/${name}.yaml`), '--quiet']);
}

/** A copy of the demo data and manifest in `tmp/name` with one pipeline file; returns the project folder. */
function demoProject(name: string, pipeline: string, yaml: string): string {
  const project = join(tmp, name);
  cpSync('data/demo', join(project, 'data/demo'), { recursive: true });
  cpSync('data-manifests/demo.yaml', join(project, 'data-manifests/demo.yaml'));
  mkdirSync(join(project, 'pipelines'));
  writeFileSync(join(project, 'pipelines', pipeline), yaml);
  return project;
}

/** Same numbers cell by cell (NaN equal to NaN). */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
}

let entries: Entry[] = [];
const file = (id: string) => entries.find((e) => e.id === id)!.file;

beforeAll(async () => {
  mkdirSync(join(root, 'pipelines'), { recursive: true });
  mkdirSync(join(root, 'data-manifests'), { recursive: true });
  cpSync('data/demo/hunan_counties.geojson', join(root, 'data/demo/hunan_counties.geojson'));
  entries = await variants();
  writeFileSync(join(root, 'data-manifests/synthetic.yaml'), manifest(entries));
}, 150_000); // writes 9 rasters (≈40 s on two busy cores)

describe('pipeline calibrate: steps written to calibrated rasters first', () => {
  it(
    'SEAM then Pareto equals ntl calibrate seam --pareto → ntl zonal; a rerun reuses the rasters, same bytes',
    async () => {
      const yaml = spec('seam', '  - { name: dmsp, entries: [f15-2018] }', '  - { step: seam, window: 5 }\n  - { step: pareto, lower: 50, alpha: 1.4 }');
      const r = await run('seam', yaml);
      expect(r.code, r.stderr).toBe(0);
      const out = join(tmp, 'seam.tif');
      const c = await ntl([
        'calibrate',
        'seam',
        '--input',
        file('f15-2018'),
        '--seam-window',
        '5',
        '--pareto',
        '--pareto-lower',
        '50',
        '--pareto-alpha',
        '1.4',
        '--out',
        out,
      ]);
      expect(c.code, c.stderr).toBe(0);
      expectSame(panelOf('seam', 'dmsp'), await zonalOf(out));
      const runJson = JSON.parse(readFileSync(join(root, 'out/seam/run.json'), 'utf8')) as {
        calibration: { seam: { plpCount: number }; pareto: unknown; cached: boolean; steps: { step: string }[] }[];
      };
      expect(runJson.calibration).toHaveLength(1);
      expect(runJson.calibration[0]!.steps.map((s) => s.step)).toEqual(['seam', 'pareto']);
      expect(runJson.calibration[0]!.seam.plpCount).toBeGreaterThan(100);
      expect(runJson.calibration[0]!.cached).toBe(false);
      const panel1 = readFileSync(join(root, 'out/seam/panel.csv'));
      const r2 = await run('seam', yaml);
      expect(r2.code, r2.stderr).toBe(0);
      expect(readFileSync(join(root, 'out/seam/panel.csv')).equals(panel1)).toBe(true);
      const again = JSON.parse(readFileSync(join(root, 'out/seam/run.json'), 'utf8')) as { calibration: { cached: boolean }[] };
      expect(again.calibration[0]!.cached).toBe(true);
      // two shards and a merge (fresh output folder) give the same panel
      const sharded = yaml.replace('dir: ../out/seam', 'dir: ../out/seam-sharded');
      writeFileSync(join(root, 'pipelines/seam-sharded.yaml'), sharded);
      for (const k of [1, 2]) {
        const sh = await ntl(['run', join(root, 'pipelines/seam-sharded.yaml'), '--shard', `${k}/2`, '--band-rows', '256', '--quiet']);
        expect(sh.code, sh.stderr).toBe(0);
      }
      const m = await ntl(['merge', join(root, 'pipelines/seam-sharded.yaml'), '--band-rows', '256', '--quiet']);
      expect(m.code, m.stderr).toBe(0);
      writeFileSync(join(root, 'pipelines/seam-one.yaml'), yaml.replace('dir: ../out/seam', 'dir: ../out/seam-one'));
      const one = await ntl(['run', join(root, 'pipelines/seam-one.yaml'), '--band-rows', '256', '--quiet']);
      expect(one.code, one.stderr).toBe(0);
      expect(readFileSync(join(root, 'out/seam-sharded/panel.csv')).equals(readFileSync(join(root, 'out/seam-one/panel.csv')))).toBe(true);
    },
    LONG,
  );

  it(
    'two satellites of a year (duplicates: composite) inter-calibrated and combined: equals ntl calibrate composite',
    async () => {
      const r = await run(
        'comp',
        spec(
          'comp',
          '  - { name: dmsp, entries: [f15-2018, f16-2018], duplicates: composite }',
          '  - { step: intercalibrate, table: elvidge2009, year: 2007 }\n  - { step: composite, rule: liu }',
        ),
      );
      expect(r.code, r.stderr).toBe(0);
      const out = join(tmp, 'comp.tif');
      const c = await ntl([
        'calibrate',
        'composite',
        '--input',
        file('f15-2018'),
        '--satellite',
        'F15',
        '--year',
        '2007',
        '--table',
        'elvidge2009',
        '--with',
        file('f16-2018'),
        '--with-satellite',
        'F16',
        '--out',
        out,
      ]);
      expect(c.code, c.stderr).toBe(0);
      const got = panelOf('comp', 'dmsp');
      expectSame(got, await zonalOf(out));
      // saturated_share: the mean of the two raw images' shares of DN ≥ 63 (raw, before inter-calibration)
      const [s15, s16] = [await litShareAbove62(file('f15-2018')), await litShareAbove62(file('f16-2018'))];
      let saturatedSomewhere = 0;
      for (const [id, v] of saturatedOf('comp', 'dmsp')) {
        const want = (s15.get(id)! + s16.get(id)!) / 2;
        expect(Math.abs(v! - want), id).toBeLessThanOrEqual(1e-12);
        if (want > 0) saturatedSomewhere++;
      }
      expect(saturatedSomewhere).toBeGreaterThan(5);
      // not the statistic-level mean of the two images, and not either image alone
      const alone = await zonalOf(file('f15-2018'));
      expect([...got].some(([id, v]) => Math.abs(v[1]! - alone.get(id)![1]!) > 1)).toBe(true);
    },
    LONG,
  );

  it(
    'VIIRS denoised with a DMSP mask from a calibration-only series, and VANUI with an NDVI series',
    async () => {
      const series = `  - { name: viirs, entries: [viirs-2018] }
  - { name: dmsp, entries: [f15-2018] }
  - { name: ndvi, entries: [ndvi-2018], role: calibration }`;
      const r = await run(
        'mask',
        spec(
          'mask',
          series,
          '  - { step: viirs_denoise, series: viirs, dmsp_mask: dmsp, cap: 300 }\n  - { step: vanui, series: dmsp, ndvi: ndvi, ntl_max: 63 }',
        ),
      );
      expect(r.code, r.stderr).toBe(0);
      const v = join(tmp, 'mask_viirs.tif'),
        d = join(tmp, 'mask_dmsp.tif');
      expect((await ntl(['calibrate', 'denoise', '--input', file('viirs-2018'), '--dmsp-mask', file('f15-2018'), '--cap', '300', '--out', v])).code).toBe(0);
      expect((await ntl(['calibrate', 'vanui', '--input', file('f15-2018'), '--ndvi', file('ndvi-2018'), '--ntl-max', '63', '--out', d])).code).toBe(0);
      expectSame(panelOf('mask', 'viirs'), await zonalOf(v));
      expectSame(panelOf('mask', 'dmsp'), await zonalOf(d));
      const p = parseCsv(readFileSync(join(root, 'out/mask/panel.csv'), 'utf8'));
      expect(new Set(p.rows.map((row) => row[p.header.indexOf('source')]))).toEqual(new Set(['viirs', 'dmsp'])); // no ndvi rows
      const runJson = JSON.parse(readFileSync(join(root, 'out/mask/run.json'), 'utf8')) as {
        calibration: { aux: Record<string, string>; viirs?: { negatives: number } }[];
      };
      expect(runJson.calibration.map((c) => c.aux)).toEqual([{ dmsp_mask: 'f15-2018' }, { ndvi: 'ndvi-2018' }]);
      expect(runJson.calibration[0]!.viirs!.negatives).toBeGreaterThan(0);
      // DMSP-OLS rows carry saturated_share from the raw DN (VANUI does not change it); VIIRS rows leave it empty
      const s15 = await litShareAbove62(file('f15-2018'));
      for (const [id, v] of saturatedOf('mask', 'dmsp')) expect(Math.abs(v! - s15.get(id)!), id).toBeLessThanOrEqual(1e-12);
      expect([...saturatedOf('mask', 'viirs').values()].every((v) => v === null)).toBe(true);
    },
    LONG,
  );

  it(
    'the continuity rule over three years equals the rule of Liu et al. 2012 per pixel (sequential and original)',
    async () => {
      for (const variant of ['sequential', 'original'] as const) {
        const name = `cont-${variant}`;
        const r = await run(
          name,
          spec(name, '  - { name: dmsp, entries: [f15-2018, dn-2019, dn-2020] }', `  - { step: continuity, variant: ${variant} }`, '{ from: 2018, to: 2020 }'),
        );
        expect(r.code, r.stderr).toBe(0);
        const years = await Promise.all(['f15-2018', 'dn-2019', 'dn-2020'].map(async (id) => (await readWhole(file(id))).data));
        // DN(n) = 0 if DN(n+1) = 0; = prev if DN(n+1) > 0 and prev > DN(n); else DN(n) — the middle year only here
        const expected = new Float32Array(years[1]!.length);
        for (let i = 0; i < expected.length; i++) {
          const prev = years[0]![i]!,
            cur = years[1]![i]!,
            next = years[2]![i]!;
          expected[i] = next === 0 ? 0 : prev > cur ? prev : cur; // with three years both variants see the raw 2018
        }
        const runJson = JSON.parse(readFileSync(join(root, `out/${name}/run.json`), 'utf8')) as {
          calibration: { year: number; file: string; continuity: { zeroed: number; raised: number } }[];
        };
        const mid = runJson.calibration.find((c) => c.year === 2019)!;
        const got = await readWhole(join(root, `out/${name}`, mid.file));
        let changed = 0,
          mismatched = 0;
        for (let i = 0; i < expected.length; i++) {
          if (got.data[i] !== expected[i]) mismatched++;
          if (expected[i] !== years[1]![i]) changed++;
        }
        expect(mismatched).toBe(0);
        expect(changed).toBe(mid.continuity.zeroed + mid.continuity.raised);
        expect(changed).toBeGreaterThan(1000);
        const edge = await readWhole(join(root, `out/${name}`, runJson.calibration.find((c) => c.year === 2018)!.file));
        expect(sameValues(edge.data, years[0]!)).toBe(true); // first year unchanged
        // ntl calibrate continuity writes the same rasters
        const dir = join(tmp, name);
        const c = await ntl([
          'calibrate',
          'continuity',
          '--variant',
          variant,
          `2020=${file('dn-2020')}`,
          `2018=${file('f15-2018')}`,
          `2019=${file('dn-2019')}`,
          '--out',
          dir,
        ]);
        expect(c.code, c.stderr).toBe(0);
        expect(c.stderr).toContain(`continuity 2019: ${mid.continuity.zeroed} pixels set to 0`);
        expect(sameValues((await readWhole(join(dir, '2019.tif'))).data, got.data)).toBe(true);
      }
    },
    LONG,
  );

  it('continuity over grids that shift between years is one clear error, and nothing is published', async () => {
    const project = demoProject(
      'demo-project',
      'c.yaml',
      `pipeline: 1
name: c
manifests: [../data-manifests/demo.yaml]
boundaries: { entry: hunan-counties }
series: [{ name: dmsp_like, select: { sensor: harmonized, product: wu2021-dmsp-like } }]
years: { from: 2018, to: 2021 }
zonal: { stats: [sum] }
calibrate: [{ step: continuity }]
outputs: { dir: ../out/c, formats: [csv] }
`,
    );
    const r = await ntl(['run', join(project, 'pipelines/c.yaml'), '--quiet']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /DMSP-like2020_hunan\.tif \(continuity year 3\) vs .*DMSP-like2018_hunan\.tif: the grids are shifted by .*≈ 144 m east-west, 334 m north-south/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(project, 'out/c/panel.csv'))).toBe(false);
    expect(readdirSync(join(project, 'out/c/.cache/calibrated')).filter((f) => f.endsWith('.tif'))).toEqual([]);
  });

  it('a calibration-only series that no step reads is a warning', async () => {
    const r = await run(
      'unread',
      spec('unread', '  - { name: dmsp, entries: [f15-2018] }\n  - { name: ndvi, entries: [ndvi-2018], role: calibration }', '  []'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: series ndvi has role: calibration but no calibrate step reads it/);
  });

  it('bad calibrate entries name the entry and what to write', async () => {
    const cases: [string, string, RegExp, string?][] = [
      ['  - { name: dmsp, entries: [f15-2018] }', '  - { step: vanui }', /calibrate entry 1 \(step vanui\): needs ndvi: <series>/],
      ['  - { name: dmsp, entries: [f15-2018] }', '  - { step: vanui, ndvi: greenness }', /ndvi: 'greenness' is not a series of this pipeline \(dmsp\)/],
      [
        '  - { name: dmsp, entries: [f15-2018] }\n  - { name: ndvi, entries: [ndvi-2018], role: calibration }',
        '  - { step: vanui, ndvi: ndvi, ntl_max: -1 }',
        /ntl_max/,
      ],
      [
        '  - { name: dmsp, entries: [f15-2018, dn-2019] }\n  - { name: ndvi, entries: [ndvi-2018], role: calibration }',
        '  - { step: vanui, ndvi: ndvi }',
        /ndvi: series ndvi has no raster for 2019 \(it covers 2018\)/,
        '{ from: 2018, to: 2019 }',
      ],
      ['  - { name: dmsp, entries: [f15-2018] }', '  - { step: composite }', /series dmsp has one image for 2018; .*set duplicates: composite/],
      [
        '  - { name: dmsp, entries: [f15-2018, f16-2018], duplicates: composite }',
        '  - { step: seam }',
        /combines two satellites for 2018 \(duplicates: composite\) but no calibrate step \{ step: composite \}/,
      ],
      ['  - { name: dmsp, entries: [f15-2018], role: calibration }', '  []', /at least one must be a panel series/],
      [
        '  - { name: dmsp, entries: [f15-2018] }',
        '  - { step: seam, series: dmps }',
        /calibrate entry 1 \(step seam\): series "dmps" is not a series of this pipeline; panel series: dmsp/,
      ],
      [
        '  - { name: dmsp, entries: [f15-2018] }\n  - { name: ndvi, entries: [ndvi-2018], role: calibration }',
        '  - { step: seam, series: ndvi }',
        /series "ndvi" has role: calibration \(it is only read by other steps/,
      ],
      [
        '  - { name: dmsp, entries: [f15-2018, f16-2018, dn-2019, dn-2020], duplicates: mean }',
        '  - { step: continuity }',
        /series dmsp: the continuity rule needs one image per year, but 2018 has 2 \(duplicates: mean\)/,
        '{ from: 2018, to: 2020 }',
      ],
    ];
    for (const [k, [series, cal, msg, years]] of cases.entries()) {
      const r = await run(`bad${k}`, spec(`bad${k}`, series, cal, years));
      expect(r.code, `case ${k}`).not.toBe(0);
      expect(r.stderr, `case ${k}`).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it(
    'pixel-level harmonisation recovers a known power law, equals ntl calibrate harmonise / harmonise --apply, and emits every statistic',
    async () => {
      const series = '  - { name: viirs, entries: [viirs500-2018, viirs500-2019] }\n  - { name: dmsp, entries: [f15-2018] }';
      const yaml = spec('pix', series, '  []', '{ from: 2018, to: 2019 }').replace(
        'outputs:',
        'harmonise: { from: viirs, to: dmsp, level: pixel, model: power, name: dmsp_scale }\noutputs:',
      );
      const r = await run('pix', yaml);
      expect(r.code, r.stderr).toBe(0);
      const rec = JSON.parse(readFileSync(join(root, 'out/pix/harmonisation.json'), 'utf8')) as {
        parameters: { a: number; b: number };
        overlap_years: number[];
        n_pairs: number;
        r2: number;
      };
      expect(rec.overlap_years).toEqual([2018]);
      expect(rec.parameters.a).toBeCloseTo(3.2, 4);
      expect(rec.parameters.b).toBeCloseTo(0.62, 5);
      expect(rec.r2).toBeGreaterThan(0.999999);
      const fit = join(tmp, 'pix-fit.json');
      const c = await ntl(['calibrate', 'harmonise', '--model', 'power', '--dmsp', file('f15-2018'), '--viirs', file('viirs500-2018'), '--out', fit]);
      expect(c.code, c.stderr).toBe(0);
      const cli = JSON.parse(readFileSync(fit, 'utf8')) as { params: { a: number; b: number }; n: number };
      expect(rec.parameters).toEqual(cli.params);
      expect(rec.n_pairs).toBe(cli.n);
      for (const year of ['2018', '2019']) {
        const out = join(tmp, `pix-${year}.tif`);
        const d = await ntl(['calibrate', 'harmonise', '--apply', fit, '--input', file(`viirs500-${year}`), '--out', out]);
        expect(d.code, d.stderr).toBe(0);
        expectSame(panelOf('pix', 'dmsp_scale', year), await zonalOf(out));
      }
      // 2018 in DMSP scale reproduces the DMSP county means (the relation is exact up to float32 rounding; sums are
      // not comparable: the 500 m grid has four cells per DMSP cell)
      const back = panelOf('pix', 'dmsp_scale'),
        dmsp = panelOf('pix', 'dmsp');
      for (const [id, v] of dmsp) expect(Math.abs(back.get(id)![2]! - v[2]!), id).toBeLessThanOrEqual(1e-4 * Math.max(1, v[2]!));
    },
    LONG,
  );

  it('pixel-level harmonisation: grids that do not nest, and a stat given, are one clear error each', async () => {
    const series = '  - { name: viirs, entries: [viirs-shifted-2018] }\n  - { name: dmsp, entries: [f15-2018] }';
    const section = 'harmonise: { from: viirs, to: dmsp, level: pixel, model: power, name: x }\noutputs:';
    const r = await run('pixbad', spec('pixbad', series, '  []').replace('outputs:', section));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /pixbad\.yaml line \d+: harmonise 2018: .*viirs500_shifted_2018\.tif onto .*f15_2018\.tif: the grids do not nest \(coarse\/fine pixel ratio 2\.00000 × 2\.00000, origin offset -0\.250, 0\.000 fine pixels\); resample/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const r2 = await run('pixbad2', spec('pixbad2', series, '  []').replace('outputs:', section.replace('name: x', 'name: x, stat: sum')));
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/harmonise\.stat.*pixel-level harmonisation fits pixels and emits every statistic; remove stat/);
  });

  it('dark cells stored as no-data (VIIRS-like 8-bit, no-data 0): SEAM warns and corrects nothing, unless read as dark', async () => {
    const raster = 'data/demo/viirs_like/2016_8bit_hunan.tif';
    const plain = await ntl(['calibrate', 'seam', '--input', raster, '--out', join(tmp, 'vl-seam0.tif')]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/warning: SEAM found no pseudo-light pixel .*--nodata-as-zero/);
    const zero = await ntl(['calibrate', 'seam', '--input', raster, '--nodata-as-zero', '--out', join(tmp, 'vl-seam.tif')]);
    expect(zero.code, zero.stderr).toBe(0);
    const plp = Number(/SEAM: (\d+) pseudo-light pixels/.exec(zero.stderr)![1]);
    expect(plp).toBeGreaterThan(1000);
    // the pipeline reads no-data as dark for written steps when zonal.nodata_as_zero is set
    const project = demoProject(
      'demo-seam',
      's.yaml',
      `pipeline: 1
name: s
manifests: [../data-manifests/demo.yaml]
boundaries: { entry: hunan-counties }
series: [{ name: viirs_like, select: { sensor: harmonized, product: chen2021-npp-viirs-like-8bit, years: [2016] } }]
years: [2016]
zonal: { stats: [count, sum, mean, max], nodata_as_zero: true }
calibrate: [{ step: seam }]
outputs: { dir: ../out/s, formats: [csv] }
`,
    );
    const r = await ntl(['run', join(project, 'pipelines/s.yaml'), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const p = parseCsv(readFileSync(join(project, 'out/s/panel.csv'), 'utf8'));
    const got = new Map(p.rows.map((row) => [row[0]!, ['count', 'sum', 'mean', 'max'].map((c) => Number(row[p.header.indexOf(c)]))]));
    expectSame(got, await zonalOf(join(tmp, 'vl-seam.tif')));
    const runJson = JSON.parse(readFileSync(join(project, 'out/s/run.json'), 'utf8')) as { calibration: { seam: { plpCount: number } }[] };
    expect(runJson.calibration[0]!.seam.plpCount).toBe(plp);
  });
});
