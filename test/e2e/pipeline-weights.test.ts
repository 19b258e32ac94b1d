/**
 * A pipeline series with a weighting raster (`weights: <raster entry>`, `default_weight`): the panel's weighted
 * columns equal the R terra oracle of the coarser-grid case (test/goldens/zonal-weights-terra.csv), the weights
 * file is pinned by checksum, and weight_sum / per_weight without weights on every panel series is refused.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, runCli } from '../helpers/cli.js';
import { WEIGHT_COUNTIES, writeWeightRasters } from '../helpers/weights-rasters.js';
import { tempDir } from '../helpers/tmp.js';

const root = join(tempDir('weights-pipe'), 'project');
const spec = (series: string, stats = '[sum, weighted_mean, weight_sum, per_weight]') => `pipeline: 1
name: weights-demo
manifests: [../data-manifests/demo.yaml, ../data-manifests/pop.yaml]
boundaries: { entry: hunan-counties }
series:
${series}
years: [2022]
zonal: { stats: ${stats}, rule: exact, nodata_as_zero: false }
calibrate: []
outputs: { dir: ../out/w, formats: [csv], wide: false, maps: false, report: false }
`;
const write = (name: string, text: string): string => {
  const p = join(root, 'pipelines', name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  cpSync('data/demo', join(root, 'data/demo'), { recursive: true });
  cpSync('data-manifests/demo.yaml', join(root, 'data-manifests/demo.yaml'));
  mkdirSync(join(root, 'data/pop'), { recursive: true });
  mkdirSync(join(root, 'pipelines'), { recursive: true });
  await writeWeightRasters('data/demo', join(root, 'data/pop'));
  const pop = join(root, 'data/pop/weights_coarser3.tif');
  const sha = createHash('sha256').update(readFileSync(pop)).digest('hex');
  writeFileSync(
    join(root, 'data-manifests/pop.yaml'),
    `manifest: 1
name: pop
entries:
  - id: pop-grid
    sensor: other
    year: 2020
    path: ../data/pop/weights_coarser3.tif
    size: ${statSync(pop).size}
    sha256: ${sha}
`,
  );
}, 60_000);

describe('pipeline series with weights', () => {
  it('weighted columns match the terra oracle; the weights entry is pinned', async () => {
    const p = write('w.yaml', spec('  - { name: viirs_like, entries: [viirs-like-2022], weights: pop-grid, default_weight: 0.5 }'));
    const r = await runCli(['run', p, '--quiet', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parseCsv(readFileSync(join(root, 'out/w/panel.csv'), 'utf8'));
    const col = (n: string) => header.indexOf(n);
    const golden = parseCsv(readFileSync('test/goldens/zonal-weights-terra.csv', 'utf8')).rows.filter((g) => g[0] === 'coarser3');
    for (const id of WEIGHT_COUNTIES) {
      const row = rows.find((x) => x[col('unit_id')] === id)!;
      const g = golden.find((x) => x[1] === id)!;
      for (const [k, name] of [
        [2, 'sum'],
        [4, 'weighted_mean'],
        [5, 'weight_sum'],
        [6, 'per_weight'],
      ] as const) {
        expect(Math.abs(Number(row[col(name)]) - Number(g[k])) / Number(g[k]), `${id} ${name}`).toBeLessThan(1e-8);
      }
    }
  }, 60_000);

  it('per_weight on a series without weights is refused at the spec', async () => {
    const p = write('bad.yaml', spec('  - { name: viirs_like, entries: [viirs-like-2022] }'));
    const r = await runCli(['run', p, '--quiet', '--threads', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/zonal.*lists weight_sum, per_weight, which need a weighting raster, but series viirs_like has no weights: entry/);
  });

  it('default_weight without weights, and a weights entry that is not a raster, are spec errors', async () => {
    const p = write('bad2.yaml', spec('  - { name: viirs_like, entries: [viirs-like-2022], default_weight: 0 }', '[sum]'));
    expect((await runCli(['run', p, '--quiet'])).stderr).toMatch(/default_weight.*applies to a weighting raster; add weights:/);
    const q = write('bad3.yaml', spec('  - { name: viirs_like, entries: [viirs-like-2022], weights: hunan-counties }', '[sum]'));
    expect((await runCli(['run', q, '--quiet'])).stderr).toMatch(/weights.*is a boundaries entry, but series 'viirs_like' weights needs a raster entry/);
  });
});
