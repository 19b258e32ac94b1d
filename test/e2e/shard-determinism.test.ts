/**
 * Scale-out: `ntl run --shard i/N` + `ntl merge` with small row bands (256 rows → the VIIRS-like years split in 6
 * bands, DMSP-like in 3) writes byte-identical outputs for 1, 3 and 7 shards and for the single-machine run; a
 * missing unit is one clear error; a shard killed mid-way and run again (only it) gives the same result.
 *
 * The runs use the demo pipeline cut to 2016–2020: 5 VIIRS-like years × 6 bands + 3 DMSP-like years × 3 bands =
 * 39 units, which 7 shards split unevenly (7/5 units, and uneven costs). Every other section and output of the demo
 * stays (harmonise on the 2018–2020 overlap, inequality, gap, spatial, all estimates, three formats, wide panel,
 * maps, report), so the same code runs as for the whole demo at half the work. The single-machine reference is
 * computed once, in beforeAll. Timeouts: about 3× the time measured on two busy cores.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCommand } from '../../src/cli/run-command.js';
import { mergeCommand } from '../../src/cli/merge-command.js';
import { setWriteFaultForTests } from '../../src/output/atomic.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('shard');
const DEMO = 'pipelines/hunan-demo.yaml';
const BAND = ['--band-rows', '256', '--quiet'];

type Spec = Record<string, any>;

/** The demo pipeline, changed by `edit`, written into a copy of the demo project (data and manifests). */
function demoVariant(name: string, edit: (spec: Spec) => void): string {
  const project = join(tmp, 'project');
  if (!statSync(project, { throwIfNoEntry: false })) {
    for (const d of ['data/demo', 'data/treatments', 'data-manifests/demo.yaml', 'data-manifests/treatments.yaml'])
      cpSync(d, join(project, d), { recursive: true });
    mkdirSync(join(project, 'pipelines'));
  }
  const spec = parse(readFileSync(DEMO, 'utf8')) as Spec;
  edit(spec);
  const file = join(project, 'pipelines', `${name}.yaml`);
  writeFileSync(file, stringify(spec));
  return file;
}

/** 2016–2020 of the demo; the rest unchanged. */
const cut = (spec: Spec) => {
  expect(spec.years).toEqual({ from: 2012, to: 2022 });
  spec.years = { from: 2016, to: 2020 };
};

async function cli(cmd: typeof runCommand, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '',
    stderr = '';
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

async function sharded(pipe: string, dir: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const r = await cli(runCommand, [pipe, '--out', dir, '--shard', `${i}/${n}`, ...BAND]);
    expect(r.code, r.stderr).toBe(0);
  }
  const m = await cli(mergeCommand, [pipe, '--out', dir, ...BAND]);
  expect(m.code, m.stderr).toBe(0);
}

afterEach(() => setWriteFaultForTests(null));

describe('sharded runs merge to the single-machine outputs', () => {
  const single = join(tmp, 'single');
  let pipe = '';
  let reference: Map<string, Buffer>;

  beforeAll(async () => {
    pipe = demoVariant('shards', cut);
    const r = await cli(runCommand, [pipe, '--out', single, ...BAND]);
    expect(r.code, r.stderr).toBe(0);
    reference = outputs(single);
    // all the demo's outputs, for 8 series-years: maps (raster and sum) and the estimate by exit stage too
    expect([...reference.keys()].filter((f) => f.startsWith('maps/'))).toHaveLength(16);
    expect([...reference.keys()]).toEqual(
      expect.arrayContaining([
        'panel.csv',
        'panel.parquet',
        'panel.dta',
        'panel_wide.dta',
        'harmonisation.json',
        'inequality.csv',
        'exposure.csv',
        'estimates/did.json',
        'estimates/placebo.json',
        'estimates/did_by_stage.json',
        'report.html',
      ]),
    );
  }, 150_000);

  it('--plan lists series × year × row band with costs and a balanced assignment', async () => {
    const r = await cli(runCommand, [DEMO, '--plan', '--shards', '3', ...BAND]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // 11 VIIRS-like years × 6 bands (1,380 rows) + 4 DMSP-like years × 3 bands (710 rows, zones' window).
    expect(lines.at(-4)).toMatch(/^78 units, total cost \d+/);
    expect(lines[1]).toMatch(/^viirs_like 2012 rows 0–256 \(1\/6\)\t\d+\t\d+\t\d+\t[123]$/);
    expect(lines.filter((l) => /^dmsp_like 2018 /.test(l))).toHaveLength(3);
    const loads = lines.slice(-3).map((l) => Number(/cost (\d+)$/.exec(l)![1]));
    expect(Math.max(...loads) / Math.min(...loads)).toBeLessThan(1.2);
    // the cut pipeline of the tests below: 39 units; 7 shards of 5–7 units each
    const seven = (await cli(runCommand, [pipe, '--plan', '--shards', '7', ...BAND])).stdout.trim().split('\n');
    expect(seven.at(-8)).toMatch(/^39 units, /);
    const perShard = seven.slice(-7).map((l) => Number(/^shard \d\/7: (\d+) units/.exec(l)![1]));
    expect(perShard.reduce((x, y) => x + y)).toBe(39);
    expect(new Set(perShard).size).toBeGreaterThan(1);
  });

  for (const [n, timeout] of [
    [1, 90_000],
    [3, 90_000],
    [7, 120_000],
  ] as const) {
    it(
      `single machine = ${n} shard${n > 1 ? 's' : ''}, byte for byte`,
      async () => {
        const dir = join(tmp, `n${n}`);
        await sharded(pipe, dir, n);
        const got = outputs(dir);
        expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
        for (const [f, bytes] of reference) expect(got.get(f)!.equals(bytes), `${f} with ${n} shards`).toBe(true);
      },
      timeout,
    );
  }

  it('banded panel agrees with the unbanded default run to rounding (row bands change no coverage)', async () => {
    // the panel does not depend on estimates, maps or the report: the unbanded run leaves them out
    const panelOnly = demoVariant('panel-only', (spec) => {
      cut(spec);
      delete spec.estimate;
      spec.outputs = { ...spec.outputs, formats: ['csv'], wide: false, maps: false, report: false };
    });
    const whole = join(tmp, 'whole');
    const r = await cli(runCommand, [panelOnly, '--out', whole, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const a = readFileSync(join(whole, 'panel.csv'), 'utf8').trim().split('\n');
    const b = readFileSync(join(single, 'panel.csv'), 'utf8').trim().split('\n');
    expect(b.length).toBe(a.length);
    let worst = 0;
    a.forEach((line, i) => {
      const x = line.split(','),
        y = b[i]!.split(',');
      x.forEach((v, k) => {
        if (k < 6 || v === '' || Number.isNaN(Number(v))) return expect(y[k]).toBe(v);
        worst = Math.max(worst, Math.abs(Number(v) - Number(y[k])) / Math.max(1e-300, Math.abs(Number(v))));
      });
    });
    expect(worst).toBeLessThan(1e-13);
  });

  it('a missing unit is one error naming it; the shard killed mid-way, run again alone, completes the merge identically', async () => {
    const dir = join(tmp, 'killed');
    for (const i of [1, 3]) expect((await cli(runCommand, [pipe, '--out', dir, '--shard', `${i}/3`, ...BAND])).code).toBe(0);
    let writes = 0;
    setWriteFaultForTests((target) => {
      if (target.includes('.shards') && ++writes === 4) throw new Error('killed');
    });
    const killed = await cli(runCommand, [pipe, '--out', dir, '--shard', '2/3', ...BAND]);
    expect(killed.code).toBe(1);
    setWriteFaultForTests(null);
    const early = await cli(mergeCommand, [pipe, '--out', dir, ...BAND]);
    expect(early.code).toBe(1);
    expect(early.stderr.trim().split('\n')).toHaveLength(1);
    expect(early.stderr).toMatch(/work units have no result in .*\.shards: (viirs_like|dmsp_like) \d{4} rows \d+–\d+ \(\d\/\d\)/);
    expect(early.stderr).toMatch(/--shard i\/N/);
    const again = await cli(runCommand, [pipe, '--out', dir, '--shard', '2/3', ...BAND]);
    expect(again.code, again.stderr).toBe(0);
    const [, computed, done] = /\((\d+) computed, (\d+) already done\)/.exec(again.stdout)!;
    expect(Number(done)).toBeGreaterThanOrEqual(3); // the units the killed task finished are kept
    expect(Number(computed)).toBeGreaterThan(0);
    expect((await cli(mergeCommand, [pipe, '--out', dir, ...BAND])).code).toBe(0);
    const got = outputs(dir);
    for (const [f, bytes] of reference) expect(got.get(f)!.equals(bytes), f).toBe(true);
  }, 120_000);

  it('bad --shard is one clear error', async () => {
    const r = await cli(runCommand, [pipe, '--shard', '4/3']);
    expect(r.stderr).toMatch(/--shard must be i\/N with 1 ≤ i ≤ N/);
  });
});
