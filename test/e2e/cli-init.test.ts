/**
 * `ntl init` then `ntl run` on data that is not the demo (test/helpers/own-data.ts: three small GeoTIFFs
 * lights_2015…2017.tif and a GeoJSON of three units with non-ASCII names), as a newcomer types it: from the
 * project folder, relative paths, default file names. The panel is checked against a hand computation.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv, runCli } from '../helpers/cli.js';
import { OWN_UNITS, OWN_YEARS, ownStats, writeOwnData, ZONES_FILE } from '../helpers/own-data.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('init');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const home = process.cwd();
let dir: string;

beforeEach(async () => {
  dir = join(tmp, `Projekt ${++n} 省`);
  await writeOwnData(dir);
  process.chdir(dir); // vitest pool: forks — each test file has its own process
});
afterEach(() => process.chdir(home));

const INIT = ['init', '--zones', `gis/${ZONES_FILE}`, '--id', 'code', '--rasters', 'rasters/*.tif'];

describe('ntl init → ntl run on own data', () => {
  it('writes a manifest and a commented pipeline, and the run gives the hand-computed panel', async () => {
    const init = await runCli([...INIT, '--name-field', 'Name_Unit']);
    expect(init.stderr.match(/^ntl: warning:/gm)).toHaveLength(1);
    expect(init.stderr).toMatch(/no licence\/citation recorded for zones, lights-2015, lights-2016, lights-2017 in data-manifests\/mine\.yaml/);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/wrote data-manifests\/mine\.yaml: 4 entries \(3 units in the boundaries; rasters for 3 year\(s\), 2015–2017\)/);
    expect(init.stdout).toMatch(/\nnext: {2}npx ntl run pipelines\/mine\.yaml\n$/);

    const manifest = readFileSync('data-manifests/mine.yaml', 'utf8');
    expect(manifest).toContain(`path: ../gis/${ZONES_FILE}`);
    expect(manifest).toMatch(/- id: lights-2015\n {4}sensor: other\n {4}year: 2015\n {4}path: \.\.\/rasters\/lights_2015\.tif/);
    expect(manifest).not.toContain(dir); // no absolute machine paths
    const pipeline = readFileSync('pipelines/mine.yaml', 'utf8');
    expect(pipeline).toContain('manifests: [../data-manifests/mine.yaml]');
    expect(pipeline).toContain('years: { from: 2015, to: 2017 }');
    expect(pipeline).toContain('stats: [count, sum, mean]');
    expect(pipeline).toContain('dir: ../out/mine');
    for (const hint of ['# calibrate:', '# gap:', '# inequality:', '# estimate:', '# maps: true', '# duplicates:', '# parent:'])
      expect(pipeline).toContain(hint);
    expect(pipeline).not.toContain(dir);

    const verify = await runCli(['manifest', 'verify', 'data-manifests/mine.yaml']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/4 file\(s\) in 4 entries: 4 ok — all verified\n {2}note: 4 entries have no licence\/citation/);

    const run = await runCli(['run', 'pipelines/mine.yaml', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const { header, rows } = parseCsv(readFileSync('out/mine/panel.csv', 'utf8'));
    const col = (name: string): number => header.indexOf(name);
    expect(header).toEqual(expect.arrayContaining(['unit_id', 'unit_name', 'year', 'source', 'count', 'sum', 'mean']));
    expect(rows).toHaveLength(Object.keys(OWN_UNITS).length * OWN_YEARS.length);
    for (const row of rows) {
      const id = row[col('unit_id')]!;
      const year = Number(row[col('year')]);
      const want = ownStats(id, year);
      expect(row[col('unit_name')]).toBe(OWN_UNITS[id]!.name);
      expect(row[col('source')]).toBe('lights');
      expect(Number(row[col('count')])).toBeCloseTo(want.count, 9);
      expect(Number(row[col('sum')])).toBeCloseTo(want.sum, 9);
      expect(Number(row[col('mean')])).toBeCloseTo(want.mean, 9);
    }
    // the triangle: one whole cell and two half cells (hand computation, not the code under test)
    const c3 = rows.find((r) => r[col('unit_id')] === 'C3' && r[col('year')] === '2015')!;
    expect(Number(c3[col('count')])).toBeCloseTo(2, 9);
    expect(Number(c3[col('sum')])).toBeCloseTo(19 + 0.5 * 13 + 0.5 * 20, 9);
  });

  it('non-contiguous years become a stepped range; --name, --outputs-dir and --sensor/--product are used', async () => {
    rmSync('rasters/lights_2016.tif');
    await writeOwnData('.', [2019]);
    const init = await runCli([...INIT, '--name', 'prov', '--outputs-dir', 'results/prov', '--sensor', 'viirs-vnl', '--product', 'avg rad']);
    expect(init.code, init.stderr).toBe(0);
    const pipeline = readFileSync('pipelines/prov.yaml', 'utf8');
    expect(pipeline).toContain('years: { from: 2015, to: 2019, step: 2 }');
    expect(pipeline).toContain('select: { sensor: viirs-vnl, product: "avg rad" }');
    expect(pipeline).toContain('dir: ../results/prov');
    expect(readFileSync('data-manifests/prov.yaml', 'utf8')).toContain('product: avg rad');
    const run = await runCli(['run', 'pipelines/prov.yaml', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(parseCsv(readFileSync('results/prov/panel.csv', 'utf8')).rows).toHaveLength(9);
  });
});

describe('ntl init refuses bad input with one error and writes nothing', () => {
  it('an id field the boundary file does not have: lists the fields', async () => {
    const r = await runCli(['init', '--zones', `gis/${ZONES_FILE}`, '--id', 'kode', '--rasters', 'rasters/*.tif']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^ntl: error: ntl init: --zones: .*has no field "kode" for zone ids; available fields: code, Name_Unit, pop; pass one of them as --id/,
    );
    expect(existsSync('pipelines') || existsSync('data-manifests')).toBe(false);
  });

  it('existing files are kept unless --force', async () => {
    expect((await runCli(INIT)).code).toBe(0);
    writeFileSync('pipelines/mine.yaml', '# my edits\n');
    const before = readFileSync('data-manifests/mine.yaml', 'utf8');
    const r = await runCli(INIT);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ntl init: pipelines\/mine\.yaml and data-manifests\/mine\.yaml already exist; choose another --name .* or pass --force to overwrite/,
    );
    expect(readFileSync('pipelines/mine.yaml', 'utf8')).toBe('# my edits\n');
    expect(readFileSync('data-manifests/mine.yaml', 'utf8')).toBe(before);
    expect((await runCli([...INIT, '--force'])).code).toBe(0);
    expect(readFileSync('pipelines/mine.yaml', 'utf8')).toMatch(/^# Pipeline written by `ntl init`/);
  });

  it('rasters without a year, two files for one year, a pattern that matches nothing, a shell-expanded pattern', async () => {
    writeFileSync('rasters/lights_2015_v2.tif', readFileSync('rasters/lights_2015.tif'));
    writeFileSync('rasters/lights_final.tif', readFileSync('rasters/lights_2015.tif'));
    const r = await runCli(INIT);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ntl init: 2 problem\(s\) with the rasters of --rasters 'rasters\/\*\.tif', nothing was written:/);
    expect(r.stderr).toMatch(/- rasters\/lights_final\.tif: no 4-digit year \(1970–2100\) in the file name "lights_final\.tif"/);
    expect(r.stderr).toMatch(/- rasters\/lights_2015\.tif and rasters\/lights_2015_v2\.tif both have year 2015/);
    const none = await runCli(['init', '--zones', `gis/${ZONES_FILE}`, '--id', 'code', '--rasters', 'rasters/*.tiff']);
    expect(none.stderr).toMatch(/^ntl: error: ntl init: --rasters 'rasters\/\*\.tiff' matches no file in rasters\/; check the pattern/);
    const expanded = await runCli(['init', '--zones', `gis/${ZONES_FILE}`, '--id', 'code', '--rasters', 'rasters/lights_2015.tif', 'rasters/lights_2016.tif']);
    expect(expanded.stderr).toMatch(/the shell expanded the --rasters pattern into file names; put the pattern in quotes/);
    expect(existsSync('pipelines') || existsSync('data-manifests')).toBe(false);
  });

  it('a file that is not a GeoTIFF', async () => {
    writeFileSync('rasters/lights_2018.tif', 'not a tiff');
    const r = await runCli(INIT);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/- rasters\/lights_2018\.tif: cannot be read as a GeoTIFF raster: /);
    expect(existsSync('data-manifests')).toBe(false);
  });

  it('--help documents the flags and the next command', async () => {
    const r = await runCli(['init', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--zones', '--id', '--rasters', '--out', '--manifest', '--name', '--sensor', '--force']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('npx ntl run pipelines/<name>.yaml');
    expect((await runCli(['--help'])).stdout).toMatch(/^\s+init\s/m);
  });
});
