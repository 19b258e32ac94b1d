/**
 * Atomic file output: write to a temporary sibling, fsync, then rename over the target, so a
 * killed run never leaves a half-written file and a previous output stays intact on failure.
 */
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { NtlError } from '../errors.js';

/**
 * Test seam: a hook called before each file is written; it may throw (e.g. an ENOSPC error) to simulate a
 * full disk. Never set in production code paths.
 */
let writeFault: ((target: string) => void) | null = null;
export function setWriteFaultForTests(hook: ((target: string) => void) | null): void {
  writeFault = hook;
}

export function tempSiblingPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(target);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new NtlError(`cannot create output folder ${dir}: ${(e as Error).message}; choose a writable --out location`);
  }
  const tmp = tempSiblingPath(target);
  let handle;
  try {
    handle = await open(tmp, 'wx');
    writeFault?.(target);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, target);
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOSPC' ? 'the disk is full' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.message;
    throw new NtlError(`cannot write ${target}: ${why}; the previous file (if any) is unchanged — free space or choose another --out`);
  }
}
