/**
 * Issue 15: two real `ntl run` processes into one output folder. The second fails at once naming the first
 * (pid, host, start time); the first is not disturbed (its staging folder survives) and publishes a complete,
 * consistent set. Needs dist/ (`npx tsc -p tsconfig.json`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/output/folder-lock.js';
import { parseCsv } from '../helpers/cli.js';
import { reducedDemo } from '../helpers/demo-copy.js';
import { tempDir } from '../helpers/tmp.js';

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function start(args: string[]): { pid: number; done: Promise<Done> } {
  const t0 = Date.now();
  const child = spawn(process.execPath, ['bin/ntl.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Done>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 })));
  return { pid: child.pid!, done };
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return cond();
}

describe('two ntl run processes on one output folder', () => {
  // Measured at 19 s on two busy shared cores (the first run most of it, the second fails in a second or two):
  // the timeout is more than 3× that.
  it('the second fails at once naming the first; the first publishes a complete set', { timeout: 90_000 }, async () => {
    const dir = tempDir('two-runs');
    const pipeline = reducedDemo(dir, { from: 2012, to: 2022, maps: true });
    const out = join(dir, 'out');
    const a = start(['run', pipeline, '--out', out, '--quiet']);
    // the second starts once the first holds the folder (a run takes the lock before anything else)
    expect(await until(() => existsSync(join(out, LOCK_FILE)), 20_000)).toBe(true);
    const b = start(['run', pipeline, '--out', out, '--quiet']);
    const second = await b.done;
    const first = await a.done;
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^ntl: error: .*out is being written by ntl run .*demo\\.yaml \\(pid ${a.pid} on host ${hostname().replace(/[.]/g, '\\.')}, started \\d\\d:\\d\\d:\\d\\d\\); wait for it to finish or choose another --out\\n$`,
      ),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.ms).toBeGreaterThan(second.ms); // the second did not wait for the first
    // one complete set: 122 counties × 11 years, the maps, the report of exactly this panel; nothing left over
    const panel = parseCsv(readFileSync(join(out, 'panel.csv'), 'utf8'));
    expect(panel.rows).toHaveLength(122 * 11);
    expect(readdirSync(join(out, 'maps'))).toHaveLength(22);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { outputs: { file: string }[] };
    expect(run.outputs.map((o) => o.file)).toContain('panel.csv');
    expect(readFileSync(join(out, 'report.html'), 'utf8').includes('<dt>Rows</dt><dd>1,342</dd>')).toBe(true);
    expect(readdirSync(out).filter((n) => n.startsWith('.staging') || n === LOCK_FILE)).toEqual([]);
    console.log(`two runs: first ${first.ms} ms, second ${second.ms} ms`);
  });
});
