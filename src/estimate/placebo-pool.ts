/**
 * Placebo draws across worker threads: draws are cut into chunks handed out on demand; each draw's stream
 * depends only on (seed, index), so the result is the same for any number of workers (tested).
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NtlError } from '../errors.js';
import { placeboRange, type PlaceboSetup } from './placebo.js';

/** As src/raster/pool.ts: from dist/ the .js worker runs as is; from .ts sources a tsx-registering bootstrap. */
function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(new URL('./placebo-worker.js', import.meta.url));
  const entry = new URL('./placebo-worker.ts', import.meta.url).href;
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

export async function runPlaceboDraws(setup: PlaceboSetup, seed: number, draws: number, threads = availableParallelism()): Promise<Float64Array> {
  const out = new Float64Array(draws);
  const workers = Math.max(1, Math.min(threads, Math.ceil(draws / 16)));
  if (workers === 1) return placeboRange(setup, seed, 0, draws);
  const chunk = Math.max(4, Math.ceil(draws / (workers * 8)));
  let next = 0;
  const pool = Array.from({ length: workers }, startWorker);
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= draws) {
                resolve();
                return;
              }
              const from = next;
              const to = Math.min(draws, from + chunk);
              next = to;
              w.postMessage({ seed, from, to });
            };
            w.on('message', (m: { from: number; betas?: Float64Array; error?: string }) => {
              if (m.error !== undefined) return reject(new NtlError(`placebo draw failed: ${m.error}`));
              out.set(m.betas!, m.from);
              send();
            });
            w.on('error', reject);
            w.postMessage({ setup });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return out;
}
