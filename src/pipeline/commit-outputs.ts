/**
 * Publish a run's outputs as a set: every file is first written to a staging folder inside the output
 * folder (a full disk or a kill fails there, leaving the previous outputs untouched), then each is renamed
 * into place. Files derived from the others (the report and its tables) are built from the staged set and
 * staged with it (`stageMore`), so they are published together and never describe another run's files.
 *
 * The caller holds the folder's lock (output/folder-lock.ts) for the whole run, so no other run publishes into
 * the folder at the same time; staging folders left behind are a dead run's and are removed.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { pidAlive } from '../output/folder-lock.js';

export interface OutputFile {
  /** Path relative to the output folder, e.g. "panel.csv" or "maps/viirs_2012.png". */
  readonly rel: string;
  readonly data: string | Uint8Array;
}

const STAGING_PREFIX = '.staging-';

/** This process's staging folder name: host and pid, so a leftover one can be told from a live one. */
export function stagingName(): string {
  return `${STAGING_PREFIX}${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-${process.pid}`;
}

/** Is this staging folder (by its name) a live process's on this host? Old names (.staging-<pid>) count as this host's. */
function stagingOfLiveRun(name: string): boolean {
  const m = /^\.staging-(?:(.+)-)?(\d+)$/.exec(name);
  if (!m) return false;
  const host = m[1];
  const pid = Number(m[2]);
  if (host !== undefined && host !== hostname().replace(/[^A-Za-z0-9.-]/g, '_')) return false; // another host: we hold the lock, so it is dead
  return pid !== process.pid && pidAlive(pid);
}

/**
 * Remove staging folders left by killed runs. Called with the folder's lock held: a live run on another host
 * would hold the lock, so only staging of a live process on this host (a run from before locks, or a pid we
 * cannot judge) is left alone.
 */
export async function removeStaleStaging(outDir: string): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(outDir);
  } catch {
    return;
  }
  const dead = names.filter((n) => n.startsWith(STAGING_PREFIX) && !stagingOfLiveRun(n));
  await Promise.all(dead.map((n) => rm(join(outDir, n), { recursive: true, force: true })));
}

/** Test seam: called with the staging folder and the staged files just before they are renamed into place. */
let beforePublish: ((staging: string, rels: readonly string[]) => void | Promise<void>) | null = null;
export function setBeforePublishForTests(hook: typeof beforePublish): void {
  beforePublish = hook;
}

export interface CommitOptions {
  /**
   * More files derived from the staged ones (e.g. the report): called with the staging folder once every file
   * is in it; what it returns is staged too and published in the same set.
   */
  readonly stageMore?: (staging: string, staged: readonly OutputFile[]) => Promise<readonly OutputFile[]>;
}

export async function commitOutputs(outDir: string, files: readonly OutputFile[], opts: CommitOptions = {}): Promise<string[]> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new NtlError(`cannot create output folder ${outDir}: ${(e as Error).message}; choose a writable output folder (outputs.dir or --out)`);
  }
  const staging = join(outDir, stagingName());
  await rm(staging, { recursive: true, force: true });
  const all: OutputFile[] = [...files];
  try {
    for (const f of files) await writeFileAtomic(join(staging, f.rel), f.data);
    if (opts.stageMore) {
      const more = await opts.stageMore(staging, files);
      for (const f of more) await writeFileAtomic(join(staging, f.rel), f.data);
      all.push(...more);
    }
    await beforePublish?.(
      staging,
      all.map((f) => f.rel),
    );
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw e instanceof NtlError
      ? new NtlError(`${e.message.replace(/; the previous file.*$/, '')}; nothing was published: the previous outputs in ${outDir} are unchanged`)
      : e;
  }
  const written: string[] = [];
  for (const f of all) {
    const target = join(outDir, f.rel);
    try {
      await mkdir(dirname(target), { recursive: true });
      await rename(join(staging, f.rel), target);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why =
        err.code === 'EISDIR' || err.code === 'ENOTEMPTY' || err.code === 'EEXIST'
          ? `${target} is a folder`
          : err.code === 'ENOTDIR'
            ? `a part of ${dirname(target)} is a file`
            : err.message;
      throw new NtlError(
        `cannot publish ${f.rel} into ${outDir}: ${why}; ${written.length} of ${all.length} files were already replaced and the rest are in ${staging} — ` +
          'move the obstacle away and run again',
      );
    }
    written.push(target);
  }
  await rm(staging, { recursive: true, force: true });
  return written;
}
