/**
 * One writer per output folder. A command that publishes a set of files into a folder (ntl run, panel, merge,
 * report) first creates DIR/.ntl-lock with O_EXCL, holding {pid, host, started, command}; a second command on
 * the same folder fails at once with a message naming the holder — it does not wait: two runs into one folder
 * are almost always a mistake (the same --out twice), and waiting would only let the second overwrite the first.
 *
 * While held, the lock file's modification time is refreshed every minute (heartbeat). A lock is stale, and is
 * reclaimed with a warning, when its process is gone: on this host, no process with its pid (or one that is no
 * longer a node process: the pid was reused); on another host (a shared file system), no heartbeat for an hour.
 * Reclaiming is serialised by a second O_EXCL file, so two runs that find the same stale lock cannot both win.
 * The lock is removed when the command ends (only by its owner).
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rmdir, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { NtlError } from '../errors.js';

export const LOCK_FILE = '.ntl-lock';
/** A lock from another host without a heartbeat for this long is stale. */
export const STALE_AFTER_MS = 60 * 60 * 1000;
export const HEARTBEAT_MS = 60 * 1000;

export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  /** ISO time the holder started. */
  readonly started: string;
  /** What holds it, e.g. "ntl run pipelines/hunan-demo.yaml". */
  readonly command: string;
}

export interface FolderLock {
  readonly file: string;
  readonly info: LockInfo;
  /** The outermost folder this lock created (mkdir -p), when the output folder did not exist before. */
  readonly created?: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** What to record as the holder (default: "ntl" + this process's arguments). */
  readonly command?: string;
  /** How the message names the way to pick another folder (default "--out"). */
  readonly outFlag?: string;
  /** Called with the warning when a stale lock is reclaimed. */
  readonly warn?: (message: string) => void;
  readonly staleAfterMs?: number;
  readonly heartbeatMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Is a process with this pid running on this host (and, where /proc tells, still a node process)? */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // Linux: an exited process not yet reaped (a zombie), or a pid reused by an unrelated program, is not our run.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z /s.test(stat)) return false;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd === '' || /node|ntl/i.test(cmd);
  } catch {
    return true;
  }
}

function defaultCommand(): string {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--debug'));
  return `ntl ${args.join(' ')}`.trim();
}

/** "12:03:04" for today, else "2024-05-01 12:03:04" (local time). */
export function shortTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'at an unknown time';
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? time : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}`;
}

function parseInfo(text: string): LockInfo | null {
  try {
    const j = JSON.parse(text) as Partial<LockInfo>;
    if (typeof j.pid !== 'number' || typeof j.host !== 'string' || typeof j.started !== 'string') return null;
    return { pid: j.pid, host: j.host, started: j.started, command: typeof j.command === 'string' ? j.command : 'ntl' };
  } catch {
    return null;
  }
}

interface Holder {
  readonly text: string;
  readonly info: LockInfo | null;
  readonly mtimeMs: number;
}

async function readHolder(file: string): Promise<Holder | null> {
  try {
    const [text, st] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, info: parseInfo(text), mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Why the holder is gone, or null while it may still be running. */
function staleReason(h: Holder, staleAfterMs: number): string | null {
  const age = Date.now() - h.mtimeMs;
  if (h.info === null) return age > 10_000 ? 'an unreadable lock file' : null; // a holder may be writing it right now
  if (h.info.host === hostname()) return pidAlive(h.info.pid) ? null : 'which is no longer running';
  return age > staleAfterMs ? `which has not refreshed it for ${Math.round(age / 60_000)} minutes` : null;
}

function describeHolder(info: LockInfo): string {
  return `${info.command} (pid ${info.pid} on host ${info.host}, started ${shortTime(info.started)})`;
}

async function writeNew(file: string, info: LockInfo): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new NtlError(`cannot create the lock file ${file}: ${(e as Error).message}; choose a writable output folder`);
  }
  try {
    await fh.writeFile(JSON.stringify(info) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

/** Remove the stale lock `seen` — only if it is still the same one — under a short-lived reclaim lock. */
async function reclaim(file: string, seen: Holder): Promise<boolean> {
  const mutex = `${file}.reclaim`;
  let fh;
  try {
    fh = await open(mutex, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = await stat(mutex).catch(() => null);
    if (st && Date.now() - st.mtimeMs > 30_000) await unlink(mutex).catch(() => undefined); // its owner died mid-reclaim
    return false;
  }
  try {
    await fh.close();
    const now = await readHolder(file);
    if (now === null) return true;
    if (now.text !== seen.text || now.mtimeMs !== seen.mtimeMs) return false;
    await unlink(file).catch(() => undefined);
    return true;
  } finally {
    await unlink(mutex).catch(() => undefined);
  }
}

/** Take the output folder's lock (creating the folder), or fail naming the run that holds it. */
export async function lockOutputFolder(dir: string, o: LockOptions = {}): Promise<FolderLock> {
  let created: string | undefined;
  try {
    created = await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a part of that path is a file, not a folder' : (e as Error).message;
    throw new NtlError(`cannot create output folder ${dir}: ${why}; choose a writable output folder (${o.outFlag ?? '--out'})`);
  }
  const file = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command: o.command ?? defaultCommand() };
  const staleAfter = o.staleAfterMs ?? STALE_AFTER_MS;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await writeNew(file, info)) return held(file, info, o.heartbeatMs ?? HEARTBEAT_MS, created);
    const h = await readHolder(file);
    if (h === null) continue; // released between our attempt and the read
    const why = staleReason(h, staleAfter);
    if (why === null) {
      const who = h.info ? describeHolder(h.info) : 'another ntl command (its lock file is being written)';
      const remote = h.info && h.info.host !== hostname() ? ` (if that run is dead, delete ${file})` : '';
      throw new NtlError(`${dir} is being written by ${who}; wait for it to finish or choose another ${o.outFlag ?? '--out'}${remote}`);
    }
    if (await reclaim(file, h)) {
      o.warn?.(`reclaimed the lock on ${dir} left by ${h.info ? describeHolder(h.info) : 'an earlier run'}, ${why}; its unfinished files are removed`);
    } else {
      await sleep(25 + attempt * 25); // another run is reclaiming it right now
    }
  }
  throw new NtlError(`cannot take the lock on ${dir}: other ntl commands keep taking it; wait for them to finish or choose another ${o.outFlag ?? '--out'}`);
}

function held(file: string, info: LockInfo, heartbeatMs: number, created?: string): FolderLock {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => undefined);
  }, heartbeatMs);
  timer.unref();
  let released = false;
  return {
    file,
    info,
    created,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const h = await readHolder(file).catch(() => null);
      // Only our own lock: after a (wrong) reclaim by another run, its lock is not ours to delete.
      if (h?.info && h.info.pid === info.pid && h.info.host === info.host && h.info.started === info.started) await unlink(file).catch(() => undefined);
    },
  };
}

/**
 * Run `fn` holding the folder's lock; released however `fn` ends. When `fn` fails, an output folder this lock
 * created is removed again if nothing was left in it (a bad input leaves no empty folder behind).
 */
export async function withFolderLock<T>(dir: string, o: LockOptions, fn: (lock: FolderLock) => Promise<T>): Promise<T> {
  const lock = await lockOutputFolder(dir, o);
  let done = false;
  try {
    const r = await fn(lock);
    done = true;
    return r;
  } finally {
    await lock.release();
    if (!done && lock.created !== undefined) await removeEmptyFolders(dir, lock.created);
  }
}

/** rmdir `dir` and its parents up to `top` (inclusive) while they are empty. */
async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  let d = resolve(dir);
  const stop = resolve(top);
  for (;;) {
    try {
      await rmdir(d);
    } catch {
      return; // not empty (or gone): keep it and everything above
    }
    if (d === stop || dirname(d) === d) return;
    d = dirname(d);
  }
}
