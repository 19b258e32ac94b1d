/**
 * `calibrate:` inside a pipeline: zonal statistics of the calibrated values equal `ntl zonal` over the raster
 * that `ntl calibrate` writes (the calibrate command itself is checked against numpy in cli-calibrate). The CLI runs
 * in-process (the binary's own start-up is covered by cli-commands); the pipeline runs once, in beforeAll.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, runCli as ntl } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('pcal');

describe('pipeline calibrate section', () => {
  const root = join(tmp, 'project');
  cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
  cpSync('data-manifests/demo.yaml', join(root, 'data-manifests/demo.yaml'));
  const spec = `pipeline: 1
name: cal
manifests: [../data-manifests/demo.yaml]
boundaries: { entry: hunan-counties }
series:
  - { name: viirs_like, select: { sensor: harmonized, product: chen2021-npp-viirs-like-8bit, years: [2013] } }
  - { name: dmsp_like, select: { sensor: harmonized, product: wu2021-dmsp-like, years: [2018] } }
years: { from: 2013, to: 2018, step: 5 }
zonal: { stats: [count, sum, mean], nodata_as_zero: true }
calibrate:
  - { step: viirs_denoise, series: viirs_like, threshold: 5 }
  - { step: intercalibrate, series: dmsp_like, table: elvidge2009, satellite: F16, year: 2008 }
outputs: { dir: ../out/cal, formats: [csv] }
`;
  mkdirSync(join(root, 'pipelines'));
  writeFileSync(join(root, 'pipelines/cal.yaml'), spec);
  let panel: ReturnType<typeof parseCsv>;

  beforeAll(async () => {
    const r = await ntl(['run', join(root, 'pipelines/cal.yaml'), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    panel = parseCsv(readFileSync(join(root, 'out/cal/panel.csv'), 'utf8'));
  }, 60_000);

  const cases = [
    {
      source: 'viirs_like',
      year: '2013',
      raster: 'data/demo/viirs_like/2013_8bit_hunan.tif',
      args: ['denoise', '--threshold', '5'],
      step: 'a VIIRS threshold',
    },
    {
      source: 'dmsp_like',
      year: '2018',
      raster: 'data/demo/dmsp_like/DMSP-like2018_hunan.tif',
      args: ['intercalibrate', '--satellite', 'F16', '--year', '2008', '--table', 'elvidge2009'],
      step: 'a DMSP inter-calibration',
    },
  ];
  for (const c of cases) {
    it(`matches ntl calibrate → ntl zonal for ${c.step} (${c.source} ${c.year})`, async () => {
      const out = join(tmp, `${c.source}.tif`);
      const cal = await ntl(['calibrate', c.args[0]!, '--input', c.raster, ...c.args.slice(1), '--out', out]);
      expect(cal.code, cal.stderr).toBe(0);
      const z = await ntl([
        'zonal',
        '--raster',
        out,
        '--zones',
        'data/demo/hunan_counties.geojson',
        '--id',
        'Code_County',
        '--stats',
        'count,sum,mean',
        '--nodata-as-zero',
      ]);
      expect(z.code, z.stderr).toBe(0);
      const expected = new Map(parseCsv(z.stdout).rows.map((row) => [row[0]!, row.slice(1).map(Number)]));
      const rows = panel.rows.filter((row) => row[5] === c.source && row[4] === c.year);
      expect(rows.length).toBe(122);
      let changed = 0;
      for (const row of rows) {
        const e = expected.get(row[0]!)!;
        expect(Number(row[6])).toBeCloseTo(e[0]!, 9);
        expect(Math.abs(Number(row[7]) - e[1]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e[1]!)));
        if (Math.abs(Number(row[7]) - e[1]!) < 1e-9) changed++;
      }
      expect(changed).toBe(122);
    });
  }

  it('the calibration really changed the numbers (not a no-op): raw 2018 DMSP-like sums differ', async () => {
    const raw = await ntl([
      'zonal',
      '--raster',
      'data/demo/dmsp_like/DMSP-like2018_hunan.tif',
      '--zones',
      'data/demo/hunan_counties.geojson',
      '--id',
      'Code_County',
      '--stats',
      'sum',
      '--nodata-as-zero',
    ]);
    const rawSum = Number(parseCsv(raw.stdout).rows.find((row) => row[0] === '430102')![1]);
    const calSum = Number(panel.rows.find((row) => row[0] === '430102' && row[5] === 'dmsp_like')![7]);
    expect(Math.abs(rawSum - calSum)).toBeGreaterThan(1);
  });

  it('an unknown step is one error naming the entry and the steps there are', async () => {
    writeFileSync(
      join(root, 'pipelines/bad.yaml'),
      spec.replace('- { step: viirs_denoise, series: viirs_like, threshold: 5 }', '- { step: deblur, series: dmsp_like }'),
    );
    const r = await ntl(['run', join(root, 'pipelines/bad.yaml'), '--quiet']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.yaml \(dmsp_like 2018\): calibrate entry 1 .*deblur.*steps are intercalibrate, composite, viirs_denoise/);
  });
});
