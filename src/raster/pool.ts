/**
 * A process-wide pool of decode workers, shared by all open rasters (so opening many small files does not
 * pay a worker start-up each). Idle workers are unref'd: they never keep the process alive, and they are
 * terminated after a short idle period once no open raster uses the pool.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { DecodeTask, TaskResult } from './decode-task.js';

interface Pending {
  readonly task: DecodeTask;
  readonly resolve: (r: TaskResult) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: Pending | null;
  id: number;
}

const IDLE_TERMINATE_MS = 3000;

/**
 * Start a decode worker. From dist/ the sibling decode-worker.js runs as is. From source (vitest, tsx) the
 * worker is a .ts file: Node 20 applies neither `--import tsx` nor inherited loader hooks to a worker's
 * entry module, so a two-line eval bootstrap registers tsx inside the worker and then imports the .ts file.
 */
function startWorker(): Worker {
  return startModuleWorker(new URL('./decode-worker.js', import.meta.url));
}

/**
 * Start a worker on module `jsUrl` (a sibling `.js` URL of the caller); from source, the `.ts` beside it through
 * tsx (see startWorker). Also used by src/zonal/parallel.ts.
 */
export function startModuleWorker(jsUrl: URL, workerData?: unknown): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(jsUrl, { workerData });
  const entry = jsUrl.href.replace(/\.js$/, '.ts');
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private users = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private seq = 0;

  get size(): number {
    return this.slots.length;
  }

  /** Register a user that wants `threads` workers; grows the pool if needed. */
  acquire(threads: number): void {
    this.users++;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    while (this.slots.length < threads) this.spawn();
  }

  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users === 0 && !this.idleTimer) {
      this.idleTimer = setTimeout(() => void this.terminate(), IDLE_TERMINATE_MS);
      this.idleTimer.unref();
    }
  }

  run(task: DecodeTask): Promise<TaskResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  async terminate(): Promise<void> {
    this.idleTimer = null;
    const slots = this.slots.splice(0);
    for (const p of this.queue.splice(0)) p.reject(new Error('decode pool terminated'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    const worker = startWorker();
    const slot: Slot = { worker, busy: null, id: 0 };
    worker.unref();
    worker.on('message', (msg: { id: number; failure?: TaskResult['failure']; out?: ArrayBuffer; error?: string }) => {
      const p = slot.busy;
      if (!p || msg.id !== slot.id) return;
      slot.busy = null;
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve({ out: msg.out!, failure: msg.failure ?? null });
      this.dispatch();
    });
    worker.on('error', (e) => this.fail(slot, e));
    worker.on('exit', (code) => {
      if (slot.busy) this.fail(slot, new Error(`decode worker exited with code ${code}`));
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
    });
    this.slots.push(slot);
  }

  private fail(slot: Slot, e: Error): void {
    const p = slot.busy;
    slot.busy = null;
    if (p) p.reject(e);
  }

  private dispatch(): void {
    if (this.slots.length === 0 && this.queue.length > 0) this.spawn(); // a worker died: replace it
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.busy) continue;
      const p = this.queue.shift()!;
      slot.busy = p;
      slot.id = ++this.seq;
      slot.worker.ref(); // a task in flight must keep the process alive until it answers
      slot.worker.postMessage({ id: slot.id, task: p.task }, [p.task.comp]);
    }
    for (const slot of this.slots) if (!slot.busy) slot.worker.unref();
  }
}

let shared: DecodePool | null = null;

export function sharedPool(): DecodePool {
  shared ??= new DecodePool();
  return shared;
}

export function defaultThreads(): number {
  return availableParallelism();
}

/** Stop all decode workers now (tests, or a CLI that wants a prompt exit). */
export async function shutdownDecodePool(): Promise<void> {
  const p = shared;
  shared = null;
  if (p) await p.terminate();
}
