/**
 * Issue 15: no command overwrites one of its inputs. The one guard (src/safety/outputs.ts) by path, `./x` vs `x`,
 * symbolic and hard links, shapefile parts and folder outputs; and every writing command calling it (exit 1, the
 * input byte-identical). Also: --plot only .png/.svg, and --out naming a folder is a clear error (no EISDIR, no
 * "free space" advice).
 */
import { copyFileSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/output/atomic.js';
import { assertFigurePath, assertOutputsAreNotInputs } from '../../src/safety/outputs.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('guard');
const RASTER = 'data/demo/viirs_like/2012_8bit_hunan.tif';
const ZONES = 'data/demo/hunan_counties.geojson';
const PANEL = 'test/fixtures/did/balanced.csv';

function file(name: string, text = 'unit,year,y,d\n1,2000,1,0\n'): string {
  const p = join(tmp, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function guardError(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (isNtlError(e)) return e.message;
    throw e;
  }
  return '';
}

describe('assertOutputsAreNotInputs', () => {
  const a = file('g/a.csv');
  it('refuses the same path, however it is written', () => {
    expect(guardError(() => assertOutputsAreNotInputs('x', [{ flag: '--out', path: a }], [{ flag: '--panel', path: a }]))).toBe(
      `ntl x: --out ${a} is the input --panel ${a} (same file); choose another output path`,
    );
    const rel = relative(process.cwd(), a);
    const dotted = join(tmp, 'g', '.', '..', 'g', 'a.csv');
    expect(guardError(() => assertOutputsAreNotInputs('x', [{ flag: '--out', path: dotted }], [{ flag: '--panel', path: rel }]))).toMatch(/\(same file\)/);
  });

  it('refuses a symbolic link to an input, a file under a linked folder, and a hard link', () => {
    const link = join(tmp, 'g', 'link.csv');
    symlinkSync(a, link);
    expect(guardError(() => assertOutputsAreNotInputs('x', [{ flag: '--out', path: link }], [{ flag: '--panel', path: a }]))).toMatch(
      /is the input --panel .*a\.csv \(same file, through a symbolic link\)/,
    );
    symlinkSync(join(tmp, 'g'), join(tmp, 'glink'));
    expect(guardError(() => assertOutputsAreNotInputs('x', [{ flag: '--out', path: join(tmp, 'glink', 'a.csv') }], [{ flag: '--panel', path: a }]))).toMatch(
      /through a symbolic link/,
    );
    const hard = join(tmp, 'g', 'hard.csv');
    linkSync(a, hard);
    expect(guardError(() => assertOutputsAreNotInputs('x', [{ flag: '--out', path: hard }], [{ flag: '--panel', path: a }]))).toMatch(
      /\(same file: a hard link to it\)/,
    );
  });

  it('refuses the parts of a shapefile input, present or not, in either case', () => {
    const shp = file('s/zones.shp', 'x');
    file('s/zones.dbf', 'x');
    for (const part of ['zones.dbf', 'zones.shx', 'zones.prj', 'zones.cpg', 'zones.qpj', 'zones.DBF']) {
      expect(guardError(() => assertOutputsAreNotInputs('zonal', [{ flag: '--out', path: join(tmp, 's', part) }], [{ flag: '--zones', path: shp }]))).toMatch(
        new RegExp(
          `--out .*${part.replace('.', '\\.')} is part of the input shapefile --zones .*zones\\.shp \\(its \\.${part.slice(-3).toLowerCase()}\\); choose another output path`,
        ),
      );
    }
    expect(guardError(() => assertOutputsAreNotInputs('zonal', [{ flag: '--out', path: join(tmp, 's', 'zones.csv') }], [{ flag: '--zones', path: shp }]))).toBe(
      '',
    );
  });

  it('refuses two outputs that are one file, a file output that is a folder, and a folder output over an input', () => {
    expect(
      guardError(() =>
        assertOutputsAreNotInputs(
          'eventstudy',
          [
            { flag: '--out', path: join(tmp, 'r.json') },
            { flag: '--plot', path: join(tmp, '.', 'r.json') },
          ],
          [],
        ),
      ),
    ).toMatch(/--plot .*r\.json is the same file as --out .*r\.json; give them two different file names/);
    const dir = join(tmp, 'adir');
    mkdirSync(dir);
    expect(guardError(() => assertOutputsAreNotInputs('did', [{ flag: '--out', path: dir, example: 'result.json' }], []))).toBe(
      `ntl did: --out ${dir} is a folder; give a file name such as ${join(dir, 'result.json')}`,
    );
    const input = file('run/data/panel.csv');
    expect(
      guardError(() =>
        assertOutputsAreNotInputs(
          'run',
          [{ flag: 'the output folder', path: join(tmp, 'run', 'data'), folderFiles: ['run.json', 'panel.csv'] }],
          [{ flag: 'input t', path: input }],
        ),
      ),
    ).toMatch(
      /ntl run: the output folder .*data would overwrite the input input t .*panel\.csv \(same file\) with its panel\.csv; choose another output folder/,
    );
    expect(guardError(() => assertOutputsAreNotInputs('run', [{ flag: 'the output folder', path: input, folderFiles: ['x'] }], []))).toMatch(
      /is a file, not a folder/,
    );
  });

  it('skips standard output and absent inputs', () => {
    expect(
      guardError(() =>
        assertOutputsAreNotInputs(
          'zonal',
          [
            { flag: '--out', path: '-' },
            { flag: '--plot', path: undefined },
          ],
          [
            { flag: '--raster', path: '-' },
            { flag: '--zones', path: undefined },
          ],
        ),
      ),
    ).toBe('');
  });

  it('figures: .png and .svg (any case) only', () => {
    for (const ok of ['f.png', 'f.PNG', 'a/f.svg', 'f.Svg']) expect(guardError(() => assertFigurePath('eventstudy', '--plot', ok))).toBe('');
    expect(guardError(() => assertFigurePath('eventstudy', '--plot', 'out/f.gif'))).toBe(
      'ntl eventstudy: --plot out/f.gif: figures are written as PNG or SVG only (not .gif); name it out/f.png or out/f.svg',
    );
    expect(guardError(() => assertFigurePath('placebo', '--plot', 'fig'))).toMatch(/PNG or SVG only; name it fig\.png or fig\.svg/);
  });
});

describe('every writing command refuses an output that is an input (exit 1, input untouched)', () => {
  const raster = join(tmp, 'cli', 'x.tif');
  mkdirSync(join(tmp, 'cli'), { recursive: true });
  copyFileSync(RASTER, raster);
  const rasterBytes = readFileSync(raster);
  const panel = join(tmp, 'cli', 'P.csv');
  copyFileSync(PANEL, panel);
  const panelBytes = readFileSync(panel);
  const zones = join(tmp, 'cli', 'zones.geojson');
  copyFileSync(ZONES, zones);

  async function refused(args: string[], message: RegExp): Promise<void> {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(raster).equals(rasterBytes)).toBe(true);
    expect(readFileSync(panel).equals(panelBytes)).toBe(true);
  }
  const did = ['--y', 'y', '--treat', 'd', '--unit', 'unit', '--time', 'year'];

  it('zonal --out = --raster / --zones', async () => {
    await refused(
      ['zonal', '--raster', raster, '--zones', zones, '--id', 'Code_County', '--out', raster],
      new RegExp(`^ntl: error: ntl zonal: --out ${raster} is the input --raster ${raster} \\(same file\\); choose another output path$`, 'm'),
    );
    await refused(
      ['zonal', '--raster', raster, '--zones', zones, '--id', 'Code_County', '--out', join(tmp, 'cli', '.', 'zones.geojson')],
      /ntl zonal: --out .*zones\.geojson is the input --zones .*zones\.geojson \(same file\)/,
    );
  });

  it('did, eventstudy (also --plot), placebo, psm-did, spillover, bacon, att: --out = --panel', async () => {
    await refused(['did', '--panel', panel, ...did, '--out', panel], /ntl did: --out .*P\.csv is the input --panel .*P\.csv \(same file\)/);
    await refused(
      ['eventstudy', '--panel', panel, '--y', 'y', '--unit', 'unit', '--time', 'year', '--cohort', 'g', '--out', join(tmp, 'cli', 'es.json'), '--plot', panel],
      /ntl eventstudy: --plot .*P\.csv: figures are written as PNG or SVG only/,
    );
    await refused(
      [
        'eventstudy',
        '--panel',
        panel,
        '--y',
        'y',
        '--unit',
        'unit',
        '--time',
        'year',
        '--cohort',
        'g',
        '--out',
        join(tmp, 'cli', 'es.json'),
        '--plot',
        join(tmp, 'cli', 'es.gif'),
      ],
      /--plot .*es\.gif: figures are written as PNG or SVG only \(not \.gif\)/,
    );
    await refused(['placebo', '--panel', panel, ...did, '--out', panel], /ntl placebo: --out .* is the input --panel/);
    await refused(['psm-did', '--panel', panel, ...did, '--covariates', 'y', '--out', panel], /ntl psm-did: --out .* is the input --panel/);
    await refused(['spillover', '--panel', panel, ...did, '--exposure', 'd', '--out', panel], /ntl spillover: --out .* is the input --panel/);
    await refused(['bacon', '--panel', panel, ...did, '--out', panel], /ntl bacon: --out .* is the input --panel/);
    await refused(
      ['att', '--panel', panel, '--y', 'y', '--unit', 'unit', '--time', 'year', '--cohort', 'g', '--out', panel],
      /ntl att: --out .* is the input --panel/,
    );
  });

  it('the default figure next to --out is checked too: --out P.json beside an input P.png', async () => {
    const png = join(tmp, 'cli', 'es.png');
    copyFileSync(raster, png);
    const r = await runCli([
      'eventstudy',
      '--panel',
      png,
      '--y',
      'y',
      '--unit',
      'unit',
      '--time',
      'year',
      '--cohort',
      'g',
      '--out',
      join(tmp, 'cli', 'es.json'),
    ]);
    expect(r.stderr).toMatch(/ntl eventstudy: the figure \(next to --out\) .*es\.png is the input --panel .*es\.png \(same file\)/);
  });

  it('dagum (json and the three csv files), inequality, gap: --out = --panel, also through a hard link', async () => {
    await refused(['dagum', '--panel', panel, '--y', 'y', '--group', 'unit', '--out', panel], /ntl dagum: --out .*P\.csv is the input --panel/);
    const base = join(tmp, 'cli', 'P_summary.csv');
    copyFileSync(panel, base);
    await refused(
      ['dagum', '--panel', base, '--y', 'y', '--group', 'unit', '--format', 'csv', '--out', panel],
      /ntl dagum: --out .*P_summary\.csv is the input --panel .*P_summary\.csv/,
    );
    await refused(
      ['inequality', '--panel', panel, '--y', 'y', '--out', `./${relative(process.cwd(), panel)}`],
      /ntl inequality: --out \.\/.*P\.csv is the input --panel .*P\.csv \(same file\)/,
    );
    const hard = join(tmp, 'cli', 'hard.csv');
    linkSync(panel, hard);
    await refused(
      ['gap', '--panel', panel, '--y', 'y', '--time', 'year', '--out', hard],
      /ntl gap: --out .*hard\.csv is the input --panel .*P\.csv \(same file: a hard link to it\)/,
    );
  });

  it('calibrate: --out = --input, the report files, a continuity folder holding an input of the same name', async () => {
    await refused(
      ['calibrate', 'intercalibrate', '--input', raster, '--satellite', 'F12', '--year', '1999', '--out', raster],
      /ntl calibrate intercalibrate: --out .*x\.tif is the input --input .*x\.tif \(same file\)/,
    );
    await refused(['calibrate', 'denoise', '--input', raster, '--out', raster], /ntl calibrate denoise: --out .* is the input --input/);
    await refused(
      ['calibrate', 'composite', '--input', raster, '--satellite', 'F12', '--year', '1999', '--with', panel, '--with-satellite', 'F14', '--out', panel],
      /ntl calibrate composite: --out .*P\.csv is the input --with/,
    );
    await refused(
      ['calibrate', 'intercalibrate', '--seam', '--pareto', '--pareto-rank', panel, '--input', raster, '--satellite', 'F12', '--year', '1999', '--out', panel],
      /--out .*P\.csv is the input --pareto-rank/,
    );
    const y2013 = join(tmp, 'cli', '2013.tif');
    copyFileSync(raster, y2013);
    await refused(
      ['calibrate', 'continuity', '--variant', 'sequential', `2012=${raster}`, `2013=${y2013}`, '--out', join(tmp, 'cli')],
      /ntl calibrate continuity: --out .*cli would overwrite the input 2013=.*2013\.tif \(same file\) with its 2013\.tif; choose another output folder/,
    );
    const csv = join(tmp, 'cli', 'rep.csv');
    copyFileSync(panel, csv);
    await refused(
      ['calibrate', 'harmonise', '--pairs', csv, '--x', 'y', '--y', 'd', '--out', csv],
      /ntl calibrate harmonise: --out .*rep\.csv is the input --pairs/,
    );
    await refused(
      ['calibrate', 'harmonise', '--apply', csv, '--input', raster, '--out', csv],
      /ntl calibrate harmonise: --out .*rep\.csv is the input --apply/,
    );
    await refused(
      ['calibrate', 'monthly', '--input', raster, '--dates', csv, '--year', '2013', '--out', csv],
      /ntl calibrate monthly: --out .*rep\.csv is the input --dates/,
    );
    await refused(
      ['calibrate', 'fit-intercalibration', '--reference', raster, '--input', y2013, '--region', csv, '--region-id', 'x', '--out', csv],
      /ntl calibrate fit-intercalibration: --out .*rep\.csv is the input --region/,
    );
    await refused(
      ['calibrate', 'report', `2012=${csv}`, '--out', join(tmp, 'cli', 'rep')],
      /ntl calibrate report: --out .*rep\.csv is the input 2012=.*rep\.csv \(same file\)/,
    );
    // the flag-style form of earlier releases runs through its verb: the same guard, after the deprecation warning
    for (const [args, message] of [
      [['calibrate', '--viirs-denoise', '--input', raster, '--out', raster], /ntl calibrate denoise: --out .* is the input --input/],
      [['calibrate', '--dmsp-like', csv, '--input', raster, '--out', csv], /ntl calibrate harmonise: --out .*rep\.csv is the input --apply/],
    ] as const) {
      const r = await runCli([...args]);
      expect(r.code, r.stderr).toBe(1);
      const [warning, error, ...more] = r.stderr.trim().split('\n');
      expect(warning).toMatch(/^ntl: warning: flag-style `ntl calibrate --…` is deprecated.*; use: ntl calibrate (denoise|harmonise) /);
      expect(error).toMatch(message);
      expect(more).toEqual([]);
      expect(readFileSync(raster).equals(rasterBytes)).toBe(true);
    }
  });

  it('adjacency and exposure', async () => {
    const edges = join(tmp, 'cli', 'edges.csv');
    writeFileSync(edges, 'id_a,id_b,shared_m\n');
    await refused(
      ['exposure', '--edges', edges, '--treated', panel, '--unit', 'unit', '--time', 'year', '--out', edges],
      /ntl exposure: --out .*edges\.csv is the input --edges/,
    );
    const r = await runCli(['adjacency', '--zones', edges, '--id', 'x', '--out', edges]);
    expect(r.stderr).toMatch(/ntl adjacency: --out .*edges\.csv is the input --zones .*edges\.csv \(same file\)/);
  });

  it('manifest add: a --glob that matches the manifest itself; init --force with --manifest = a raster', async () => {
    const dir = join(tmp, 'man');
    mkdirSync(dir);
    const m = join(dir, 'm.txt');
    writeFileSync(m, 'x');
    const r = await runCli(['manifest', 'add', m, '--glob', join(dir, '*'), '--sensor', 'other', '--year', '2020', '--kind', 'table', '--role', 'other']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ntl manifest add: the manifest .*m\.txt is the input --glob '.*\*' file .*m\.txt \(same file\); choose another output path/);
    expect(readFileSync(m, 'utf8')).toBe('x');
    const init = await runCli([
      'init',
      '--zones',
      zones,
      '--id',
      'Code_County',
      '--rasters',
      raster,
      '--manifest',
      raster,
      '--out',
      join(tmp, 'cli', 'p.yaml'),
      '--force',
    ]);
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/ntl init: --manifest .*x\.tif is the input --rasters '.*x\.tif' file .*x\.tif \(same file\); choose another output path/);
    expect(readFileSync(raster).equals(rasterBytes)).toBe(true);
  });
});

describe('--out naming a folder where a file is expected', () => {
  it('a command says so with a file name to use; the atomic writer never blames the disk', async () => {
    const dir = join(tmp, 'outdir');
    mkdirSync(dir);
    const r = await runCli(['did', '--panel', PANEL, '--y', 'y', '--treat', 'd', '--unit', 'unit', '--time', 'year', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ntl: error: ntl did: --out ${dir} is a folder; give a file name such as ${join(dir, 'result.json')}\n`);
    const e = await writeFileAtomic(dir, 'x').then(
      () => null,
      (err: Error) => err.message,
    );
    expect(e).toMatch(/cannot write .*outdir: .*outdir is a folder; give a file name inside it, such as .*outdir\/result\.csv/);
    expect(e).not.toMatch(/free space|EISDIR|\.tmp/);
  });
});
