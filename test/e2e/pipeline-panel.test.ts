/**
 * `ntl panel` / the pipeline runner end to end on the shipped Hunan data: panel shape and order, values against
 * the independent shapely goldens, caching, kill -9 + rerun byte-identity, and failures that leave previous
 * outputs intact.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { setWriteFaultForTests } from '../../src/output/atomic.js';
import { parseCsv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const tmp = tempDir('panel');
const V = (y: number) => `viirs_like:${y}=data/demo/viirs_like/${y}_8bit_hunan.tif`;
const D = (y: number) => `dmsp_like:${y}=data/demo/dmsp_like/DMSP-like${y}_hunan.tif`;

function panelArgs(outDir: string, extra: string[] = []): string[] {
  return [
    'panel',
    '--zones',
    'data/demo/hunan_counties.geojson',
    '--id',
    'Code_County',
    '--name',
    'Name_County',
    '--parent',
    'Code_Perfecture',
    '--province',
    'Code_Province',
    '--raster',
    V(2012),
    '--raster',
    V(2013),
    '--raster',
    V(2022),
    '--raster',
    D(2018),
    '--raster',
    D(2021),
    '--stats',
    'count,sum,mean,lit_count',
    '--nodata-as-zero',
    '--format',
    'csv,parquet,dta',
    '--out',
    outDir,
    '--quiet',
    ...extra,
  ];
}

const read = (dir: string, f: string) => readFileSync(join(dir, f));
const OUTPUTS = ['panel.csv', 'panel.parquet', 'panel.dta'];

afterEach(() => setWriteFaultForTests(null));

describe('ntl panel on the Hunan demo data', () => {
  const dir = join(tmp, 'main');

  it('writes a sorted long panel with the documented columns, matching the shapely goldens', async () => {
    const r = await runCli(panelArgs(dir));
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parseCsv(read(dir, 'panel.csv').toString('utf8'));
    expect(header).toEqual(['unit_id', 'unit_name', 'parent_id', 'province_id', 'year', 'source', 'count', 'sum', 'mean', 'lit_count']);
    expect(rows.length).toBe(122 * 5);
    const keys = rows.map((r) => `${r[0]}|${r[4]}|${r[5]}`);
    expect([...keys].sort()).toEqual(keys); // unit, year, source order
    const furong = rows.filter((r) => r[0] === '430102');
    expect(furong.map((r) => [r[1], r[2], r[3], r[4], r[5]])).toEqual([
      ['芙蓉区', '430100', '430000', '2012', 'viirs_like'],
      ['芙蓉区', '430100', '430000', '2013', 'viirs_like'],
      ['芙蓉区', '430100', '430000', '2018', 'dmsp_like'],
      ['芙蓉区', '430100', '430000', '2021', 'dmsp_like'],
      ['芙蓉区', '430100', '430000', '2022', 'viirs_like'],
    ]);
    // Independent oracle: shapely per-cell overlay (test/goldens/ZONAL-GOLDENS.md), no-data counted as 0.
    const golden = parseCsv(readFileSync('test/goldens/zonal-hunan-viirs2013-exact-nodata0-shapely.csv', 'utf8'));
    const g = new Map(golden.rows.map((r) => [r[0]!, r]));
    for (const row of rows.filter((r) => r[4] === '2013')) {
      const e = g.get(row[0]!)!;
      expect(Math.abs(Number(row[7]) - Number(e[2])) / Number(e[2])).toBeLessThan(1e-10);
      expect(Math.abs(Number(row[6]) - Number(e[1])) / Number(e[1])).toBeLessThan(1e-10);
    }
  });

  it('Parquet and CSV agree, read by DuckDB', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const res = await db.runAndReadAll(`select unit_id, year, source, sum from read_parquet('${join(dir, 'panel.parquet')}') order by unit_id, year, source`);
    const csv = parseCsv(read(dir, 'panel.csv').toString('utf8')).rows;
    const pq = res.getRows();
    expect(pq.length).toBe(csv.length);
    pq.forEach((r, i) => {
      expect(String(r[0])).toBe(csv[i]![0]);
      expect(Number(r[1])).toBe(Number(csv[i]![4]));
      expect(r[3]).toBe(Number(csv[i]![7]));
    });
  });

  it('a rerun reuses every cached year and writes byte-identical outputs', async () => {
    const before = OUTPUTS.map((f) => read(dir, f));
    const r = await runCli(panelArgs(dir));
    expect(r.stdout).toMatch(/cache: 5 reused, 0 computed/);
    OUTPUTS.forEach((f, i) => expect(read(dir, f).equals(before[i]!)).toBe(true));
  });

  it('a changed setting recomputes (cache keyed by settings)', async () => {
    const other = join(tmp, 'other');
    await runCli(panelArgs(other));
    const r = await runCli(panelArgs(other, ['--lit-threshold', '5']));
    expect(r.stdout).toMatch(/cache: 0 reused, 5 computed/);
  });

  it('disk full while writing: one clear error, previous outputs intact, no staging left', async () => {
    const before = OUTPUTS.map((f) => read(dir, f));
    setWriteFaultForTests((target) => {
      if (target.endsWith('panel.dta')) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    const r = await runCli(panelArgs(dir, ['--stats', 'count,sum']));
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/disk is full.*previous outputs .* are unchanged/);
    OUTPUTS.forEach((f, i) => expect(read(dir, f).equals(before[i]!)).toBe(true));
    expect(readdirSync(dir).filter((n) => n.startsWith('.staging'))).toEqual([]);
  });

  it('an output folder that cannot be created is one clear error', async () => {
    writeFileSync(join(tmp, 'a-file'), 'x');
    const r = await runCli(panelArgs(join(tmp, 'a-file', 'sub')));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ntl: error: cannot create output folder .*a-file\/sub/);
  });

  it('boundaries without the named fields: one clear error naming the field and the file', async () => {
    const r = await runCli(panelArgs(join(tmp, 'nofield'), ['--parent', 'Code_Prefecture']));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/hunan_counties\.geojson has no field "Code_Prefecture".*Code_Perfecture/);
  });
});

describe('a run killed with SIGKILL and rerun finishes with byte-identical outputs', () => {
  it('at several moments', async () => {
    const clean = join(tmp, 'clean');
    await run(process.execPath, ['bin/ntl.js', ...panelArgs(clean)]);
    const expected = OUTPUTS.map((f) => read(clean, f));
    for (const delayMs of [150, 350, 600]) {
      const dir = join(tmp, `killed-${delayMs}`);
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, ['bin/ntl.js', ...panelArgs(dir)], { stdio: 'ignore' });
        const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
        child.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const { stdout } = await run(process.execPath, ['bin/ntl.js', ...panelArgs(dir)]);
      expect(stdout).toMatch(/wrote/);
      OUTPUTS.forEach((f, i) => expect(read(dir, f).equals(expected[i]!), `${f} after kill at ${delayMs} ms`).toBe(true));
      expect(existsSync(join(dir, 'run.json'))).toBe(true);
    }
  });
});
