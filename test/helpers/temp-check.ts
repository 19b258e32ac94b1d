/**
 * vitest globalSetup: the run gets its own temp dir (TMPDIR, which os.tmpdir() and child processes read), and the
 * run fails when anything is left in it afterwards: every test cleans up (test/helpers/tmp.ts does it for you). The
 * run's folder is removed either way, so a failing run does not litter the machine, and concurrent runs do not see
 * each other's folders.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Caches that tools in child processes keep in the temp dir (tsx: `tsx-<uid>`): theirs to manage, not a test's leftover. */
const TOOL_CACHES = /^tsx-\d+$/;

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const runDir = mkdtempSync(join(tmpdir(), 'ntl-test-run-'));
  // Caches meant to outlive a run (the unpacked test Chromium) stay in the real temp dir.
  process.env.NTL_TEST_CACHE_DIR ??= tmpdir();
  process.env.TMPDIR = runDir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    const left = readdirSync(runDir)
      .filter((f) => !TOOL_CACHES.test(f))
      .sort();
    rmSync(runDir, { recursive: true, force: true });
    if (left.length) {
      throw new Error(
        `the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp dir: ${left.join(', ')}. Create temp folders with tempDir() from test/helpers/tmp.ts (removed after the file's tests), or remove them in afterAll.`,
      );
    }
  };
}
