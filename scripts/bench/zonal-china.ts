/**
 * Benchmark: whole-China zonal statistics, ours vs exactextract (the C++ tool the algorithm comes from).
 *
 *   npm run build && NTL_DATA_DIR=DIR EXACTEXTRACT=/path/to/exactextract npx tsx scripts/bench/zonal-china.ts
 *
 * DIR: the folder `npx ntl fetch data-manifests/china.yaml --data-dir DIR` fills (scripts/bench/inputs.ts).
 *
 * Input: Chen 2022 VIIRS-like China raster (13,713 × 11,072 byte, LZW, 152 Mpx) × all 2,901 mapchina counties,
 * stats count,sum,mean. Runs ours (the compiled CLI, as a user runs it) and exactextract alternately, 3 times each,
 * and prints both medians, the ratio, peak RSS (GNU time) and the largest relative difference between outputs.
 * exactextract aborts on county 510302 (zero-width spike), so it gets a copy made valid with `ogr2ogr -makevalid`;
 * ours reads the file as shipped. Without EXACTEXTRACT the anchor is skipped with a note.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRaster, CHEN_2022, CHINA_COUNTIES } from './inputs.js';

const RASTER = benchRaster(undefined, CHEN_2022, 'NTL_DATA_DIR=DIR npx tsx scripts/bench/zonal-china.ts');
const ZONES = CHINA_COUNTIES;
const EE = process.env.EXACTEXTRACT;
const RUNS = Number(process.env.RUNS ?? 3);
const THREADS = Number(process.env.THREADS ?? 2);

if (!existsSync(ZONES)) {
  console.error(`bench: ${ZONES} not found (it is committed: git checkout -- data/china)`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'ntl-bench-'));

interface Timed {
  seconds: number;
  maxRssMb: number;
}

/** Run a command under GNU time; return wall seconds and peak RSS. */
function timed(cmd: string, args: string[]): Timed {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stderr.trim().split('\n');
  return { seconds, maxRssMb: Number(lines[lines.length - 1]) / 1024 };
}

function readStats(path: string, idCol: string): Map<string, number[]> {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const id = cols.indexOf(idCol);
  const want = ['count', 'sum', 'mean'].map((c) => cols.indexOf(c));
  return new Map(
    rows.map((r) => {
      const f = r.split(',');
      return [f[id]!.replace(/"/g, ''), want.map((i) => Number(f[i]))];
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const oursOut = join(work, 'ours.csv');
const oursArgs = [
  'bin/ntl.js',
  'zonal',
  '--raster',
  RASTER,
  '--zones',
  ZONES,
  '--id',
  'county_cd',
  '--stats',
  'count,sum,mean',
  '--threads',
  String(THREADS),
  '--out',
  oursOut,
];

let eeArgs: string[] | null = null;
const eeOut = join(work, 'ee.csv');
if (EE && existsSync(EE)) {
  const valid = join(work, 'counties_valid.shp');
  execFileSync('ogr2ogr', ['-makevalid', valid, ZONES], { stdio: 'ignore' });
  eeArgs = [
    '-r',
    RASTER,
    '-p',
    valid,
    '-f',
    'county_cd',
    '-s',
    'count',
    '-s',
    'sum',
    '-s',
    'mean',
    '--strategy',
    'raster-parallel',
    '--threads',
    String(THREADS),
    '-o',
    eeOut,
  ];
} else {
  console.log('note: EXACTEXTRACT not set (or not found): anchor skipped; see scripts/bench/README.md to build it');
}

const ours: Timed[] = [];
const anchor: Timed[] = [];
for (let i = 0; i < RUNS; i++) {
  ours.push(timed(process.execPath, oursArgs));
  if (eeArgs) anchor.push(timed(EE!, eeArgs));
}

const fmt = (t: Timed[]) =>
  `median ${median(t.map((x) => x.seconds)).toFixed(2)} s (runs ${t.map((x) => x.seconds.toFixed(2)).join(', ')}), peak RSS ${Math.max(...t.map((x) => x.maxRssMb)).toFixed(0)} MB`;
console.log(`input: ${RASTER} × ${ZONES}; threads ${THREADS}`);
console.log(`ntl-pipeline : ${fmt(ours)}`);
if (eeArgs) {
  console.log(`exactextract : ${fmt(anchor)}`);
  console.log(`ratio ours/exactextract (medians): ${(median(ours.map((x) => x.seconds)) / median(anchor.map((x) => x.seconds))).toFixed(2)}`);
  const a = readStats(oursOut, 'county_cd');
  const b = readStats(eeOut, 'county_cd');
  let worst = 0;
  let worstId = '';
  let compared = 0;
  for (const [id, va] of a) {
    const vb = b.get(id);
    if (!vb) continue;
    for (let k = 0; k < 3; k++) {
      const x = va[k]!,
        y = vb[k]!;
      if (!Number.isFinite(x) && !Number.isFinite(y)) continue;
      const d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300);
      if (d > worst) {
        worst = d;
        worstId = id;
      }
    }
    compared++;
  }
  console.log(`outputs: ${compared} counties compared; largest relative difference ${worst.toExponential(2)} (county ${worstId})`);
}
