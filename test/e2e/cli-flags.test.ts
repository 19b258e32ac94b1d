/**
 * One flag vocabulary (docs/flags.md): every command and subcommand declares its flags once (src/cli/commands.ts);
 * its --help lists every flag of that spec and its parser accepts exactly those (so help cannot drift from parsing);
 * old names still work, with one warning; --where filters rows on every command that reads a panel; a command given
 * nothing is never silent; --version works after every command.
 */
import { describe, expect, it } from 'vitest';
import { ATT_FLAGS } from '../../src/cli/specs/att.js';
import { BACON_FLAGS } from '../../src/cli/specs/bacon.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { DAGUM_FLAGS } from '../../src/cli/specs/dagum.js';
import { DID_FLAGS } from '../../src/cli/specs/did.js';
import { FETCH_FLAGS } from '../../src/cli/specs/fetch.js';
import { acceptedNames, type FlagTable } from '../../src/cli/flags.js';
import { PANEL_FLAGS } from '../../src/cli/specs/panel.js';
import { PLACEBO_FLAGS } from '../../src/cli/specs/placebo.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Every command and subcommand with a flag spec: its argv prefix and the spec. */
const SPECS: { path: string[]; table: FlagTable }[] = Object.entries(COMMANDS).flatMap(([name, c]) => [
  ...(c.flags ? [{ path: [name], table: c.flags }] : []),
  ...Object.entries(c.subcommands ?? {}).map(([sub, s]) => ({ path: [name, sub], table: s.flags })),
]);
/** Commands whose help is still hand-written: checked against the flags their parser accepts. */
const HAND_WRITTEN = Object.entries(COMMANDS)
  .filter(([, c]) => c.handWritten)
  .map(([name, c]) => ({ name, names: Object.keys(c.handWritten!) }));
/** The panel commands (flags.md): every one takes --unit, --time, --y (exposure: no outcome) and --where. */
const PANEL_COMMANDS = ['did', 'eventstudy', 'placebo', 'psm-did', 'spillover', 'bacon', 'att', 'dagum', 'inequality', 'gap', 'exposure'];

const lists = (help: string, name: string) => new RegExp(`--${name.replace(/[-]/g, '\\-')}(?![\\w-])`).test(help);
const GLOBAL = new Set(['help', 'debug']);

describe('help lists every flag a command accepts', () => {
  it('every command is in the table, with a spec or subcommands with specs', async () => {
    const usage = (await runCli(['--help'])).stdout;
    const commands = [...usage.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!);
    expect(commands).toEqual(Object.keys(COMMANDS));
    for (const [name, c] of Object.entries(COMMANDS)) expect([name, [c.flags, c.subcommands, c.handWritten].filter(Boolean).length]).toEqual([name, 1]);
    // no command goes back to a hand-written help
    expect(HAND_WRITTEN.map((h) => h.name)).toEqual([]);
    expect(SPECS.length).toBeGreaterThan(30);
  });

  for (const { path, table } of SPECS) {
    it(`${path.join(' ')}: --help lists every flag of its spec and its old names`, async () => {
      const r = await runCli([...path, '--help']);
      expect(r.code).toBe(0);
      expect(acceptedNames(table).filter((n) => !lists(r.stdout, n))).toEqual([]);
      expect(r.stdout).toMatch(/--debug/);
      expect(r.stdout).toMatch(/--version/);
    });
  }
  for (const { name, names } of HAND_WRITTEN) {
    it(`${name} (hand-written help)`, async () => {
      const help = (await runCli([name, '--help'])).stdout;
      expect(names.filter((n) => !GLOBAL.has(n) && !lists(help, n))).toEqual([]);
    });
  }
});

describe('the parser accepts exactly the flags of the spec', () => {
  // Every name any command accepts, plus two no command has: each command must take exactly its own.
  const universe = [...new Set([...SPECS.flatMap((s) => acceptedNames(s.table)), ...HAND_WRITTEN.flatMap((h) => h.names), 'no-such-flag', 'verbose'])].filter(
    (n) => !['debug', 'version'].includes(n),
  ); // global: main.ts takes them before any command parses
  for (const { path, table } of SPECS) {
    it(`${path.join(' ')}`, async () => {
      const accepted = new Set(acceptedNames(table));
      const wrong: string[] = [];
      for (const name of universe) {
        const def = Object.entries(table).find(([n, d]) => n === name || d.aliases?.includes(name))?.[1];
        // A flag of the spec, given as its type says, must parse; any other name must fail both as a value flag and as a switch.
        const forms = def ? [def.type === 'string' ? `--${name}=x` : `--${name}`] : [`--${name}=x`, `--${name}`];
        for (const flag of forms) {
          const r = await runCli([...path, flag, '--help']);
          if ((r.code === 0) !== accepted.has(name)) wrong.push(`${flag}: exit ${r.code} ${r.stderr.split('\n')[0]}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});

describe('every command and subcommand given nothing: help with exit 0, or one ntl: error line with exit 2 — never silence', () => {
  const paths = [[], ...Object.keys(COMMANDS).map((c) => [c]), ...SPECS.filter((s) => s.path.length > 1).map((s) => s.path)];
  for (const path of paths) {
    it(`ntl ${path.join(' ')}`.trimEnd(), async () => {
      const r = await runCli(path);
      if (r.code === 0) expect(r.stdout).toMatch(/Usage:/);
      else {
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^ntl: error: \S.*\n$/);
      }
    });
  }
  it('ntl manifest / ntl calibrate name their subcommands', async () => {
    expect((await runCli(['manifest'])).stderr).toBe(
      'ntl: error: ntl manifest: give a subcommand first: verify or add, e.g. `ntl manifest verify data-manifests/demo.yaml` (see `ntl manifest --help`)\n',
    );
    expect((await runCli(['calibrate'])).stderr).toMatch(/^ntl: error: ntl calibrate: give a verb first: intercalibrate, composite, fit-intercalibration, /);
  });
});

describe('--version on every command and subcommand', () => {
  it('ntl <cmd> [sub] --version prints the version, exit 0', async () => {
    const { version } = await import('../../src/cli/main.js');
    for (const path of [...Object.keys(COMMANDS).map((c) => [c]), ...SPECS.map((s) => s.path)]) {
      const r = await runCli([...path, '--version']);
      expect([path.join(' '), r.code, r.stdout]).toEqual([path.join(' '), 0, expect.stringContaining(`ntl ${version()} `)]);
    }
  });
});

describe('the vocabulary', () => {
  it('panel commands take --unit, --time, --y (exposure: no outcome) and --where; one name for weights and table format', () => {
    for (const command of PANEL_COMMANDS) {
      const names = Object.keys(COMMANDS[command]!.flags!);
      const need = command === 'exposure' ? ['unit', 'time', 'where'] : ['panel', 'y', 'unit', 'time', 'where'];
      expect([command, need.filter((n) => !names.includes(n))]).toEqual([command, []]);
    }
    // Every command that reads a panel (--panel) filters it with --where.
    for (const { path, table } of SPECS) if ('panel' in table) expect([path.join(' '), 'where' in table]).toEqual([path.join(' '), true]);
    // Old spellings are old names (aliases), never flags of their own; --time is a period column wherever it is a flag.
    for (const { path, table } of SPECS) {
      const old = ['value', 'weight', 'table', 'out-dir', 'out-file', 'output', 'formats', 'concurrency', 'jobs', 'dest', ...(path[0] === 'gap' ? [] : ['by'])];
      const own = Object.keys(table).filter((n) => old.includes(n) && !(path[0] === 'calibrate' && n === 'table'));
      expect([path.join(' '), own]).toEqual([path.join(' '), []]);
      if ('time' in table) expect([path.join(' '), PANEL_COMMANDS.includes(path[0]!)]).toEqual([path.join(' '), true]);
    }
    // The weights flag and the table-format flag have one name wherever they exist.
    expect(Object.keys(DID_FLAGS)).toContain('weights');
    expect(Object.keys(DAGUM_FLAGS)).toContain('weights');
    for (const t of [DID_FLAGS, BACON_FLAGS, ATT_FLAGS, DAGUM_FLAGS, PANEL_FLAGS]) expect(Object.keys(t)).toContain('format');
    for (const t of [PANEL_FLAGS, FETCH_FLAGS, PLACEBO_FLAGS]) expect(Object.keys(t)).toContain('threads');
    // Parallelism is --threads everywhere; the old names are only aliases of it.
    for (const { path, table } of SPECS) {
      for (const [name, d] of Object.entries(table))
        if (d.aliases?.some((a) => ['concurrency', 'jobs'].includes(a))) expect([path.join(' '), name]).toEqual([path.join(' '), 'threads']);
    }
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
      for (const [o, n] of [
        ['value', 'y'],
        ['by', 'time'],
        ['weight', 'weights'],
      ])
        expect(old.stderr).toContain(`ntl: warning: --${o} is deprecated; use --${n}`);
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
    const base = [
      'panel',
      '--zones',
      'data/demo/hunan_counties.geojson',
      '--id',
      'Code_County',
      '--raster',
      'viirs:2012=data/demo/viirs_like/2012_8bit_hunan.tif',
      '--stats',
      'sum',
      '--quiet',
    ];
    const now = await runCli([...base, '--out', join(dir, 'new'), '--format', 'csv', '--threads', '1']);
    const old = await runCli([...base, '--out-dir', join(dir, 'old'), '--formats', 'csv', '--concurrency', '1']);
    expect([now.code, old.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'old', 'panel.csv'), 'utf8')).toBe(readFileSync(join(dir, 'new', 'panel.csv'), 'utf8'));
    for (const [o, n] of [
      ['out-dir', 'out'],
      ['formats', 'format'],
      ['concurrency', 'threads'],
    ])
      expect(old.stderr).toContain(`ntl: warning: --${o} is deprecated; use --${n}`);
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
    for (const [command, extra] of [
      ['bacon', ['--treat', 'D']],
      ['att', ['--cohort', 'cohort']],
    ] as const) {
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

describe('column names are valid in Stata, R and SQL whichever command writes them', () => {
  it('gap, inequality and dagum rename hostile panel columns (spaces, digits first, reserved words) the same way', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { columnNameProblem } = await import('../../src/output/column-names.js');
    const dir = tempDir('colnames');
    const panel = join(dir, 'p.csv');
    const rows = ['unit id,group,2015 light,year'];
    for (let u = 1; u <= 6; u++) for (const y of [2015, 2016]) rows.push(`${u},${u <= 3 ? 'a' : 'b'},${u * 1.5 + y - 2015},${y}`);
    writeFileSync(panel, rows.join('\n') + '\n');
    const runs = [
      ['gap', '--panel', panel, '--y', '2015 light', '--time', 'year', '--unit', 'unit id'],
      ['inequality', '--panel', panel, '--y', '2015 light', '--time', 'year', '--group', 'group', '--unit', 'unit id'],
      ['dagum', '--panel', panel, '--y', '2015 light', '--time', 'year', '--group', 'group', '--format', 'csv', '--out', join(dir, 'dagum.csv')],
    ];
    const headers: string[][] = [];
    for (const argv of runs) {
      const r = await runCli(argv);
      expect([argv[0], r.code, r.stderr]).toEqual([argv[0], 0, expect.any(String)]);
      const text = argv[0] === 'dagum' ? (await import('node:fs')).readFileSync(join(dir, 'dagum.csv'), 'utf8') : r.stdout;
      const header = text.split('\n')[0]!.split(',');
      headers.push(header);
      expect([argv[0], header.filter((h) => columnNameProblem(h) !== null)]).toEqual([argv[0], []]);
    }
    expect(headers[0]!.slice(0, 4)).toEqual(['unit_id', 'group_', 'v2015_light', 'year']);
    expect(headers[1]![0]).toBe('group_');
    expect(headers[2]![1]).toBe('group_');
  });
});
