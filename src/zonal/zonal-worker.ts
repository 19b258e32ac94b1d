/**
 * Worker thread of parallel.ts: wait for its job (it may be started before the zones are read), then open the
 * raster (decoding on this thread) and read one group of zones.
 */
import { parentPort } from 'node:worker_threads';
import { NtlError } from '../errors.js';
import { openRaster } from '../raster/index.js';
import type { Zone } from '../vector/types.js';
import { zonalStatistics } from './engine.js';
import type { WorkerJob, WorkerReply, ZoneOutcome } from './parallel.js';

async function run(job: WorkerJob): Promise<WorkerReply> {
  const source = await openRaster(job.path, { band: job.band, threads: 0 });
  try {
    // Zones are named by their place in the group here, so the empty-zone lists map back even when ids repeat.
    const zones = job.zones.map((z, i) => ({ id: String(i), parts: z.parts, attributes: {} }) as Zone);
    const area = (_: Zone, i: number) => (job.areas.length > 0 && !Number.isNaN(job.areas[i]) ? job.areas[i] : null);
    const r = await zonalStatistics(source, zones, { ...job.opts, ...(job.areas.length > 0 ? { areaKm2: area } : {}) });
    const outside = new Set(r.empty?.outside),
      nodataOnly = new Set(r.empty?.nodataOnly); // zonalStatistics always fills empty
    const outcomes: ZoneOutcome[] = zones.map((z, i) => ({
      values: [...r.rows[i].values],
      coversRaster: z.parts.length > 0 && !outside.has(z.id),
      nodataOnly: nodataOnly.has(z.id),
    }));
    return { outcomes };
  } finally {
    await source.close();
  }
}

parentPort!.once('message', (job: WorkerJob) =>
  run(job).then(
    (reply) => parentPort!.postMessage(reply),
    (e: unknown) =>
      parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e), exitCode: e instanceof NtlError ? e.exitCode : null } satisfies WorkerReply),
  ),
);
