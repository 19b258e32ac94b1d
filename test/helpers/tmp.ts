/**
 * Temp folders for tests: one prefix (`ntl-test-<label>-`), each removed after its test file's tests (afterAll), so
 * a run leaves nothing in the temp dir. test/helpers/temp-check.ts fails the run when something is left anyway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file first imports this module (vitest isolates each file's modules).
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder in the temp dir, removed with everything in it when the test file is done. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ntl-test-${label}-`));
  made.push(dir);
  return dir;
}
