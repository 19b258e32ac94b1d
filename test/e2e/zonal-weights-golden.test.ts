/**
 * Weighted statistics on real rasters of different resolutions against the R terra oracle
 * (scripts/golden/weights-terra.R → test/goldens/zonal-weights-terra.csv): VIIRS-like 2022 Hunan values with
 * weights made from the 2013 clip on a 3× coarser grid, a 3× finer grid (values aggregated) and a 2.5× grid
 * shifted half a cell, over five Hunan counties. terra's coverage fractions are float32, but the county totals agree to ≤ 5e-10 (checked at 1e-8).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runZonalJob } from '../../src/jobs/zonal-job.js';
import { parseStats } from '../../src/zonal/spec.js';
import { WEIGHT_COUNTIES, writeWeightRasters, type WeightCase } from '../helpers/weights-rasters.js';

const ZONES = 'data/demo/hunan_counties.geojson';
const STATS = 'sum,weighted_sum,weighted_mean,weight_sum,per_weight';
let dir = '';
let cases: WeightCase[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ntl-weights-'));
  cases = await writeWeightRasters('data/demo', dir);
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function golden(): Promise<Map<string, number[]>> {
  const lines = (await readFile('test/goldens/zonal-weights-terra.csv', 'utf8')).trim().split('\n').slice(1);
  return new Map(
    lines.map((l) => {
      const [c, id, ...v] = l.split(',');
      return [`${c}/${id}`, v.map(Number)];
    }),
  );
}

describe('weights vs R terra on real rasters', () => {
  for (const name of ['coarser3', 'finer3', 'ratio2_5'] as const) {
    it(`${name}: sum, weighted_sum, weighted_mean, weight_sum, per_weight within 1e-8`, async () => {
      const c = cases.find((x) => x.name === name)!;
      const g = await golden();
      const r = await runZonalJob({
        rasterPath: c.values,
        zonesPath: ZONES,
        idField: 'Code_County',
        stats: parseStats(STATS),
        rule: 'exact',
        nodataAsZero: false,
        litThreshold: 0,
        weights: { path: c.weights, defaultWeight: c.defaultWeight },
        threads: 0,
      });
      let worst = 0;
      for (const id of WEIGHT_COUNTIES) {
        const want = g.get(`${name}/${id}`)!;
        const got = r.rows.find((x) => x.id === id)!.values as number[];
        want.forEach((w, k) => {
          const rel = Math.abs(got[k]! - w) / Math.abs(w);
          worst = Math.max(worst, rel);
          expect(rel, `${name} ${id} ${STATS.split(',')[k]}: ${got[k]} vs terra ${w}`).toBeLessThan(1e-8);
        });
      }
      expect(worst).toBeGreaterThan(0); // a real comparison, not a copy
    });
  }

  it('exactextract itself (scripts/golden/weights-exactextract.sh) on the pairs it accepts: weighted_sum and weighted_mean within 1e-8', async () => {
    const lines = (await readFile('test/goldens/zonal-weights-exactextract.csv', 'utf8')).trim().split('\n').slice(1);
    const ee = new Map(
      lines.map((l) => {
        const [c, id, ...v] = l.split(',');
        return [`${c}/${id!.replace(/"/g, '')}`, v.map(Number)];
      }),
    );
    for (const name of ['coarser3', 'finer3'] as const) {
      const c = cases.find((x) => x.name === name)!;
      const r = await runZonalJob({
        rasterPath: c.values,
        zonesPath: ZONES,
        idField: 'Code_County',
        stats: parseStats('sum,weighted_sum,weighted_mean'),
        rule: 'exact',
        nodataAsZero: false,
        litThreshold: 0,
        weights: { path: c.weights, defaultWeight: c.defaultWeight },
        threads: 0,
      });
      for (const id of WEIGHT_COUNTIES) {
        const [sum, ws, wm] = r.rows.find((x) => x.id === id)!.values as number[];
        const [eSum, eWs, eWm] = ee.get(`${name}/${id}`)!;
        expect(Math.abs(ws! - eWs!) / eWs!, `${name} ${id} weighted_sum`).toBeLessThan(1e-8);
        expect(Math.abs(wm! - eWm!) / eWm!, `${name} ${id} weighted_mean`).toBeLessThan(1e-8);
        // exactextract reports `sum` on the common grid: ×9 when the weights are 3× finer; ours stays on the value grid
        const factor = name === 'finer3' ? 9 : 1;
        expect(Math.abs(sum! * factor - eSum!) / eSum!, `${name} ${id} sum`).toBeLessThan(1e-8);
      }
    }
  });

  it('coarser3 without a default weight: the no-data lattice empties the weighted statistics', async () => {
    const c = cases.find((x) => x.name === 'coarser3')!;
    const r = await runZonalJob({
      rasterPath: c.values,
      zonesPath: ZONES,
      idField: 'Code_County',
      stats: parseStats(STATS),
      rule: 'exact',
      nodataAsZero: false,
      litThreshold: 0,
      weights: { path: c.weights, defaultWeight: null },
      threads: 0,
    });
    for (const id of WEIGHT_COUNTIES) expect(r.rows.find((x) => x.id === id)!.values.slice(1)).toEqual([null, null, null, null]);
    expect(r.warnings.join('\n')).toMatch(/cover cells with no weight/);
  });
});
