/**
 * `ntl zonal --band all` and `--weights` from the command line (in-process): the 131-band Mumbai cube in one pass
 * equals 131 single-band runs byte for byte; the band-dates column; flag errors.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv, runCli } from '../helpers/cli.js';

const CUBE = 'data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif';
const DATES = 'data/mumbai/band_dates.csv';
const ZONES = 'test/fixtures/zones/mumbai-zones.geojson';
const STATS = 'count,sum,mean,min,max,stdev,median,lit_count,nodata_count,weighted_mean';
const base = ['zonal', '--raster', CUBE, '--zones', ZONES, '--id', 'zone', '--stats', STATS, '--threads', '1'];
let cubeAll: Promise<Awaited<ReturnType<typeof runCli>>> | null = null;
/** The cube's --band all run with dates, shared by the tests that compare against it. */
const allBands = () => (cubeAll ??= runCli([...base, '--band', 'all', '--band-dates', DATES]));

describe('ntl zonal --band all (Mumbai 131-band cube)', () => {
  it('long output: one row per band × zone, band and date columns, values byte-identical to single-band runs', async () => {
    const all = await allBands();
    expect(all.code).toBe(0);
    const t = parseCsv(all.stdout);
    expect(t.header).toEqual(['zone', 'band', 'date', ...STATS.split(',')]);
    expect(t.rows.length).toBe(131 * 3);
    expect(t.rows[0]!.slice(0, 3)).toEqual(['south', '1', '2012-04-01']);
    expect(t.rows[t.rows.length - 1]!.slice(0, 2)).toEqual(['north', '131']);
    // every band's date from the CSV
    const dates = parseCsv((await import('node:fs')).readFileSync(DATES, 'utf8'));
    for (const r of t.rows) expect(r[2]).toBe(dates.rows[Number(r[1]) - 1]![2]);
    // a spread of bands, each a separate single-band run: the same text, cell for cell
    for (const b of [1, 66, 131]) {
      const one = await runCli([...base, '--band', String(b)]);
      const single = parseCsv(one.stdout).rows;
      const mine = t.rows.filter((r) => r[1] === String(b)).map((r) => [r[0]!, ...r.slice(3)]);
      expect(mine).toEqual(single);
    }
  }, 60_000);

  it('without --band-dates: no date column; --band-dates needs --band all; bad band-dates files are named', async () => {
    const all = await runCli(['zonal', '--raster', CUBE, '--zones', ZONES, '--id', 'zone', '--threads', '1', '--band', 'all', '--stats', 'sum']);
    expect(parseCsv(all.stdout).header).toEqual(['zone', 'band', 'sum']);
    const e1 = await runCli([...base, '--band', '3', '--band-dates', DATES]).catch((e) => e);
    expect(String(e1.message ?? e1.stderr)).toMatch(/--band-dates .* needs --band all/);
    const e2 = await runCli([...base, '--band', 'all', '--band-dates', 'data/reference/regions.csv']).catch((e) => e);
    expect(String(e2.message ?? e2.stderr)).toMatch(/--band-dates data\/reference\/regions.csv: no column "band"/);
  });
});

describe('ntl zonal --weights flags', () => {
  it('--default-weight without --weights, and per_weight without --weights, are errors that say what to pass', async () => {
    const e1 = await runCli([...base, '--default-weight', '0']).catch((e) => e);
    expect(String(e1.message ?? e1.stderr)).toMatch(/--default-weight applies to a weighting raster; pass --weights/);
    const e2 = await runCli([...base, '--stats', 'per_weight']).catch((e) => e);
    expect(String(e2.message ?? e2.stderr)).toMatch(/per_weight needs a weighting raster; pass --weights/);
  });

  it('a weighting raster in another CRS is refused, naming both CRSs and the fix', async () => {
    const e = await runCli([
      'zonal',
      '--raster',
      'data/demo/viirs_like/2022_8bit_hunan.tif',
      '--zones',
      'data/demo/hunan_counties.geojson',
      '--id',
      'Code_County',
      '--stats',
      'weighted_mean',
      '--weights',
      'data/demo/dmsp_like/DMSP-like2021_hunan.tif',
      '--threads',
      '1',
    ]).catch((x) => x);
    expect(String(e.message ?? e.stderr)).toMatch(
      /weighting raster .*DMSP-like2021_hunan.tif is in .*, but .*2022_8bit_hunan.tif is in EPSG:4326.*must share a CRS.*gdalwarp/,
    );
  });

  it('weights on the same grid: the cube weighting itself gives weighted_mean = Σx²c / Σxc', async () => {
    const r = await runCli([
      ...base,
      '--band',
      '5',
      '--stats',
      'sum,weighted_sum,weighted_mean,weight_sum,per_weight',
      '--weights',
      CUBE,
      '--weights-band',
      '5',
    ]);
    expect(r.code).toBe(0);
    for (const row of parseCsv(r.stdout).rows) {
      const [sum, ws, wm, wsum, pw] = row.slice(1).map(Number);
      expect(wsum).toBeCloseTo(sum!, 9); // same grid, weight = value
      expect(pw).toBeCloseTo(1, 12);
      expect(wm).toBeCloseTo(ws! / sum!, 9);
    }
  });
});

describe('ntl zonal --band all: dates from the band descriptions', () => {
  it("a file whose bands are described by dates gets a date column, values equal to the cube's bands", async () => {
    const r = await runCli([
      'zonal',
      '--raster',
      'test/fixtures/bands/mumbai-3bands-described.tif',
      '--zones',
      ZONES,
      '--id',
      'zone',
      '--stats',
      STATS,
      '--band',
      'all',
      '--threads',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const t = parseCsv(r.stdout);
    expect(t.header).toEqual(['zone', 'band', 'date', ...STATS.split(',')]);
    expect(t.rows.map((x) => x[2])).toEqual([
      '2012-04-01',
      '2012-04-01',
      '2012-04-01',
      '2012-05-01',
      '2012-05-01',
      '2012-05-01',
      '2012-06-01',
      '2012-06-01',
      '2012-06-01',
    ]);
    const cube = parseCsv((await allBands()).stdout).rows.filter((x) => Number(x[1]) <= 3);
    expect(t.rows).toEqual(cube);
  }, 30_000);
});
