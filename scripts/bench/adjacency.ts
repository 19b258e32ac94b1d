/**
 * Adjacency on the whole of China (the 2,901 mapchina counties of data/china): wall time of reading the
 * shapefile and of `adjacency` (median of 3), against an anchor run in the same script — spdep::poly2nb (queen,
 * default snap) on the same shapefile, timed inside R (st_read excluded) when Rscript is available — plus
 * agreement with the spdep goldens (test/goldens/adjacency-china-*.csv, scripts/golden/adjacency-spdep.R),
 * the snap sweep behind DEFAULT_SNAP_M and the poverty-county join.
 *
 *   npx tsx scripts/bench/adjacency.ts [--zones china.shp] [--id county_cd] [--no-r]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { adjacency, type AdjacencyResult } from '../../src/spatial/index.js';
import { readZones } from '../../src/vector/index.js';
import { CHINA_COUNTIES } from './inputs.js';

const { values } = parseArgs({
  options: {
    zones: { type: 'string', default: CHINA_COUNTIES },
    id: { type: 'string', default: 'county_cd' },
    'no-r': { type: 'boolean', default: false },
  },
});
const zonesPath = values.zones!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const readMs: number[] = [],
  adjMs: number[] = [];
let queen: AdjacencyResult | null = null;
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const set = await readZones(zonesPath, { idField: values.id! });
  const t1 = performance.now();
  queen = adjacency(set, { rule: 'queen' });
  const t2 = performance.now();
  readMs.push(t1 - t0);
  adjMs.push(t2 - t1);
}
const ours = median(readMs) + median(adjMs);
console.log(`ntl: read ${median(readMs).toFixed(0)} ms + adjacency ${median(adjMs).toFixed(0)} ms = ${ours.toFixed(0)} ms (median of 3)`);

if (!values['no-r']) {
  try {
    const r = execFileSync(
      'Rscript',
      [
        '-e',
        `suppressPackageStartupMessages({library(sf);library(spdep)}); sf_use_s2(FALSE);
      x <- st_read("${zonesPath}", quiet=TRUE); b <- which(!st_is_valid(x));
      if (length(b)) st_geometry(x)[b] <- st_cast(st_make_valid(st_geometry(x)[b]), "MULTIPOLYGON");
      ts <- sapply(1:3, function(i) system.time(suppressWarnings(poly2nb(x, queen=TRUE)))[["elapsed"]]); cat(median(ts) * 1000)`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const anchor = Number(r.trim());
    console.log(
      `anchor spdep::poly2nb(queen): ${anchor.toFixed(0)} ms (median of 3, st_read excluded); ratio ntl(read+adjacency)/spdep = ${(ours / anchor).toFixed(2)}, adjacency alone ${(median(adjMs) / anchor).toFixed(2)}`,
    );
  } catch {
    console.log('anchor: Rscript with sf/spdep not available; ratio adjacency/read = ' + (median(adjMs) / median(readMs)).toFixed(2));
  }
}

const set = await readZones(zonesPath, { idField: values.id! });
function compare(label: string, r: AdjacencyResult, golden: string): void {
  const want = new Set(readFileSync(golden, 'utf8').trim().split('\n').slice(1));
  const got = new Map(r.pairs.map((p) => [`${p.a},${p.b}`, p.sharedM]));
  const extra = [...got.keys()].filter((k) => !want.has(k));
  const missing = [...want].filter((k) => !got.has(k));
  console.log(
    `${label}: ${got.size} pairs vs spdep ${want.size}; only ntl: ${extra.map((k) => `${k} (${got.get(k)!.toFixed(2)} m)`).join(' ') || 'none'}; only spdep: ${missing.join(' ') || 'none'}`,
  );
}
compare('queen', queen!, 'test/goldens/adjacency-china-queen.csv');
compare('queen vs spdep snap 1e-4°', queen!, 'test/goldens/adjacency-china-queen-snap1e-4.csv');
compare('rook', adjacency(set, { rule: 'rook' }), 'test/goldens/adjacency-china-rook.csv');
console.log(`islands: ${queen!.islands.join(' ')}; components: ${queen!.components}`);

const key = (r: AdjacencyResult) => r.pairs.map((p) => `${p.a},${p.b}`).join(';');
const base = key(queen!);
for (const snapM of [0.01, 0.1, 10, 50, 100, 500]) {
  const r = adjacency(set, { rule: 'queen', snapM });
  console.log(`snap ${snapM} m: ${r.pairs.length} queen pairs, ${key(r) === base ? 'identical to' : 'differs from'} the 1 m default`);
}

// The poverty-county list joined on mapchina_code (data/treatments/PROVENANCE.md).
const pov = readFileSync('data/treatments/poverty_counties_832_clean.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map((f) => f.replace(/^"|"$/g, '')));
const ids = new Set(set.zones.map((z) => z.id));
const unmatched = pov.filter((f) => !ids.has(f[6]!)).map((f) => f[6]);
console.log(`poverty counties: ${pov.length}, join on mapchina_code: ${pov.length - unmatched.length} match, unmatched: ${unmatched.join(' ') || 'none'}`);
