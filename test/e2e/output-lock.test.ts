/**
 * Issue 15: one writer per output folder (src/output/folder-lock.ts). A held lock refuses a second holder naming
 * it; a stale lock (dead pid on this host; no heartbeat for the bound on another host; unreadable and old) is
 * reclaimed with a warning; a live one never is; release removes only its own lock.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockOutputFolder, pidAlive, shortTime, withFolderLock } from '../../src/output/folder-lock.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('lock');
let n = 0;
const folder = () => join(tmp, `f${n++}`);

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function message(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => '',
    (e: Error) => e.message,
  );
}

describe('output folder lock', () => {
  it('is exclusive: the second taker fails at once naming the holder; release frees it', async () => {
    const dir = folder();
    const lock = await lockOutputFolder(dir, { command: 'ntl run pipelines/a.yaml' });
    const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, host: hostname(), command: 'ntl run pipelines/a.yaml' });
    const err = await message(lockOutputFolder(dir, { command: 'ntl run b.yaml' }));
    expect(err).toBe(
      `${dir} is being written by ntl run pipelines/a.yaml (pid ${process.pid} on host ${hostname()}, started ${shortTime(info.started)}); wait for it to finish or choose another --out`,
    );
    expect(shortTime(info.started)).toMatch(/^\d\d:\d\d:\d\d$/);
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await withFolderLock(dir, {}, async () => expect(existsSync(join(dir, LOCK_FILE))).toBe(true));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("a dead process's lock on this host is reclaimed with a warning", async () => {
    const dir = folder();
    const pid = deadPid();
    expect(pidAlive(pid)).toBe(false);
    await lockOutputFolder(dir).then((l) => l.release());
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), started: '2024-03-01T12:03:04.000Z', command: 'ntl run old.yaml' }));
    const warnings: string[] = [];
    const lock = await lockOutputFolder(dir, { warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      `reclaimed the lock on ${dir} left by ntl run old.yaml (pid ${pid} on host ${hostname()}, started ${shortTime('2024-03-01T12:03:04.000Z')}), which is no longer running; its unfinished files are removed`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it.runIf(existsSync('/proc/self/stat'))('an exited process not yet reaped (zombie) counts as gone', async () => {
    // `sleep 0` exits while its parent (sh exec'd into `sleep 5`) never reaps it
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
      await new Promise((r) => setTimeout(r, 200));
      expect(pidAlive(pid)).toBe(false);
      expect(pidAlive(parent.pid!)).toBe(false); // alive, but `sleep` is not an ntl (node) process
      expect(pidAlive(process.pid)).toBe(true);
    } finally {
      parent.kill();
    }
  });

  it('another host: refused while its heartbeat is fresh, reclaimed after the bound', async () => {
    const dir = folder();
    await lockOutputFolder(dir).then((l) => l.release());
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'other-node-17', started: new Date().toISOString(), command: 'ntl merge p.yaml' }));
    expect(await message(lockOutputFolder(dir))).toMatch(
      /is being written by ntl merge p\.yaml \(pid 1 on host other-node-17, started \d\d:\d\d:\d\d\); wait for it to finish or choose another --out \(if that run is dead, delete .*\.ntl-lock\)$/,
    );
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(file, old, old);
    const warnings: string[] = [];
    const lock = await lockOutputFolder(dir, { warn: (w) => warnings.push(w) });
    expect(warnings[0]).toMatch(/left by ntl merge p\.yaml \(pid 1 on host other-node-17, .*\), which has not refreshed it for 120 minutes/);
    await lock.release();
  });

  it('an unreadable lock is left alone while it may be being written, reclaimed when old', async () => {
    const dir = folder();
    await lockOutputFolder(dir).then((l) => l.release());
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, '');
    expect(await message(lockOutputFolder(dir, { outFlag: '--out-dir' }))).toMatch(
      /is being written by another ntl command \(its lock file is being written\); wait for it to finish or choose another --out-dir/,
    );
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const lock = await lockOutputFolder(dir);
    await lock.release();
  });

  it('the heartbeat refreshes the lock; release never deletes a lock that is not its own', async () => {
    const dir = folder();
    const lock = await lockOutputFolder(dir, { heartbeatMs: 20 });
    const file = join(dir, LOCK_FILE);
    const old = new Date(Date.now() - 3600_000);
    utimesSync(file, old, old);
    await new Promise((r) => setTimeout(r, 120));
    expect(Date.now() - (await import('node:fs')).statSync(file).mtimeMs).toBeLessThan(10_000);
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'elsewhere', started: new Date().toISOString(), command: 'ntl run x' }));
    await lock.release();
    expect(existsSync(file)).toBe(true);
  });
});
