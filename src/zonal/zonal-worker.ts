/**
 * Worker thread of parallel.ts: wait for a raster to read (it may be started before the zones are read), open it
 * (decoding on this thread), read one chunk of zones per message, close it when released, and wait for the next
 * raster until told to end.
 */
import { parentPort } from 'node:worker_threads';
import { NtlError } from '../errors.js';
// open.js, not the raster/index.js facade: a worker needs the reader only, not the GeoTIFF writer.
import { openRaster } from '../raster/open.js';
import { rowClippedSource } from '../raster/row-clip.js';
import type { RasterSource } from '../raster/types.js';
import type { Zone } from '../vector/types.js';
import { zonalStatistics } from './engine.js';
import type { WorkerChunk, WorkerMessage, WorkerOpen, WorkerReply, ZoneOutcome } from './parallel.js';

let open: WorkerOpen | null = null;
let source: Promise<RasterSource> | null = null;

async function run(chunk: WorkerChunk): Promise<WorkerReply> {
  if (!open || !source) throw new Error('zonal worker: a chunk came before the raster to read (internal wiring).');
  const file = await source;
  // the caller's source is the file clipped to these rows: read exactly those (rowClippedSource's view)
  const src = open.rows ? rowClippedSource(file, open.rows) : file;
  // Zones are named by their place in the chunk here, so the empty-zone lists map back even when ids repeat.
  const zones = chunk.zones.map((z, i) => ({ id: String(i), parts: z.parts, attributes: {} }) as Zone);
  const area = (_: Zone, i: number) => (chunk.areas.length > 0 && !Number.isNaN(chunk.areas[i]) ? chunk.areas[i] : null);
  const r = await zonalStatistics(src, zones, { ...open.opts, ...(chunk.areas.length > 0 ? { areaKm2: area } : {}) });
  const outside = new Set(r.empty?.outside),
    nodataOnly = new Set(r.empty?.nodataOnly); // zonalStatistics always fills empty
  const outcomes: ZoneOutcome[] = zones.map((z, i) => ({
    values: [...r.rows[i].values],
    coversRaster: z.parts.length > 0 && !outside.has(z.id),
    nodataOnly: nodataOnly.has(z.id),
  }));
  return { outcomes };
}

async function release(): Promise<void> {
  const s = source;
  source = null;
  open = null;
  await (await s?.catch(() => null))?.close();
}

async function handle(m: WorkerMessage): Promise<void> {
  if ('open' in m) {
    await release();
    open = m.open;
    source = openRaster(m.open.path, { band: m.open.band, threads: 0 });
    source.catch(() => {}); // reported by the first chunk
  } else if ('chunk' in m) {
    const reply: WorkerReply = await run(m.chunk).catch((e: unknown) => ({
      error: e instanceof Error ? e.message : String(e),
      exitCode: e instanceof NtlError ? e.exitCode : null,
    }));
    parentPort!.postMessage(reply);
  } else if ('release' in m) {
    await release();
  } else {
    await release();
    parentPort!.close();
  }
}

// one message at a time, in order
let queue = Promise.resolve();
parentPort!.on('message', (m: WorkerMessage) => {
  queue = queue.then(() => handle(m));
});
