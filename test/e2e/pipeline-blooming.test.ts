/**
 * The shipped pipelines/hunan-blooming.yaml: SEAM on both demo series (VIIRS-like read with no-data as dark) and
 * Pareto on the DMSP-like one, written before zonal statistics. Each county sum equals `ntl calibrate` → `ntl zonal`
 * for one year of each series; every year has a SEAM fit with pseudo-light pixels; light is removed, not added;
 * a rerun reuses the written rasters and publishes the same panel. The pipeline runs once (beforeAll; all 15 years
 * through SEAM, so its timeout is long); each check is its own test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, runCli as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('blooming');
const out = join(tmp, 'out');

interface Rec {
  series: string;
  year: number;
  cached: boolean;
  seam: { plpCount: number; totalIn: number; totalOut: number };
  pareto?: unknown;
}

describe('pipelines/hunan-blooming.yaml', () => {
  let panel: ReturnType<typeof parseCsv>;
  let first: Buffer;

  beforeAll(async () => {
    const r = await ntl(['run', 'pipelines/hunan-blooming.yaml', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    first = readFileSync(join(out, 'panel.csv'));
    panel = parseCsv(first.toString('utf8'));
  }, 180_000);

  it('records a SEAM fit per series × year (Pareto on the DMSP-like series): light removed, not added', () => {
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { calibration: Rec[] };
    expect(run.calibration).toHaveLength(15); // 11 VIIRS-like + 4 DMSP-like years
    for (const c of run.calibration) {
      expect(c.seam.plpCount, `${c.series} ${c.year}`).toBeGreaterThan(1000);
      expect(c.seam.totalOut).toBeLessThan(c.seam.totalIn);
      expect(c.pareto !== undefined).toBe(c.series === 'dmsp_like');
    }
  });

  const cases = [
    { source: 'viirs_like', year: '2016', raster: 'data/demo/viirs_like/2016_8bit_hunan.tif', args: ['seam', '--nodata-as-zero'] },
    { source: 'dmsp_like', year: '2019', raster: 'data/demo/dmsp_like/DMSP-like2019_hunan.tif', args: ['seam', '--pareto', '--pareto-lower', '55'] },
  ];
  for (const c of cases) {
    it(`${c.source} ${c.year} county sums equal ntl calibrate ${c.args.join(' ')} → ntl zonal`, async () => {
      const col = (n: string) => panel.header.indexOf(n);
      const tif = join(tmp, `${c.source}.tif`);
      const cal = await ntl(['calibrate', c.args[0]!, '--input', c.raster, ...c.args.slice(1), '--out', tif]);
      expect(cal.code, cal.stderr).toBe(0);
      const z = await ntl([
        'zonal',
        '--raster',
        tif,
        '--zones',
        'data/demo/hunan_counties.geojson',
        '--id',
        'Code_County',
        '--stats',
        'sum',
        '--nodata-as-zero',
      ]);
      expect(z.code, z.stderr).toBe(0);
      const want = new Map(parseCsv(z.stdout).rows.map((row) => [row[0]!, Number(row[1])]));
      const rows = panel.rows.filter((row) => row[col('source')] === c.source && row[col('year')] === c.year);
      expect(rows).toHaveLength(122);
      for (const row of rows) {
        const w = want.get(row[0]!)!;
        expect(Math.abs(Number(row[col('sum')]) - w), row[0]).toBeLessThanOrEqual(1e-9 * Math.max(1, w));
      }
    });
  }

  it('a rerun reuses the written rasters and publishes the same panel', async () => {
    const again = await ntl(['run', 'pipelines/hunan-blooming.yaml', '--out', out, '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(out, 'panel.csv')).equals(first)).toBe(true);
    const rerun = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { calibration: Rec[] };
    expect(rerun.calibration).toHaveLength(15);
    expect(rerun.calibration.every((c) => c.cached)).toBe(true);
  });
});
