/** worker_threads entry: runs DecodeTasks posted by pool.ts. */
import { parentPort } from 'node:worker_threads';
import { decodeTask, type DecodeTask } from './decode-task.js';

interface Request {
  readonly id: number;
  readonly task: DecodeTask;
}

parentPort!.on('message', async (msg: Request) => {
  try {
    const { out, failure } = await decodeTask(msg.task);
    parentPort!.postMessage({ id: msg.id, failure, out }, [out]);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
