/**
 * Scale-out: `ntl run --shard i/N` + `ntl merge` on the demo pipeline with small row bands (256 rows → the
 * VIIRS-like years split in 6 bands, DMSP-like in 3) writes byte-identical outputs for 1, 3 and 7 shards and
 * for the single-machine run; a missing unit is one clear error; a shard killed mid-way and run again
 * (only it) gives the same result.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../src/cli/run-command.js';
import { mergeCommand } from '../src/cli/merge-command.js';
import { setWriteFaultForTests } from '../src/output/atomic.js';

const tmp = mkdtempSync(join(tmpdir(), 'ntl-shard-'));
const PIPE = 'pipelines/hunan-demo.yaml';
const BAND = ['--band-rows', '256', '--quiet'];

async function cli(cmd: typeof runCommand, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  try {
    const code = await cmd(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    return { code, stdout, stderr };
  } catch (e) {
    return { code: 1, stdout, stderr: `ntl: error: ${(e as Error).message}\n` };
  }
}

/** Every output file (not run.json, whose timings differ; not the cache/shard folders) → bytes. */
function outputs(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (f.startsWith('.') || f === 'run.json') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

async function sharded(dir: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const r = await cli(runCommand, [PIPE, '--out', dir, '--shard', `${i}/${n}`, ...BAND]);
    expect(r.code, r.stderr).toBe(0);
  }
  const m = await cli(mergeCommand, [PIPE, '--out', dir, ...BAND]);
  expect(m.code, m.stderr).toBe(0);
}

afterEach(() => setWriteFaultForTests(null));

describe('sharded runs merge to the single-machine outputs', () => {
  const single = join(tmp, 'single');
  let reference: Map<string, Buffer>;

  it('--plan lists series × year × row band with costs and a balanced assignment', async () => {
    const r = await cli(runCommand, [PIPE, '--plan', '--shards', '3', ...BAND]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // 11 VIIRS-like years × 6 bands (1,380 rows) + 4 DMSP-like years × 3 bands (710 rows, zones' window).
    expect(lines.at(-4)).toMatch(/^78 units, total cost \d+/);
    expect(lines[1]).toMatch(/^viirs_like 2012 rows 0–256 \(1\/6\)\t\d+\t\d+\t\d+\t[123]$/);
    expect(lines.filter((l) => /^dmsp_like 2018 /.test(l))).toHaveLength(3);
    const loads = lines.slice(-3).map((l) => Number(/cost (\d+)$/.exec(l)![1]));
    expect(Math.max(...loads) / Math.min(...loads)).toBeLessThan(1.2);
  });

  it('single machine = 1 shard = 3 shards = 7 shards, byte for byte', async () => {
    const r = await cli(runCommand, [PIPE, '--out', single, ...BAND]);
    expect(r.code, r.stderr).toBe(0);
    reference = outputs(single);
    expect(reference.size).toBeGreaterThan(40);
    for (const n of [1, 3, 7]) {
      const dir = join(tmp, `n${n}`);
      await sharded(dir, n);
      const got = outputs(dir);
      expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [f, bytes] of reference) expect(got.get(f)!.equals(bytes), `${f} with ${n} shards`).toBe(true);
    }
  });

  it('banded panel agrees with the unbanded default run to rounding (row bands change no coverage)', async () => {
    const whole = join(tmp, 'whole');
    expect((await cli(runCommand, [PIPE, '--out', whole, '--quiet'])).code).toBe(0);
    const a = readFileSync(join(whole, 'panel.csv'), 'utf8').trim().split('\n');
    const b = readFileSync(join(single, 'panel.csv'), 'utf8').trim().split('\n');
    expect(b.length).toBe(a.length);
    let worst = 0;
    a.forEach((line, i) => {
      const x = line.split(','), y = b[i]!.split(',');
      x.forEach((v, k) => {
        if (k < 6 || v === '' || Number.isNaN(Number(v))) return expect(y[k]).toBe(v);
        worst = Math.max(worst, Math.abs(Number(v) - Number(y[k])) / Math.max(1e-300, Math.abs(Number(v))));
      });
    });
    expect(worst).toBeLessThan(1e-13);
  });

  it('a missing unit is one error naming it; the shard killed mid-way, run again alone, completes the merge identically', async () => {
    const dir = join(tmp, 'killed');
    for (const i of [1, 3]) expect((await cli(runCommand, [PIPE, '--out', dir, '--shard', `${i}/3`, ...BAND])).code).toBe(0);
    let writes = 0;
    setWriteFaultForTests((target) => {
      if (target.includes('.shards') && ++writes === 4) throw new Error('killed');
    });
    const killed = await cli(runCommand, [PIPE, '--out', dir, '--shard', '2/3', ...BAND]);
    expect(killed.code).toBe(1);
    setWriteFaultForTests(null);
    const early = await cli(mergeCommand, [PIPE, '--out', dir, ...BAND]);
    expect(early.code).toBe(1);
    expect(early.stderr.trim().split('\n')).toHaveLength(1);
    expect(early.stderr).toMatch(/work units have no result in .*\.shards: (viirs_like|dmsp_like) \d{4} rows \d+–\d+ \(\d\/\d\)/);
    expect(early.stderr).toMatch(/--shard i\/N/);
    const again = await cli(runCommand, [PIPE, '--out', dir, '--shard', '2/3', ...BAND]);
    expect(again.code, again.stderr).toBe(0);
    const [, computed, done] = /\((\d+) computed, (\d+) already done\)/.exec(again.stdout)!;
    expect(Number(done)).toBeGreaterThanOrEqual(3); // the units the killed task finished are kept
    expect(Number(computed)).toBeGreaterThan(0);
    expect((await cli(mergeCommand, [PIPE, '--out', dir, ...BAND])).code).toBe(0);
    const got = outputs(dir);
    for (const [f, bytes] of reference) expect(got.get(f)!.equals(bytes), f).toBe(true);
  });

  it('bad --shard is one clear error', async () => {
    const r = await cli(runCommand, [PIPE, '--shard', '4/3']);
    expect(r.stderr).toMatch(/--shard must be i\/N with 1 ≤ i ≤ N/);
  });
});
