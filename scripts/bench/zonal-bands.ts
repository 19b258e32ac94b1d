/**
 * `--band all` vs one pass per band: every band of a multi-band file in one pass (coverage once per zone and row
 * band) against N single-band passes, both in-process (no node start-up), best of R repeats.
 *
 *   npx tsx scripts/bench/zonal-bands.ts [--raster data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif]
 *        [--zones test/fixtures/zones/mumbai-zones.geojson --id zone] [--stats count,sum,mean,min,max] [--repeat 3]
 */
import { parseArgs } from 'node:util';
import { PreparedZones, zonalOnSource, zonalOnSources } from '../../src/jobs/zonal-job.js';
import { openRaster, openRasterBands, shutdownDecodePool } from '../../src/raster/index.js';
import { readZones } from '../../src/vector/index.js';
import { parseStats } from '../../src/zonal/index.js';

const { values } = parseArgs({
  options: {
    raster: { type: 'string', default: 'data/mumbai/mumbai_viirs_monthly_radiance_131bands.tif' },
    zones: { type: 'string', default: 'test/fixtures/zones/mumbai-zones.geojson' },
    id: { type: 'string', default: 'zone' },
    stats: { type: 'string', default: 'count,sum,mean,min,max' },
    repeat: { type: 'string', default: '3' },
  },
});

const zones = new PreparedZones(await readZones(values.zones!, { idField: values.id! }));
const settings = { stats: parseStats(values.stats!), rule: 'exact' as const, nodataAsZero: false, litThreshold: 0 };
const threads = Number(process.env.THREADS ?? 0);

async function all(): Promise<number> {
  const sources = await openRasterBands(values.raster!, { threads });
  try {
    return (await zonalOnSources(sources, zones, settings)).length;
  } finally {
    for (const s of sources) await s.close();
  }
}
async function perBand(n: number): Promise<number> {
  for (let b = 1; b <= n; b++) {
    const s = await openRaster(values.raster!, { band: b, threads });
    try {
      await zonalOnSource(s, zones, settings);
    } finally {
      await s.close();
    }
  }
  return n;
}

const n = await all();
let tAll = Infinity,
  tOne = Infinity;
for (let r = 0; r < Number(values.repeat); r++) {
  let t = performance.now();
  await all();
  tAll = Math.min(tAll, performance.now() - t);
  t = performance.now();
  await perBand(n);
  tOne = Math.min(tOne, performance.now() - t);
}
console.log(
  `${n} bands, ${zones.zoneSet.zones.length} zones: --band all ${tAll.toFixed(1)} ms; ${n} single-band passes ${tOne.toFixed(1)} ms; ratio ${(tOne / tAll).toFixed(2)}×`,
);
await shutdownDecodePool();
