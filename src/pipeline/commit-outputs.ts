/**
 * Publish a run's outputs as a set: every file is first written to a staging folder inside the output
 * folder (a full disk or a kill fails there, leaving the previous outputs untouched), then each is renamed
 * into place.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';

export interface OutputFile {
  /** Path relative to the output folder, e.g. "panel.csv" or "maps/viirs_2012.png". */
  readonly rel: string;
  readonly data: string | Uint8Array;
}

const STAGING_PREFIX = '.staging-';

/** Remove staging folders left by killed runs. */
export async function removeStaleStaging(outDir: string): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(outDir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith(STAGING_PREFIX)).map((n) => rm(join(outDir, n), { recursive: true, force: true })));
}

export async function commitOutputs(outDir: string, files: readonly OutputFile[]): Promise<string[]> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new NtlError(`cannot create output folder ${outDir}: ${(e as Error).message}; choose a writable output folder (outputs.dir or --out-dir)`);
  }
  const staging = join(outDir, `${STAGING_PREFIX}${process.pid}`);
  try {
    for (const f of files) await writeFileAtomic(join(staging, f.rel), f.data);
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw e instanceof NtlError
      ? new NtlError(`${e.message.replace(/; the previous file.*$/, '')}; nothing was published: the previous outputs in ${outDir} are unchanged`)
      : e;
  }
  const written: string[] = [];
  for (const f of files) {
    const target = join(outDir, f.rel);
    await mkdir(dirname(target), { recursive: true });
    await rename(join(staging, f.rel), target);
    written.push(target);
  }
  await rm(staging, { recursive: true, force: true });
  return written;
}
