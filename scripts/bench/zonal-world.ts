/**
 * Benchmark: zonal statistics at world scale, ours vs exactextract, on equal work.
 *
 *   npm run build && NTL_DATA_DIR=DIR EXACTEXTRACT=/path/to/exactextract npx tsx scripts/bench/zonal-world.ts [k ...]
 *
 * Cases (default `china 1 4 15`):
 * - `china`: the Chen 2022 China raster as shipped (13,713 × 11,072 byte, LZW) × the 2,901 mapchina counties;
 * - k = 1, 4, 15: a world grid on the same pixel size (80,150 × 40,075 float32, 3.2 Gpx, LZW, 256² tiles) holding
 *   k copies of the China raster spread over it (k ≤ 4: a ceil(√k) grid, else 5 across), and k copies of the
 *   counties shifted with them (ids `<county_cd>_t<i>`). Everything between the copies is no-data (0), written as
 *   ordinary compressed tiles as a global product has them (WORLD_SPARSE=1 leaves them out: GDAL's SPARSE_OK).
 * Both tools read the same inputs: the counties made valid once with `ogr2ogr -makevalid` (exactextract aborts on
 * county 510302 as shipped). The inputs are built with GDAL (gdal_translate from a VRT, ogr2ogr) into
 * $NTL_BENCH_CACHE (default <os tmpdir>/ntl-bench-world), outside the repository, and reused when present.
 *
 * Runs ours (`node bin/ntl.js zonal … --threads THREADS`) and exactextract alternately, RUNS pairs per case
 * (default 3); exactextract is tried with `--strategy feature-sequential` and `--strategy raster-parallel
 * --threads THREADS` and the faster median counts (EE_STRATEGY=feature-sequential: only that one). Reports medians of wall time, peak RSS (GNU time %M), CPU
 * (user + system) over wall, the ratio ours/exactextract, and the largest relative difference of count/sum/mean
 * between the two outputs (must be ~1e-7: exactextract keeps coverage fractions as float32).
 *
 * Without EXACTEXTRACT (or `exactextract` on PATH) only ours runs. To build exactextract, see README.md here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRaster, CHEN_2022, CHINA_COUNTIES } from './inputs.js';

const USAGE = 'NTL_DATA_DIR=DIR [EXACTEXTRACT=bin] npx tsx scripts/bench/zonal-world.ts [china|k ...]';
const CHINA = benchRaster(undefined, CHEN_2022, USAGE);
const RUNS = Number(process.env.RUNS ?? 3);
const THREADS = Number(process.env.THREADS ?? 2);
const SPARSE = process.env.WORLD_SPARSE === '1';
const CACHE = process.env.NTL_BENCH_CACHE ?? join(tmpdir(), 'ntl-bench-world');
const STATS = ['count', 'sum', 'mean'];
/** EE_STRATEGY=feature-sequential skips raster-parallel (it reads the whole raster: minutes on the world grid). */
const ONLY_SEQUENTIAL = process.env.EE_STRATEGY === 'feature-sequential';

/** The China raster's grid (checked against the file below); the world grid is the same pixel size from (-180, 90). */
const CHINA_W = 13713,
  CHINA_H = 11072;
const WORLD_W = 80150,
  WORLD_H = 40075;

function findExactextract(): string | null {
  const env = process.env.EXACTEXTRACT;
  if (env) {
    if (existsSync(env)) return env;
    console.log(`note: EXACTEXTRACT=${env} does not exist`);
    return null;
  }
  const r = spawnSync('sh', ['-c', 'command -v exactextract'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}
const EE = findExactextract();
if (!EE) console.log('note: exactextract not found (set EXACTEXTRACT or put it on PATH); only ours runs. Build it as scripts/bench/README.md says.');

mkdirSync(CACHE, { recursive: true });

/** raster-parallel exists only in exactextract builds with BUILD_PARALLEL_TBB=YES (README.md here); try it once on China. */
let rasterParallel: boolean | null = null;
function hasRasterParallel(): boolean {
  if (rasterParallel === null) {
    const r = spawnSync(
      EE!,
      ['-r', CHINA, '-p', validCounties(), '-f', 'county_cd', '-s', 'count', '--strategy', 'raster-parallel', '-o', join(CACHE, 'probe.csv')],
      { encoding: 'utf8' },
    );
    rasterParallel = r.status === 0;
    if (!rasterParallel)
      console.log(
        `note: this exactextract has no raster-parallel strategy (${r.stderr.trim().split('\n')[0]}; build it with BUILD_PARALLEL_TBB=YES); only feature-sequential runs`,
      );
  }
  return rasterParallel;
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
}

/** Build `out` with `make(tmp)` unless it exists; rename at the end so a killed build leaves no half file. */
function cached(out: string, make: (tmp: string) => void): string {
  if (existsSync(out)) return out;
  const tmp = out.replace(/(\.[a-z]+)$/, '.partial$1');
  make(tmp);
  renameSync(tmp, out);
  return out;
}

interface Grid {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
}

function chinaGrid(): Grid {
  const info = JSON.parse(sh('gdalinfo', ['-json', CHINA])) as { size: number[]; geoTransform: number[] };
  const [x0, dx, , y0, , dy] = info.geoTransform;
  if (info.size[0] !== CHINA_W || info.size[1] !== CHINA_H) throw new Error(`${CHINA}: expected ${CHINA_W} × ${CHINA_H}, got ${info.size.join(' × ')}`);
  return { x0: x0!, y0: y0!, dx: dx!, dy: -dy! };
}

/** Top-left pixel (col, row) of each of the k copies on the world grid. */
function placements(k: number): { col: number; row: number }[] {
  const across = k <= 4 ? Math.ceil(Math.sqrt(k)) : 5;
  const down = Math.ceil(k / across);
  const cw = Math.floor(WORLD_W / across),
    rh = Math.floor(WORLD_H / down);
  if (cw < CHINA_W || rh < CHINA_H) throw new Error(`k = ${k} copies do not fit the world grid`);
  const out = [];
  for (let i = 0; i < k; i++) {
    const a = i % across,
      d = Math.floor(i / across);
    out.push({ col: a * cw + ((cw - CHINA_W) >> 1), row: d * rh + ((rh - CHINA_H) >> 1) });
  }
  return out;
}

/** The counties made valid once (exactextract needs it; ours reads them the same either way). */
function validCounties(): string {
  return cached(join(CACHE, 'counties_valid.shp'), (tmp) => {
    sh('ogr2ogr', ['-makevalid', '-f', 'ESRI Shapefile', tmp, CHINA_COUNTIES]);
    // ogr2ogr wrote tmp's sidecars (.dbf, .shx, .prj, .cpg) too: rename them with it
    for (const ext of ['dbf', 'shx', 'prj', 'cpg']) {
      const side = tmp.replace(/\.shp$/, `.${ext}`);
      if (existsSync(side)) renameSync(side, join(CACHE, `counties_valid.${ext}`));
    }
  });
}

function worldInputs(k: number, g: Grid): { raster: string; zones: string } {
  const places = placements(k);
  const name = `world-k${k}${SPARSE ? '-sparse' : ''}`;
  const vrt = join(CACHE, `${name}.vrt`);
  const sources = places
    .map(
      (p) => `
    <SimpleSource>
      <SourceFilename relativeToVRT="0">${CHINA}</SourceFilename>
      <SourceBand>1</SourceBand>
      <SrcRect xOff="0" yOff="0" xSize="${CHINA_W}" ySize="${CHINA_H}"/>
      <DstRect xOff="${p.col}" yOff="${p.row}" xSize="${CHINA_W}" ySize="${CHINA_H}"/>
    </SimpleSource>`,
    )
    .join('');
  writeFileSync(
    vrt,
    `<VRTDataset rasterXSize="${WORLD_W}" rasterYSize="${WORLD_H}">
  <SRS>EPSG:4326</SRS>
  <GeoTransform>-180, ${g.dx}, 0, 90, 0, ${-g.dy}</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1">
    <NoDataValue>0</NoDataValue>${sources}
  </VRTRasterBand>
</VRTDataset>
`,
  );
  const raster = cached(join(CACHE, `${name}.tif`), (tmp) => {
    console.log(`building ${name}.tif (${WORLD_W} × ${WORLD_H} float32; minutes) …`);
    sh('gdal_translate', [
      '-q',
      '-co',
      'TILED=YES',
      '-co',
      'BLOCKXSIZE=256',
      '-co',
      'BLOCKYSIZE=256',
      '-co',
      'COMPRESS=LZW',
      '-co',
      'BIGTIFF=YES',
      '-co',
      'NUM_THREADS=ALL_CPUS',
      ...(SPARSE ? ['-co', 'SPARSE_OK=TRUE'] : []),
      vrt,
      tmp,
    ]);
  });
  const src = validCounties();
  const zones = join(CACHE, `zones_k${k}.shp`);
  if (!existsSync(zones)) {
    const stem = `zones_k${k}.partial`;
    for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) rmSync(join(CACHE, `${stem}.${ext}`), { force: true });
    places.forEach((p, i) => {
      const sx = -180 + p.col * g.dx - g.x0,
        sy = 90 - p.row * g.dy - g.y0;
      sh('ogr2ogr', [
        ...(i === 0 ? [] : ['-append']),
        '-nln',
        stem,
        '-dialect',
        'sqlite',
        '-sql',
        `SELECT ShiftCoords(geometry, ${sx}, ${sy}) AS geometry, county_cd || '_t${i}' AS zid FROM counties_valid`,
        join(CACHE, `${stem}.shp`),
        src,
      ]);
    });
    for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) {
      const f = join(CACHE, `${stem}.${ext}`);
      if (existsSync(f)) renameSync(f, join(CACHE, `zones_k${k}.${ext}`));
    }
  }
  return { raster, zones };
}

interface Timed {
  seconds: number;
  rssMb: number;
  cpu: number;
}

/** Run a command under GNU time: wall seconds, peak RSS, (user + system) / wall. */
function timed(cmd: string, args: string[]): Timed {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, rssMb: last[0]! / 1024, cpu: (last[1]! + last[2]!) / seconds };
}

function readStats(path: string, idCol: string): Map<string, number[]> {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.split(',').map((c) => c.replace(/"/g, ''));
  const id = cols.indexOf(idCol);
  const want = STATS.map((c) => cols.indexOf(c));
  if (id < 0 || want.some((i) => i < 0)) throw new Error(`${path}: columns ${cols.join(',')} lack ${idCol} or ${STATS.join('/')}`);
  return new Map(
    rows.map((r) => {
      const f = r.split(',');
      return [f[id]!.replace(/"/g, ''), want.map((i) => (f[i] === '' ? NaN : Number(f[i])))];
    }),
  );
}

/** Largest relative difference over zones both wrote; also how many zones were compared and how many one side lacks. */
function compare(a: Map<string, number[]>, b: Map<string, number[]>): { worst: number; compared: number; missing: number } {
  let worst = 0,
    compared = 0,
    missing = 0;
  for (const [id, va] of a) {
    const vb = b.get(id);
    if (!vb) {
      missing++;
      continue;
    }
    compared++;
    for (let i = 0; i < va.length; i++) {
      const x = va[i]!,
        y = vb[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        // both empty agrees; exactextract writes 0 for the count/sum of an empty zone where we write nothing
        if (Number.isFinite(x) !== Number.isFinite(y) && (x || 0) !== 0 && (y || 0) !== 0) worst = Infinity;
        continue;
      }
      const d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300);
      if (d > worst) worst = d;
    }
  }
  return { worst, compared, missing: missing + [...b.keys()].filter((id) => !a.has(id)).length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const med = (t: Timed[]): Timed => ({ seconds: median(t.map((x) => x.seconds)), rssMb: median(t.map((x) => x.rssMb)), cpu: median(t.map((x) => x.cpu)) });

interface Row {
  name: string;
  zones: number;
  ours: Timed;
  ee: Timed | null;
  eeStrategy: string;
  diff: string;
}

function runCase(name: string, raster: string, zones: string, idField: string, rows: Row[]): void {
  const out = join(CACHE, 'out');
  const file = name.replace(/\W+/g, '_'); // output names: no spaces or ×
  mkdirSync(out, { recursive: true });
  const oursCsv = join(out, `${file}-ours.csv`);
  const oursArgs = [
    'bin/ntl.js',
    'zonal',
    '--raster',
    raster,
    '--zones',
    zones,
    '--id',
    idField,
    '--stats',
    STATS.join(','),
    '--threads',
    String(THREADS),
    '--out',
    oursCsv,
  ];
  const strategies: [string, string[]][] = [
    ['feature-sequential', ['--strategy', 'feature-sequential']],
    ...(EE && !ONLY_SEQUENTIAL && hasRasterParallel()
      ? [[`raster-parallel ×${THREADS}`, ['--strategy', 'raster-parallel', '--threads', String(THREADS)]] as [string, string[]]]
      : []),
  ];
  const eeArgs = (s: string[], csv: string) => ['-r', raster, '-p', zones, '-f', idField, ...STATS.flatMap((x) => ['-s', x]), ...s, '-o', csv];
  const ours: Timed[] = [];
  const ee = strategies.map(() => [] as Timed[]);
  for (let i = 0; i < RUNS; i++) {
    ours.push(timed(process.execPath, oursArgs));
    if (EE) strategies.forEach(([s, a], j) => ee[j]!.push(timed(EE, eeArgs(a, join(out, `${file}-ee-${s.split(' ')[0]}.csv`)))));
    console.log(
      `  ${name} pair ${i + 1}: ours ${ours[i]!.seconds.toFixed(2)} s` +
        (EE ? strategies.map(([s], j) => `, ee ${s} ${ee[j]![i]!.seconds.toFixed(2)} s`).join('') : '') +
        `; load ${loadavg()[0]!.toFixed(2)}`,
    );
  }
  const oursMed = med(ours);
  let best: Timed | null = null,
    bestName = '',
    diff = 'no anchor';
  if (EE) {
    const meds = ee.map(med);
    const j = meds.length > 1 && meds[1]!.seconds < meds[0]!.seconds ? 1 : 0;
    best = meds[j]!;
    bestName = strategies[j]![0];
    const a = readStats(oursCsv, idField);
    const parts = strategies.map(([s]) => {
      const c = compare(a, readStats(join(out, `${file}-ee-${s.split(' ')[0]}.csv`), idField));
      return `${s.split(' ')[0]} ${c.worst.toExponential(1)} over ${c.compared}${c.missing ? `, ${c.missing} unmatched` : ''}`;
    });
    diff = parts.join('; ');
  }
  rows.push({ name, zones: readStats(oursCsv, idField).size, ours: oursMed, ee: best, eeStrategy: bestName, diff });
}

const cases = process.argv.slice(2).length ? process.argv.slice(2) : ['china', '1', '4', '15'];
const rows: Row[] = [];
console.log(
  `cache ${CACHE}; threads ${THREADS}; ${RUNS} alternating pairs per case; load at start ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const c of cases) {
  if (c === 'china') {
    runCase('china', CHINA, validCounties(), 'county_cd', rows);
  } else {
    const k = Number(c);
    if (!Number.isInteger(k) || k < 1 || k > 15) {
      console.error(`bench: case ${c} is not china or 1..15`);
      process.exit(2);
    }
    const { raster, zones } = worldInputs(k, chinaGrid());
    runCase(`world ${k}×`, raster, zones, 'zid', rows);
  }
}

const f2 = (x: number) => x.toFixed(2);
console.log(
  `\nload at end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log('| case | zones | ours wall | ours RSS | ours CPU/wall | exactextract wall (strategy) | its RSS | ratio | max rel. diff |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.zones.toLocaleString('en')} | ${f2(r.ours.seconds)} s | ${r.ours.rssMb.toFixed(0)} MiB | ${f2(r.ours.cpu)} | ` +
      (r.ee
        ? `${f2(r.ee.seconds)} s (${r.eeStrategy}) | ${r.ee.rssMb.toFixed(0)} MiB | ${f2(r.ours.seconds / r.ee.seconds)} | ${r.diff} |`
        : '– | – | – | – |'),
  );
}
