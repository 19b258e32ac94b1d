/**
 * `ntl calibrate` end to end (calibrateCommand in-process; main.ts registers it): outputs compared with the
 * GDAL/numpy oracles of scripts/golden/calibrate-oracles.py, the Hunan VIIRS-like 2012→2013 break, bad input.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrateCommand } from '../../src/cli/calibrate-command.js';
import { openRaster } from '../../src/raster/index.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cal');
const oracles = JSON.parse(readFileSync('test/goldens/calibrate-oracles.json', 'utf8'));
const io = () => {
  const err: string[] = [];
  return { io: { stdout: () => undefined, stderr: (t: string) => void err.push(t) }, err };
};
async function readAll(path: string): Promise<{ values: Float64Array; width: number; nodata: number | null; compression: string; blockWidth: number }> {
  const src = await openRaster(path, { threads: 0 });
  const values = new Float64Array(src.info.width * src.info.height);
  for await (const b of src.bands()) values.set(b.data, b.row0 * src.info.width);
  const { width, nodata, compression, blockWidth } = src.info;
  await src.close();
  return { values, width, nodata, compression, blockWidth };
}
const sumValid = (a: Float64Array) => {
  let s = 0,
    n = 0;
  for (const v of a)
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  return { s, n };
};

describe('ntl calibrate', () => {
  it('inter-calibration of a real raster equals numpy (Elvidge 2014 F101992)', async () => {
    const out = join(tmp, 'cal.tif');
    const { io: i } = io();
    expect(
      await calibrateCommand(
        ['intercalibrate', '--input', 'data/demo/dmsp_like/DMSP-like2018_hunan.tif', '--satellite', 'F10', '--year', '1992', '--out', out, '--threads', '0'],
        i,
      ),
    ).toBe(0);
    const r = await readAll(out);
    const o = oracles.elvidge2014_F101992_dmsp_like_2018;
    const { s, n } = sumValid(r.values);
    expect(n).toBe(o.valid);
    expect(Math.abs(s - o.sum) / o.sum).toBeLessThan(1e-12);
    for (const [k, v] of Object.entries(o.pixels as Record<string, number>)) {
      const [row, col] = k.split(',').map(Number) as [number, number];
      expect(r.values[row * r.width + col]).toBe(v);
    }
    expect(r.compression).toBe('deflate');
    expect(r.blockWidth).toBe(256);
    expect(Number.isNaN(r.nodata)).toBe(true);
  });

  it('monthly → annual on the real Mumbai months, weighted by cloud-free coverage and plain', async () => {
    for (const year of [2012, 2013, 2020]) {
      const o = oracles.mumbai[String(year)];
      for (const weighted of [true, false]) {
        const out = join(tmp, `m${year}${weighted}.tif`);
        const { io: i, err } = io();
        const args = [
          'monthly',
          '--input',
          'data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif',
          '--dates',
          'data/mumbai/band_dates.csv',
          '--year',
          String(year),
          '--out',
          out,
          '--threads',
          '0',
        ];
        if (weighted) args.push('--coverage', 'data/mumbai/mumbai_viirs_monthly_cloudfree_131bands.tif');
        expect(await calibrateCommand(args, i)).toBe(0);
        if (year === 2012) expect(err.join('')).toMatch(/2012-11-01 \(band 9\) repeats/);
        const r = await readAll(out);
        const want = weighted ? o.weighted : o.plain;
        const { s, n } = sumValid(r.values);
        expect(n).toBe(want.valid);
        expect(Math.abs(s - want.sum) / want.sum).toBeLessThan(1e-9);
        [
          [0, 0],
          [50, 20],
          [100, 47],
          [37, 11],
        ].forEach(([row, col], k) => {
          const v = r.values[row! * r.width + col!] as number;
          if (want.pixels[k] === null) expect(Number.isNaN(v)).toBe(true);
          else expect(v).toBe(want.pixels[k]);
        });
      }
    }
  });

  it('continuity report flags the 2012→2013 break of the VIIRS-like product (and nothing else)', async () => {
    const base = join(tmp, 'report');
    const args = ['report', '--out', base, '--threads', '0'];
    for (let y = 2012; y <= 2022; y++) args.push(`${y}:viirs_like=data/demo/viirs_like/${y}_8bit_hunan.tif`);
    const { io: i, err } = io();
    expect(await calibrateCommand(args, i)).toBe(0);
    const csv = readFileSync(`${base}.csv`, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('year,sensor,file,total,valid_cells,lit_cells,lit_area_km2,total_ratio,lit_area_ratio,flag');
    const flagged = csv
      .slice(1)
      .filter((l) => l.includes('break'))
      .map((l) => l.split(',')[0]);
    expect(flagged).toEqual(['2013']);
    // totals are the raster sums (checked against GDAL in the zonal goldens: 2012 = 54379, 2013 = 195384)
    expect(csv[1]!.split(',')[3]).toBe('54379');
    expect(csv[2]!.split(',')[3]).toBe('195384');
    expect(err.join('')).toMatch(/continuity break at 2013/);
    expect(readFileSync(`${base}.png`).subarray(1, 4).toString()).toBe('PNG');
  });

  it('bad input: one NtlError, no output file', async () => {
    const out = join(tmp, 'bad.tif');
    const run = (args: string[]) => calibrateCommand([...args, '--out', out, '--threads', '0'], io().io);
    const dmsp = 'data/demo/dmsp_like/DMSP-like2019_hunan.tif';
    await expect(run(['intercalibrate', '--input', dmsp, '--satellite', 'F19', '--year', '2000'])).rejects.toThrow(/unknown DMSP satellite "F19"/);
    await expect(run(['intercalibrate', '--input', dmsp, '--satellite', 'F18', '--year', '2013'])).rejects.toThrow(
      /no coefficients for F182013.*ntl calibrate fit-intercalibration/,
    );
    await expect(
      run([
        'composite',
        '--input',
        dmsp,
        '--satellite',
        'F10',
        '--year',
        '1992',
        '--table',
        'liu2012',
        '--with',
        'data/demo/dmsp_like/DMSP-like2020_hunan.tif',
        '--with-satellite',
        'F10',
      ]),
    ).rejects.toThrow(/shifted by .*≈ 144 m east-west, 334 m north-south.*resample/);
    await expect(
      run([
        'composite',
        '--input',
        dmsp,
        '--satellite',
        'F10',
        '--year',
        '1992',
        '--with',
        'data/demo/viirs_like/2012_8bit_hunan.tif',
        '--with-satellite',
        'F10',
      ]),
    ).rejects.toThrow(/grids differ in size|different CRS/);
    await expect(
      run(['monthly', '--input', 'data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif', '--dates', 'data/mumbai/band_dates.csv', '--year', '2030']),
    ).rejects.toThrow(/no month of 2030/);
    // the flag-style form of earlier releases: same errors, after the warning naming the verb
    await expect(run(['--input', dmsp, '--satellite', 'F19', '--year', '2000'])).rejects.toThrow(/unknown DMSP satellite "F19"/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
