/**
 * The report of a run, built inside the staged set so that report.html and tables/ are published together with
 * the files they describe (commit-outputs.ts `stageMore`). The report reads a folder; it is given the staging
 * folder with the output folder's other files linked in (the folder as it will be once the set is published),
 * so it shows exactly what `ntl report <outDir>` would show afterwards. The links are removed before publishing.
 */
import { copyFile, link, lstat, readdir, stat, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NtlError } from '../errors.js';
import type { OutputFile } from './commit-outputs.js';

/** What the report writes: never linked in from the old folder (it is rebuilt). */
const REPORT_OUTPUTS = new Set(['report.html', 'tables']);

/** Link `from` (an existing file or folder) at `to`: a hard link for files where possible, else a symbolic link (or a copy). */
async function linkInto(from: string, to: string, isDir: boolean): Promise<void> {
  if (!isDir) {
    try {
      return await link(from, to);
    } catch {
      // another file system or no hard links: fall through
    }
  }
  try {
    await symlink(from, to, isDir ? (process.platform === 'win32' ? 'junction' : 'dir') : 'file');
  } catch (e) {
    if (isDir) throw e;
    await copyFile(from, to);
  }
}

/**
 * Overlay the output folder's entries that the staged set does not replace into the staging folder: whole
 * subtrees are one link; folders present in both are merged one level further. Dot entries (.cache, .shards,
 * .staging-*, the lock) are left out. Returns the links made (deepest last).
 */
async function overlay(outDir: string, staging: string, top: boolean): Promise<string[]> {
  const made: string[] = [];
  const names = await readdir(outDir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith('.') || (top && REPORT_OUTPUTS.has(name))) continue;
    const from = join(outDir, name);
    const to = join(staging, name);
    const src = await lstat(from).catch(() => null);
    if (!src) continue;
    const there = await lstat(to).catch(() => null);
    if (there === null) {
      if (src.isSymbolicLink()) {
        // a link in the folder: link to it by its absolute path, which resolves as it does there
        const target = await stat(from).catch(() => null);
        if (!target) continue;
        await symlink(from, to, target.isDirectory() ? (process.platform === 'win32' ? 'junction' : 'dir') : 'file');
      } else await linkInto(from, to, src.isDirectory());
      made.push(to);
    } else if (there.isDirectory() && src.isDirectory()) {
      made.push(...(await overlay(from, to, false)));
    }
  }
  return made;
}

/** Build the report's files (tables/*, report.html) from the staged set plus the folder's other files. */
export async function stageReport(outDir: string, staging: string): Promise<OutputFile[]> {
  const { reportFiles } = await import('../report/index.js');
  const links = await overlay(outDir, staging, true);
  try {
    return await reportFiles(staging);
  } catch (e) {
    // Messages name the folder the user knows, not the staging folder.
    if (e instanceof NtlError) throw new NtlError(e.message.split(staging).join(outDir), e.exitCode);
    throw e;
  } finally {
    for (const l of links.reverse()) await unlink(l).catch(() => undefined);
  }
}
