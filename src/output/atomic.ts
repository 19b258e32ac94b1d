/**
 * Atomic file output: write to a temporary sibling, fsync, then rename over the target, so a
 * killed run never leaves a half-written file and a previous output stays intact on failure.
 */
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
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

/**
 * Why a write failed, in words, and what to do; advice about space only for a full disk or quota (ENOSPC,
 * EDQUOT), never for other errors.
 */
export function writeFailure(target: string, e: unknown): { why: string; advice: string } {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOSPC':
      return { why: 'the disk is full', advice: 'free space or choose another --out' };
    case 'EDQUOT':
      return { why: 'the disk quota is exceeded', advice: 'free space (or raise the quota) or choose another --out' };
    case 'EACCES':
    case 'EPERM':
      return { why: 'permission denied', advice: 'choose a writable --out location' };
    case 'EROFS':
      return { why: 'the file system is read-only', advice: 'choose a writable --out location' };
    case 'EISDIR':
      return { why: `${target} is a folder`, advice: `give a file name inside it, such as ${join(target, `result${extname(target) || '.csv'}`)}` };
    case 'ENOTDIR':
      return { why: `a part of the path ${dirname(target)} is a file, not a folder`, advice: 'choose another --out' };
    default:
      return { why: err?.message ?? String(e), advice: 'choose another --out or try again' };
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(target);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a part of that path is a file, not a folder' : (e as Error).message;
    throw new NtlError(`cannot create output folder ${dir}: ${why}; choose a writable --out location`);
  }
  // A folder in the way: rename would fail with EISDIR naming the temporary file; say what is wrong instead.
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) {
    const f = writeFailure(target, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
    throw new NtlError(`cannot write ${target}: ${f.why}; ${f.advice}`);
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
    const f = writeFailure(target, e);
    throw new NtlError(`cannot write ${target}: ${f.why}; the previous file (if any) is unchanged — ${f.advice}`);
  }
}
