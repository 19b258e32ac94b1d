/**
 * Decode benchmark: geotiff.js vs our streaming reader vs GDAL on a whole-China 8-bit LZW raster.
 *   npx tsx scripts/bench/decode.ts [path] [threads] [passes]        (an empty "" path or threads: the default)
 * path defaults to $NTL_DATA_DIR/chen2021_npp_viirs_like_china_8bit/full_china/2022_8bit.tif; threads to the
 * number of cores; passes (timed, best kept) to 3.
 * Each variant runs in its own child process so peak RSS (maxRSS) is per variant, and each is measured the same
 * way: one untimed warm-up pass (starts the workers, loads the code), then the best of `passes` timed passes.
 * - geotiff.js `readRasters` with its worker `Pool` of `threads` workers (its fair configuration), and without
 *   a pool (one thread, the way most code calls it): both decode the whole band into one array.
 * - ours: openRaster with `threads` decode workers, streaming row bands and summing valid pixels.
 * The sums of all variants are compared (a correctness check of both readers).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchRaster, CHEN_2022 } from './inputs.js';

interface Result {
  variant: string;
  ms: number;
  cpuMs: number;
  warmMs: number;
  sum: number;
  rssMB: number;
  pixels: number;
}

interface Pass {
  ms: number;
  cpuMs: number;
  sum: number;
  pixels: number;
}

/** One untimed warm-up pass, then the best (least wall time) of `passes` timed ones. */
async function warmBest(passes: number, pass: () => Promise<Pass>): Promise<{ best: Pass; warmMs: number }> {
  const warm = await pass();
  let best: Pass = { ...warm, ms: Infinity };
  for (let i = 0; i < passes; i++) {
    const p = await pass();
    if (p.ms < best.ms) best = p;
  }
  return { best, warmMs: warm.ms };
}

async function timed(f: () => Promise<{ sum: number; pixels: number }>): Promise<Pass> {
  const c0 = process.cpuUsage(); // process-wide: includes the worker threads
  const t0 = performance.now();
  const r = await f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, ...r };
}

async function runVariant(variant: string, path: string, threads: number, passes: number): Promise<Result> {
  let r: { best: Pass; warmMs: number };
  if (variant === 'geotiff' || variant === 'geotiff-pool') {
    const { fromFile, Pool } = await import('geotiff');
    const pool = variant === 'geotiff-pool' ? new Pool(threads) : undefined;
    r = await warmBest(passes, () =>
      timed(async () => {
        const tiff = await fromFile(path);
        const img = await tiff.getImage();
        const rasters = (await img.readRasters({ samples: [0], ...(pool ? { pool } : {}) })) as unknown as ArrayLike<number>[];
        const a = rasters[0];
        let sum = 0;
        for (let i = 0; i < a.length; i++) sum += a[i];
        await tiff.close();
        return { sum, pixels: a.length };
      }),
    );
    pool?.destroy();
  } else {
    const { openRaster, shutdownDecodePool } = await import('../../src/raster/index.js');
    r = await warmBest(passes, () =>
      timed(async () => {
        const src = await openRaster(path, { threads });
        let sum = 0,
          pixels = 0;
        for await (const b of src.bands()) {
          const d = b.data;
          for (let i = 0; i < d.length; i++) sum += d[i];
          pixels += d.length;
        }
        await src.close();
        return { sum, pixels };
      }),
    );
    await shutdownDecodePool();
  }
  const { best, warmMs } = r;
  return { variant, ms: best.ms, cpuMs: best.cpuMs, warmMs, sum: best.sum, pixels: best.pixels, rssMB: process.resourceUsage().maxRSS / 1024 };
}

function gdalTime(path: string): { ms: number; wallMs: number } | null {
  const py = '/usr/bin/python3';
  const code = `import time\nfrom osgeo import gdal\nt=time.time()\na=gdal.Open(${JSON.stringify(path)}).ReadAsArray()\nprint((time.time()-t)*1000)`;
  try {
    const t0 = performance.now();
    const out = execFileSync(py, ['-c', code], { encoding: 'utf8' });
    return { ms: Number(out.trim()), wallMs: performance.now() - t0 };
  } catch {
    return null;
  }
}

async function main() {
  const [, , a1, a2, a3, a4, a5] = process.argv;
  if (a1 === '--variant') {
    const r = await runVariant(a2, a3, Number(a4), Number(a5));
    process.stdout.write(JSON.stringify(r));
    return;
  }
  const path = benchRaster(a1 || undefined, CHEN_2022, 'npx tsx scripts/bench/decode.ts [path] [threads] [passes]'); // "" also means the default
  const threads = Number(a2 || availableParallelism());
  const passes = Number(a3 || 3);
  const self = fileURLToPath(import.meta.url);
  const run = (variant: string): Result => {
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--variant', variant, path, String(threads), String(passes)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${variant} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Result;
  };
  const ours = run('ours');
  const pool = run('geotiff-pool');
  const single = run('geotiff');
  const mpx = ours.pixels / 1e6;
  const line = (name: string, r: Result) =>
    `${name.padEnd(36)} ${r.ms.toFixed(0).padStart(6)} ms wall, ${r.cpuMs.toFixed(0).padStart(6)} ms CPU  (${(mpx / (r.ms / 1000)).toFixed(0)} Mpx/s)  ` +
    `peak RSS ${r.rssMB.toFixed(0)} MB  (warm-up pass ${r.warmMs.toFixed(0)} ms)`;
  console.log(`file: ${path} (${mpx.toFixed(1)} Mpx), threads: ${threads}, best of ${passes} warm passes`);
  console.log(line(`geotiff.js readRasters, Pool(${threads})`, pool));
  console.log(line('geotiff.js readRasters, no pool', single));
  console.log(line('ours, streaming bands + sum', ours));
  console.log(`ratio geotiff.js Pool / ours: ${(pool.ms / ours.ms).toFixed(1)}×; no pool / ours: ${(single.ms / ours.ms).toFixed(1)}×`);
  const sums = [ours.sum, pool.sum, single.sum];
  console.log(`checksums ${sums.every((x) => x === ours.sum) ? `equal (${ours.sum})` : `DIFFER (${sums.join(' / ')})`}`);
  const g = gdalTime(path);
  console.log(
    `load average now: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores (wall times are noisy when others run)`,
  );
  if (g) console.log(`GDAL (python, ReadAsArray whole raster): ${g.ms.toFixed(0)} ms in-process, ${g.wallMs.toFixed(0)} ms wall incl. python start-up`);
}

await main();
