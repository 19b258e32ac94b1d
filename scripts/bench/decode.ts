/**
 * Decode benchmark: stock geotiff.js vs our streaming reader vs GDAL on a full-China LZW raster.
 *   npx tsx scripts/bench/decode.ts [path] [threads]
 * path defaults to $NTL_DATA_DIR/chen2021_npp_viirs_like_china_8bit/full_china/2022_8bit.tif (scripts/bench/inputs.ts).
 * Each variant runs in its own child process so peak RSS (maxRSS) is per variant. "ours" streams row bands
 * and sums valid pixels (also a correctness check against the stock decode); stock decodes the whole image.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchRaster, CHEN_2022 } from './inputs.js';

interface Result { variant: string; ms: number; cpuMs: number; coldMs?: number; sum: number; rssMB: number; pixels: number }

async function runVariant(variant: string, path: string, threads: number): Promise<Result> {
  if (variant === 'stock') {
    const { fromFile } = await import('geotiff');
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const tiff = await fromFile(path);
    const img = await tiff.getImage();
    const rasters = (await img.readRasters({ samples: [0] })) as unknown as ArrayLike<number>[];
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const a = rasters[0];
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i];
    return { variant, ms, cpuMs: (c.user + c.system) / 1000, sum, pixels: a.length, rssMB: process.resourceUsage().maxRSS / 1024 };
  }
  const { openRaster, shutdownDecodePool } = await import('../../src/raster/index.js');
  const pass = async () => {
    const c0 = process.cpuUsage(); // process-wide: includes the worker threads
    const t0 = performance.now();
    const src = await openRaster(path, { threads });
    let sum = 0, pixels = 0;
    for await (const b of src.bands()) {
      const d = b.data;
      for (let i = 0; i < d.length; i++) sum += d[i];
      pixels += d.length;
    }
    await src.close();
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, sum, pixels };
  };
  const cold = await pass(); // includes starting the workers
  let best = { ms: Infinity, cpuMs: Infinity };
  for (let i = 0; i < 3; i++) {
    const p = await pass();
    if (p.ms < best.ms) best = p;
  }
  await shutdownDecodePool();
  return { variant, ms: best.ms, cpuMs: best.cpuMs, coldMs: cold.ms, sum: cold.sum, pixels: cold.pixels, rssMB: process.resourceUsage().maxRSS / 1024 };
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
  const [, , a1, a2, a3] = process.argv;
  if (a1 === '--variant') {
    const r = await runVariant(a2, a3, Number(process.argv[5] ?? availableParallelism()));
    process.stdout.write(JSON.stringify(r));
    return;
  }
  const path = benchRaster(a1, CHEN_2022, 'npx tsx scripts/bench/decode.ts [path] [threads]');
  const threads = Number(a2 ?? availableParallelism());
  const self = fileURLToPath(import.meta.url);
  const run = (variant: string): Result => {
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--variant', variant, path, String(threads)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${variant} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Result;
  };
  const ours = run('ours');
  const stock = run('stock');
  const mb = ours.pixels / 1e6; // uint8: 1 byte per pixel; for other dtypes MB/s is per Mpx
  console.log(`file: ${path} (${(ours.pixels / 1e6).toFixed(1)} Mpx), threads: ${threads}`);
  console.log(`stock geotiff.js readRasters: ${stock.ms.toFixed(0)} ms wall, ${stock.cpuMs.toFixed(0)} ms CPU  (${(mb / (stock.ms / 1000)).toFixed(0)} Mpx/s)  peak RSS ${stock.rssMB.toFixed(0)} MB`);
  console.log(`ours, streaming bands + sum:  ${ours.ms.toFixed(0)} ms wall, ${ours.cpuMs.toFixed(0)} ms CPU  (${(mb / (ours.ms / 1000)).toFixed(0)} Mpx/s)  peak RSS ${ours.rssMB.toFixed(0)} MB  (first pass incl. worker start: ${ours.coldMs!.toFixed(0)} ms)`);
  console.log(`speed-up: ${(stock.ms / ours.ms).toFixed(1)}×   checksums ${stock.sum === ours.sum ? 'equal' : `DIFFER (${stock.sum} vs ${ours.sum})`}`);
  const g = gdalTime(path);
  console.log(`load average now: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores (wall times are noisy when others run)`);
  if (g) console.log(`GDAL (python, ReadAsArray whole raster): ${g.ms.toFixed(0)} ms in-process, ${g.wallMs.toFixed(0)} ms wall incl. python start-up`);
}

await main();
