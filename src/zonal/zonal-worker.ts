/** Worker thread of parallel.ts: open the raster (decoding on this thread) and read one group of zones. */
import { parentPort, workerData } from 'node:worker_threads';
import { NtlError } from '../errors.js';
import { openRaster } from '../raster/index.js';
import type { Zone } from '../vector/types.js';
import { zoneOutcomes } from './engine.js';
import { gridFromTransform } from './grid.js';
import type { WorkerJob, WorkerReply } from './parallel.js';

async function run(job: WorkerJob): Promise<WorkerReply> {
  const source = await openRaster(job.path, { band: job.band, threads: 0 });
  try {
    const grid = gridFromTransform(source.info.geoTransform, source.info.width, source.info.height, source.info.path);
    const zones = job.zones.map((z) => ({ id: z.id, parts: z.parts, attributes: {} }) as Zone);
    const area = (_: Zone, i: number) => (job.areas.length > 0 && !Number.isNaN(job.areas[i]) ? job.areas[i] : null);
    return { outcomes: await zoneOutcomes(source, grid, zones, job.windows, job.opts, area) };
  } finally {
    await source.close();
  }
}

run(workerData as WorkerJob).then(
  (reply) => parentPort!.postMessage(reply),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e), exitCode: e instanceof NtlError ? e.exitCode : null } satisfies WorkerReply),
);
