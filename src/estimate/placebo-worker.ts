/** Worker entry for placebo draws: receives the setup once, then ranges of draw indices. */
import { parentPort } from 'node:worker_threads';
import { placeboRange, type PlaceboSetup } from './placebo.js';

let setup: PlaceboSetup | null = null;
parentPort!.on('message', (msg: { setup?: PlaceboSetup; seed?: number; from?: number; to?: number }) => {
  if (msg.setup) {
    setup = msg.setup;
    return;
  }
  try {
    const betas = placeboRange(setup!, msg.seed!, msg.from!, msg.to!);
    parentPort!.postMessage({ from: msg.from, betas }, [betas.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ from: msg.from, error: (e as Error).message });
  }
});
