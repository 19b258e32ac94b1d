/**
 * Geodesic polygon area (`area_km2`) of the 2,901 mapchina counties: wall and CPU time of geodesicAreaKm2 over
 * all of them (median of 5), the largest difference from the sf/lwgeom golden (test/goldens/geodesic-area-china.csv,
 * scripts/golden/geodesic-area.R), and an anchor timed in the same script when Rscript has sf + lwgeom:
 * sf::st_area with s2 off, i.e. GeographicLib's C library through lwgeom (st_read excluded).
 *
 *   npx tsx scripts/bench/geodesic-area.ts [--no-r]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { geodesicAreaKm2, readZones } from '../../src/vector/index.js';
import { CHINA_COUNTIES } from './inputs.js';

const { values } = parseArgs({ options: { 'no-r': { type: 'boolean', default: false } } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const set = await readZones(CHINA_COUNTIES, { idField: 'county_cd' });
let vertices = 0;
for (const z of set.zones) for (const p of z.parts) for (const r of p) vertices += r.length / 2;
const wall: number[] = [],
  cpu: number[] = [];
let areas: number[] = [];
for (let k = 0; k < 5; k++) {
  const c0 = process.cpuUsage(),
    t0 = performance.now();
  areas = set.zones.map((z) => geodesicAreaKm2(z.parts, set.crs));
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1e3);
}
console.log(
  `ntl: area of ${set.zones.length} counties (${vertices} vertices): wall ${median(wall).toFixed(0)} ms, CPU ${median(cpu).toFixed(0)} ms (median of 5; load ${loadavg()[0].toFixed(1)})`,
);

const golden = new Map(
  readFileSync('test/goldens/geodesic-area-china.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .map(([id, a]) => [id!, Number(a)]),
);
let worstAbs = 0,
  worstRel = 0;
set.zones.forEach((z, i) => {
  const g = golden.get(z.id)!;
  worstAbs = Math.max(worstAbs, Math.abs(areas[i]! - g));
  worstRel = Math.max(worstRel, Math.abs(areas[i]! - g) / g);
});
console.log(`vs sf/lwgeom golden: max |Δ| ${worstAbs.toExponential(2)} km², max relative ${worstRel.toExponential(2)}`);

if (!values['no-r']) {
  try {
    const r = execFileSync(
      'Rscript',
      [
        '-e',
        `suppressPackageStartupMessages({library(sf);library(lwgeom)}); sf_use_s2(FALSE);
      x <- st_read("${CHINA_COUNTIES}", quiet=TRUE);
      ts <- sapply(1:5, function(i) system.time(st_area(x))[["elapsed"]]); cat(median(ts) * 1000)`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const anchor = Number(r.trim());
    console.log(
      `anchor sf::st_area (s2 off, lwgeom/GeographicLib C): ${anchor.toFixed(0)} ms (median of 5); ratio ntl/sf ${(median(wall) / anchor).toFixed(2)}`,
    );
  } catch {
    console.log('anchor: Rscript with sf/lwgeom not available');
  }
}
