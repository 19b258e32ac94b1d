/**
 * End-to-end zonal statistics on real data (Hunan counties × real VIIRS-like and DMSP-like clips) against
 * independent implementations: shapely per-cell overlay in double precision (last-digit oracle) and R terra.
 * Goldens and the scripts that made them: test/goldens/ZONAL-GOLDENS.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runZonalJob, type ZonalJobInput } from '../../src/jobs/zonal-job.js';
import { parseStats } from '../../src/zonal/index.js';
import { parseCsv } from '../helpers/cli.js';

const ZONES = 'data/demo/hunan_counties.geojson';
const STATS = parseStats('count,sum,mean,min,max');

interface GoldenRow {
  count: number;
  sum: number;
  mean: number | null;
  min: number | null;
  max: number | null;
}

function readGolden(name: string): Map<string, GoldenRow> {
  const { header, rows } = parseCsv(readFileSync(`test/goldens/${name}`, 'utf8'));
  const col = (n: string) => header.indexOf(n);
  const num = (s: string | undefined) => (s === undefined || s === '' || s === 'NA' ? null : Number(s));
  const out = new Map<string, GoldenRow>();
  for (const r of rows) {
    out.set(r[col('id')]!, {
      count: num(r[col('count')])!,
      sum: num(r[col('sum')])!,
      mean: num(r[col('mean')]),
      min: num(r[col('min')]),
      max: num(r[col('max')]),
    });
  }
  return out;
}

function relDiff(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

async function compare(raster: string, golden: string, opts: Partial<ZonalJobInput>, tol: number) {
  const result = await runZonalJob({
    rasterPath: raster,
    zonesPath: ZONES,
    idField: 'Code_County',
    stats: STATS,
    rule: 'exact',
    nodataAsZero: false,
    litThreshold: 0,
    threads: 1,
    ...opts,
  });
  const expected = readGolden(golden);
  expect(result.rows.length).toBe(expected.size);
  let worst = 0;
  for (const row of result.rows) {
    const g = expected.get(row.id);
    expect(g, `county ${row.id} in golden`).toBeDefined();
    const [count, sum, mean, min, max] = row.values;
    worst = Math.max(worst, relDiff(count!, g!.count), relDiff(sum!, g!.sum), relDiff(mean!, g!.mean!));
    expect(min).toBe(g!.min);
    expect(max).toBe(g!.max);
  }
  expect(worst).toBeLessThanOrEqual(tol);
  return worst;
}

describe('Hunan counties × VIIRS-like (EPSG:4326) against shapely per-cell overlay', () => {
  for (const year of [2012, 2013, 2022]) {
    it(`${year}, no-data excluded`, async () => {
      await compare(`data/demo/viirs_like/${year}_8bit_hunan.tif`, `zonal-hunan-viirs${year}-exact-shapely.csv`, {}, 1e-10);
    });
    it(`${year}, no-data as zero`, async () => {
      await compare(`data/demo/viirs_like/${year}_8bit_hunan.tif`, `zonal-hunan-viirs${year}-exact-nodata0-shapely.csv`, { nodataAsZero: true }, 1e-10);
    });
  }
  it('2022, cell-centre rule matches exactly', async () => {
    await compare('data/demo/viirs_like/2022_8bit_hunan.tif', 'zonal-hunan-viirs2022-centre-shapely.csv', { rule: 'centre' }, 0);
  });
});

describe('Hunan counties × VIIRS-like against R terra (planar exact=TRUE)', () => {
  it('2022, within 1e-6 relative for every county', async () => {
    const worst = await compare('data/demo/viirs_like/2022_8bit_hunan.tif', 'zonal-hunan-viirs2022-exact.csv', {}, 1e-6);
    expect(worst).toBeGreaterThan(0); // terra stores fractions in float32: a zero difference would mean we compared with ourselves
  });
});

describe('Hunan counties reprojected to the DMSP-like Albers grid against shapely (same 0.01° densification)', () => {
  for (const year of [2018, 2021]) {
    it(`${year}`, async () => {
      await compare(`data/demo/dmsp_like/DMSP-like${year}_hunan.tif`, `zonal-hunan-dmsp${year}-exact-densify001deg-shapely.csv`, {}, 1e-9);
    });
  }
});
