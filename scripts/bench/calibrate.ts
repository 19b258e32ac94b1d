/**
 * Calibration benchmark: a full per-window chain (inter-calibration Elvidge 2014 F182012 → VIIRS-style denoise
 * with threshold and cap) streamed from the China-extent raster into a tiled DEFLATE float32 GeoTIFF, against a
 * plain streamed read of the same file, in the same run. Each variant runs in its own child process (peak RSS
 * per variant); 3 alternating runs, medians.
 *   npx tsx scripts/bench/calibrate.ts [path] [threads]
 * path defaults to $NTL_DATA_DIR/chen2021_npp_viirs_like_china_8bit/full_china/2022_8bit.tif (scripts/bench/inputs.ts).
 * Target: chain ≤ 2 × plain read.
 *   npx tsx scripts/bench/calibrate.ts --seam-raster OUT.tif [width height]   (see seamRaster below)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRaster, CHEN_2022 } from './inputs.js';

/** Alternating runs per variant (odd: the median is one run). */
const RUNS = 5;

async function child(variant: string, path: string, threads: number): Promise<void> {
  const { openRaster, shutdownDecodePool } = await import('../../src/raster/index.js');
  const t0 = performance.now();
  let check = 0;
  if (variant === 'read') {
    const src = await openRaster(path, { threads });
    for await (const b of src.bands()) for (let i = 0; i < b.data.length; i += 64) check += b.data[i] as number;
    await src.close();
  } else {
    const { buildCalibrateChain } = await import('../../src/calibrate/chain.js');
    const { writeCalibratedRaster } = await import('../../src/calibrate/write-calibrated.js');
    const chain = buildCalibrateChain(
      [
        { step: 'intercalibrate', table: 'elvidge2014', satellite: 'F18', year: 2012, clamp: null },
        { step: 'viirs_denoise', threshold: 1, cap: 80 },
      ],
      'bench',
    );
    const dir = mkdtempSync(join(tmpdir(), 'ntl-bench-cal-'));
    // the code path of `ntl calibrate` and of the pipeline's calibrate stage
    await writeCalibratedRaster({ path }, {}, chain, { path: join(dir, 'out.tif'), dtype: 'float32', nodata: NaN, level: 1, predictor: 1 }, threads);
    check = chain.counts.background + chain.counts.capped;
    rmSync(dir, { recursive: true });
  }
  const ms = performance.now() - t0;
  await shutdownDecodePool();
  const cpu = process.cpuUsage(); // all threads of the process (decoders, zlib pool): steadier than wall time on a shared machine
  process.stdout.write(JSON.stringify({ variant, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMB: process.resourceUsage().maxRSS / 1024, check }) + '\n');
}

/**
 * `--seam-raster OUT.tif [width height]`: a deterministic DMSP-like uint8 raster (default 7,440 × 4,320, EPSG:4326
 * 30″, no-data 255) written row by row with the project's writer, for measuring `ntl calibrate seam`:
 *   /usr/bin/time -v node bin/ntl.js calibrate seam --input OUT.tif --out seam.tif
 * Lights: one core in ~35 % of 40 × 40 cells (amplitude 15–90 DN, radius 1.5–7 px, top-coded at 63), DN < 3 → 0,
 * a band of no-data along the top rows.
 */
async function seamRaster(out: string, width: number, height: number): Promise<void> {
  const { GeoTiffWriter } = await import('../../src/raster/write-geotiff.js');
  const cell = 40,
    cw = Math.ceil(width / cell),
    ch = Math.ceil(height / cell);
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const cores = Array.from({ length: cw * ch }, (_, k) =>
    rnd() < 0.35 ? { x: (k % cw) * cell + rnd() * cell, y: Math.floor(k / cw) * cell + rnd() * cell, a: 15 + rnd() * 75, r: 1.5 + rnd() * 5.5 } : null,
  );
  const w = await GeoTiffWriter.create(out, {
    width,
    height,
    dtype: 'uint8',
    geoTransform: [73, 1 / 120, 0, 54, 0, -1 / 120],
    crs: { proj4: '+proj=longlat +datum=WGS84 +no_defs', epsg: 4326, geographic: true, label: 'EPSG:4326' },
    nodata: 255,
    level: 1,
  });
  const rows = 64,
    buf = new Uint8Array(rows * width);
  for (let r0 = 0; r0 < height; r0 += rows) {
    const n = Math.min(rows, height - r0);
    for (let r = r0; r < r0 + n; r++) {
      const cy = Math.floor(r / cell);
      for (let c = 0; c < width; c++) {
        const cx = Math.floor(c / cell);
        let v = 0;
        for (let j = cy - 1; j <= cy + 1; j++) {
          for (let i = cx - 1; i <= cx + 1; i++) {
            if (j < 0 || j >= ch || i < 0 || i >= cw) continue;
            const k = cores[j * cw + i];
            if (k) v += k.a * Math.exp(-((c - k.x) ** 2 + (r - k.y) ** 2) / (2 * k.r * k.r));
          }
        }
        const dn = Math.min(63, Math.round(v));
        buf[(r - r0) * width + c] = r < 8 ? 255 : dn < 3 ? 0 : dn;
      }
    }
    await w.writeRows(buf, n);
  }
  await w.finish();
}

async function main(): Promise<void> {
  const [, , a, b, c] = process.argv;
  if (a === '--seam-raster') return seamRaster(b as string, Number(c ?? 7440), Number(process.argv[5] ?? 4320));
  if (a === '--child') return child(b as string, c as string, Number(process.argv[5] ?? 2));
  const path = benchRaster(a, CHEN_2022, 'npx tsx scripts/bench/calibrate.ts [path] [threads]');
  const threads = Number(b ?? 2);
  const self = fileURLToPath(import.meta.url);
  const res: Record<string, { ms: number; cpuMs: number; rssMB: number }[]> = { read: [], chain: [] };
  for (let k = 0; k < RUNS; k++) {
    for (const v of ['read', 'chain']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', v, path, String(threads)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      res[v]!.push(JSON.parse(r.stdout.trim().split('\n').pop() as string));
    }
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[RUNS >> 1] as number;
  const read = med(res.read!.map((r) => r.ms)),
    chain = med(res.chain!.map((r) => r.ms));
  console.log(`file ${path}, ${threads} decoder threads, medians of ${RUNS}`);
  console.log(`plain streamed read : ${read.toFixed(0)} ms, peak RSS ${Math.max(...res.read!.map((r) => r.rssMB)).toFixed(0)} MB`);
  console.log(
    `calibration chain   : ${chain.toFixed(0)} ms, peak RSS ${Math.max(...res.chain!.map((r) => r.rssMB)).toFixed(0)} MB (read → intercalibrate → denoise → tiled DEFLATE float32)`,
  );
  console.log(`ratio chain / read  : ${(chain / read).toFixed(2)} (target ≤ 2)`);
  const rc = med(res.read!.map((r) => r.cpuMs)),
    cc = med(res.chain!.map((r) => r.cpuMs));
  console.log(
    `CPU (all threads)   : read ${rc.toFixed(0)} ms, chain ${cc.toFixed(0)} ms, ratio ${(cc / rc).toFixed(2)} (includes ~0.3 s of tsx start-up each)`,
  );
}

await main();
