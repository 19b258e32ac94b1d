/**
 * One flag vocabulary (docs/flags.md): every command's --help lists every flag it accepts (generated from the flag
 * spec for the panel commands, so help and parsing cannot drift); old names still work, with one warning; --where
 * filters rows on every panel command.
 */
import { describe, expect, it } from 'vitest';
import { ATT_FLAGS } from '../src/cli/att-command.js';
import { BACON_FLAGS } from '../src/cli/bacon-command.js';
import { DAGUM_FLAGS } from '../src/cli/dagum-command.js';
import { DID_FLAGS } from '../src/cli/did-command.js';
import { EVENTSTUDY_FLAGS } from '../src/cli/eventstudy-command.js';
import { EXPOSURE_FLAGS } from '../src/cli/exposure-command.js';
import { FETCH_FLAGS } from '../src/cli/fetch-command.js';
import { acceptedNames, type FlagTable } from '../src/cli/flags.js';
import { GAP_FLAGS } from '../src/cli/gap-command.js';
import { INEQUALITY_FLAGS } from '../src/cli/inequality-command.js';
import { INIT_FLAGS } from '../src/cli/init-command.js';
import { PANEL_FLAGS } from '../src/cli/panel-command.js';
import { PLACEBO_FLAGS } from '../src/cli/placebo-command.js';
import { PSM_FLAGS } from '../src/cli/psm-command.js';
import { SPILLOVER_FLAGS } from '../src/cli/spillover-command.js';
import { FLAGS as ZONAL_FLAGS } from '../src/cli/zonal-command.js';
import { FLAGS as RUN_FLAGS } from '../src/cli/run-command.js';
import { FLAGS as MERGE_FLAGS } from '../src/cli/merge-command.js';
import { FLAGS as SLURM_FLAGS } from '../src/cli/slurm-command.js';
import { FLAGS as REPORT_FLAGS } from '../src/cli/report-command.js';
import { FLAGS as ADJACENCY_FLAGS } from '../src/cli/adjacency-command.js';
import { ADD_FLAGS as MANIFEST_ADD_FLAGS } from '../src/cli/manifest-command.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/** Commands whose help is generated from a flag table. */
const GENERATED: Record<string, FlagTable> = {
  did: DID_FLAGS, eventstudy: EVENTSTUDY_FLAGS, placebo: PLACEBO_FLAGS, 'psm-did': PSM_FLAGS, spillover: SPILLOVER_FLAGS,
  bacon: BACON_FLAGS, att: ATT_FLAGS, dagum: DAGUM_FLAGS, inequality: INEQUALITY_FLAGS, gap: GAP_FLAGS, exposure: EXPOSURE_FLAGS,
  panel: PANEL_FLAGS, fetch: FETCH_FLAGS, init: INIT_FLAGS,
};
/** Commands with hand-written help: checked against the flags their parser accepts. */
const WRITTEN: Record<string, readonly string[]> = {
  zonal: Object.keys(ZONAL_FLAGS), run: Object.keys(RUN_FLAGS), merge: Object.keys(MERGE_FLAGS), slurm: Object.keys(SLURM_FLAGS),
  report: Object.keys(REPORT_FLAGS), adjacency: Object.keys(ADJACENCY_FLAGS), manifest: [...Object.keys(MANIFEST_ADD_FLAGS), 'data-dir'],
};
/** `ntl calibrate` is being rewritten into verbs elsewhere; its help is checked there. */
const ELSEWHERE = ['calibrate'];

const lists = (help: string, name: string) => new RegExp(`--${name.replace(/[-]/g, '\\-')}(?![\\w-])`).test(help);
const GLOBAL = new Set(['help', 'debug']);

describe('help lists every flag a command accepts', () => {
  it('every command is covered', async () => {
    const usage = (await runCli(['--help'])).stdout;
    const commands = [...usage.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(20);
    expect(commands.filter((c) => !(c in GENERATED) && !(c in WRITTEN) && !ELSEWHERE.includes(c))).toEqual([]);
  });

  for (const [command, table] of Object.entries(GENERATED)) {
    it(`${command} (generated from its flag spec; old names listed too)`, async () => {
      const help = (await runCli([command, '--help'])).stdout;
      const missing = acceptedNames(table).filter((n) => !lists(help, n));
      expect(missing).toEqual([]);
      expect(help).toMatch(/--debug/);
      expect(help).toMatch(/--version/);
    });
  }
  for (const [command, names] of Object.entries(WRITTEN)) {
    it(`${command} (hand-written help)`, async () => {
      const help = (await runCli([command, '--help'])).stdout;
      expect(names.filter((n) => !GLOBAL.has(n) && !lists(help, n))).toEqual([]);
    });
  }
});

describe('the vocabulary', () => {
  it('panel commands take --unit, --time, --y (exposure: no outcome) and --where; one name for weights and table format', () => {
    for (const [command, table] of Object.entries(GENERATED)) {
      if (['panel', 'fetch', 'init'].includes(command)) continue;
      const names = Object.keys(table);
      const need = command === 'exposure' ? ['unit', 'time', 'where'] : ['panel', 'y', 'unit', 'time', 'where'];
      expect([command, need.filter((n) => !names.includes(n))]).toEqual([command, []]);
      // gap keeps --by: further key columns next to the --time period (e.g. --by source).
      const old = ['value', 'weight', 'table', 'out-dir', 'formats', 'concurrency', 'jobs', ...(command === 'gap' ? [] : ['by'])];
      expect([command, names.filter((n) => old.includes(n))]).toEqual([command, []]);
    }
    // The weights flag and the table-format flag have one name wherever they exist.
    expect(Object.keys(DID_FLAGS)).toContain('weights');
    expect(Object.keys(DAGUM_FLAGS)).toContain('weights');
    for (const t of [DID_FLAGS, BACON_FLAGS, ATT_FLAGS, DAGUM_FLAGS, PANEL_FLAGS]) expect(Object.keys(t)).toContain('format');
    for (const t of [PANEL_FLAGS, FETCH_FLAGS, PLACEBO_FLAGS]) expect(Object.keys(t)).toContain('threads');
  });
});

describe('old names: a warning, then the same result', () => {
  const did = ['did', '--panel', 'test/fixtures/did/grunfeld.csv', '--y', 'inv', '--treat', 'capital', '--unit', 'firm', '--time', 'year'];
  it('did --table md = did --format md, with one deprecation line', async () => {
    const now = await runCli([...did, '--format', 'md']);
    const old = await runCli([...did, '--table', 'md']);
    expect(now.code).toBe(0);
    expect(old.code).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(old.stderr).toBe(`ntl: warning: --table is deprecated; use --format (see docs/flags.md)\n${now.stderr}`);
    const both = await runCli([...did, '--format', 'md', '--table', 'md']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/ntl did: --table is the old name of --format; give one of them/);
  });

  it('dagum / inequality --value --by --weight = --y --time --weights', async () => {
    const base = ['--panel', 'test/goldens/inequality-hunan-input.csv', '--group', 'parent_id'];
    for (const command of ['dagum', 'inequality']) {
      const now = await runCli([command, ...base, '--y', 'mean', '--time', 'year', '--weights', 'area_km2']);
      const old = await runCli([command, ...base, '--value', 'mean', '--by', 'year', '--weight', 'area_km2']);
      expect([command, now.code, old.code]).toEqual([command, 0, 0]);
      expect(old.stdout).toBe(now.stdout);
      for (const [o, n] of [['value', 'y'], ['by', 'time'], ['weight', 'weights']]) expect(old.stderr).toContain(`ntl: warning: --${o} is deprecated; use --${n}`);
    }
  });

  it('gap --value = gap --y; --time names the period (the old --by year still works)', async () => {
    const base = ['gap', '--panel', 'test/goldens/inequality-hunan-input.csv'];
    const now = await runCli([...base, '--y', 'mean', '--time', 'year']);
    const old = await runCli([...base, '--value', 'mean', '--by', 'year']);
    expect([now.code, old.code]).toEqual([0, 0]);
    expect(old.stdout).toBe(now.stdout);
    expect(old.stderr).toMatch(/--value is deprecated; use --y/);
  });

  it('panel --out-dir --formats --concurrency = --out --format --threads (same files)', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir('flags');
    const base = ['panel', '--zones', 'data/demo/hunan_counties.geojson', '--id', 'Code_County', '--raster', 'viirs:2012=data/demo/viirs_like/2012_8bit_hunan.tif', '--stats', 'sum', '--quiet'];
    const now = await runCli([...base, '--out', join(dir, 'new'), '--format', 'csv', '--threads', '1']);
    const old = await runCli([...base, '--out-dir', join(dir, 'old'), '--formats', 'csv', '--concurrency', '1']);
    expect([now.code, old.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'old', 'panel.csv'), 'utf8')).toBe(readFileSync(join(dir, 'new', 'panel.csv'), 'utf8'));
    for (const [o, n] of [['out-dir', 'out'], ['formats', 'format'], ['concurrency', 'threads']]) expect(old.stderr).toContain(`ntl: warning: --${o} is deprecated; use --${n}`);
    expect(now.stderr).not.toMatch(/deprecated/);
  }, 60_000);

  it('fetch --jobs, init --out-dir: warned, then read as --threads / --outputs-dir', async () => {
    const f = await runCli(['fetch', 'no-such-manifest.yaml', '--jobs', '2']);
    expect(f.stderr).toMatch(/^ntl: warning: --jobs is deprecated; use --threads/);
    expect(f.stderr).toMatch(/no-such-manifest\.yaml/);
    const bad = await runCli(['fetch', 'no-such-manifest.yaml', '--jobs', '99']);
    expect(bad.stderr).toMatch(/ntl fetch: --threads must be a whole number 1-16, got "99"/);
    const i = await runCli(['init', '--out-dir', 'results/x']);
    expect(i.stderr).toMatch(/^ntl: warning: --out-dir is deprecated; use --outputs-dir/);
    expect(i.stderr).toMatch(/ntl init: missing --zones, --id, --rasters/);
  });
});

describe('--where on every panel command', () => {
  it('did: --where keeps the rows, --drop drops them (the same sample either way)', async () => {
    const panel = 'test/fixtures/did/staggered.csv';
    const args = ['--panel', panel, '--y', 'y', '--treat', 'D', '--unit', 'unit', '--time', 'year'];
    const all = JSON.parse((await runCli(['did', ...args])).stdout) as { n: number };
    const one = await runCli(['did', ...args, '--where', 'province=1']);
    expect(one.code).toBe(0);
    const r = JSON.parse(one.stdout) as { n: number };
    expect(r.n).toBeGreaterThan(0);
    expect(r.n).toBeLessThan(all.n);
    // 16 provinces: dropping the other 15 leaves the --where sample.
    const drops = Array.from({ length: 15 }, (_, i) => ['--drop', `province=${i + 2}`]).flat();
    const viaDrop = JSON.parse((await runCli(['did', ...args, ...drops])).stdout) as Record<string, unknown>;
    expect({ ...viaDrop, notes: [] }).toEqual({ ...r, notes: [] });
    const none = await runCli(['did', ...args, '--where', 'province=99']);
    expect(none.stderr).toMatch(/no row has province=99; check the --where values/);
  });

  it('bacon and att: --where is accepted and filters the panel', async () => {
    const panel = 'test/fixtures/did/staggered.csv';
    for (const [command, extra] of [['bacon', ['--treat', 'D']], ['att', ['--cohort', 'cohort']]] as const) {
      const r = await runCli([command, '--panel', panel, '--y', 'y', '--unit', 'unit', '--time', 'year', ...extra, '--where', 'province=99']);
      expect([command, r.stderr]).toEqual([command, expect.stringMatching(/no row has province=99/)]);
    }
  });

  it('gap --where keeps only those rows in the output', async () => {
    const r = await runCli(['gap', '--panel', 'test/goldens/inequality-hunan-input.csv', '--y', 'mean', '--time', 'year', '--where', 'year=2012']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('unit_id,parent_id,year,mean,area_km2,mean_gap');
    expect(lines.slice(1).every((l) => l.split(',')[2] === '2012')).toBe(true);
  });
});
