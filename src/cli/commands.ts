/**
 * Every `ntl` command in one table: what runs it, its one-line summary, and the flag spec its parser and `--help`
 * are generated from (or, for manifest and calibrate, the spec of each subcommand / verb). The specs come from
 * src/cli/specs/; a command's implementation is imported only when it runs (test/unit/architecture.test.ts checks
 * that nothing here imports one statically). main.ts dispatches from it; scripts/docs/commands.ts writes docs/commands.md from it; test/e2e/cli-flags.test.ts checks every help lists its
 * spec and every parser accepts exactly its spec.
 */
import { parseFlags, type FlagSpec } from './args.js';
import { allFlags, verbHelp, type VerbSpec } from './calibrate/verb.js';
import { HELP_FLAG, parseCommandFlags, parserOptions, type FlagTable } from './flags.js';
import type { CommandIo } from './io.js';
import { ADJACENCY_FLAGS, ADJACENCY_HELP } from './specs/adjacency.js';
import { ATT_FLAGS, ATT_HELP } from './specs/att.js';
import { BACON_FLAGS, BACON_HELP } from './specs/bacon.js';
import { CALIBRATE_HELP, VERB_SPECS } from './specs/calibrate.js';
import { DAGUM_FLAGS, DAGUM_HELP } from './specs/dagum.js';
import { DID_FLAGS, DID_HELP } from './specs/did.js';
import { EVENTSTUDY_FLAGS, EVENTSTUDY_HELP } from './specs/eventstudy.js';
import { EXPOSURE_FLAGS, EXPOSURE_HELP } from './specs/exposure.js';
import { FETCH_FLAGS, FETCH_HELP } from './specs/fetch.js';
import { GAP_FLAGS, GAP_HELP } from './specs/gap.js';
import { INEQUALITY_FLAGS, INEQUALITY_HELP } from './specs/inequality.js';
import { INIT_FLAGS, INIT_HELP } from './specs/init.js';
import { MANIFEST_HELP, MANIFEST_SUBCOMMANDS } from './specs/manifest.js';
import { MERGE_FLAGS, MERGE_HELP } from './specs/merge.js';
import { PANEL_FLAGS, PANEL_HELP } from './specs/panel.js';
import { PLACEBO_FLAGS, PLACEBO_HELP } from './specs/placebo.js';
import { PSM_FLAGS, PSM_HELP } from './specs/psm.js';
import { REPORT_FLAGS, REPORT_HELP } from './specs/report.js';
import { RUN_FLAGS, RUN_HELP } from './specs/run.js';
import { SLURM_FLAGS, SLURM_HELP } from './specs/slurm.js';
import { SPILLOVER_FLAGS, SPILLOVER_HELP } from './specs/spillover.js';
import { ZONAL_FLAGS, ZONAL_HELP } from './specs/zonal.js';

export type Command = (argv: readonly string[], io: CommandIo) => Promise<number>;

export interface SubcommandEntry {
  readonly summary: string;
  readonly flags: FlagTable;
  /** Its --help text (printed from here, without loading the command). */
  readonly help: string;
}

export interface CommandEntry {
  readonly run: Command;
  readonly summary: string;
  /** The command's flag spec. */
  readonly flags?: FlagTable;
  /** A command whose first argument is a subcommand (manifest) or verb (calibrate), each with its own spec. */
  readonly subcommands?: Readonly<Record<string, SubcommandEntry>>;
  /** Parser options of a command whose help is still written by hand (zonal, until its spec lands). */
  readonly handWritten?: FlagSpec;
}

/** A calibrate verb's flag groups as a flag spec (the verb's own parser and help are generated from the groups). */
export function verbFlagTable(verb: VerbSpec): FlagTable {
  const groupOf = new Map(verb.groups.flatMap((g) => g.flags.map((f) => [f.name, g.title] as const)));
  const table: Record<string, FlagTable[string]> = {};
  for (const f of allFlags(verb)) {
    table[f.name] =
      f.name === 'help'
        ? HELP_FLAG.help!
        : {
            type: f.boolean ? 'boolean' : 'string',
            ...(f.value ? { arg: f.value } : {}),
            help: (f.needs ? `${f.help} (goes with --${f.needs})` : f.help).replace(/\n/g, ' '), // the verbs wrap by hand
            group: groupOf.get(f.name) ?? 'Also',
          };
  }
  return table;
}

/**
 * A command with a flag spec. Its implementation is imported only when it runs: a static import here would load
 * every command's library (zod, proj4, yaml, …) before any command starts. `--help` is answered from the spec
 * without loading it, after the same parse the command does first (so its errors and warnings are the command's).
 */
function specCommand(name: string, flags: FlagTable, help: string, summary: string, load: () => Promise<Command>): CommandEntry {
  const run: Command = async (argv, io) => {
    if ((argv.includes('--help') || argv.includes('-h')) && asksHelp(name, argv, flags)) {
      parseCommandFlags(name, argv, flags, io); // its deprecation warnings, as the command prints them
      io.stdout(help);
      return 0;
    }
    return (await load())(argv, io);
  };
  return { run, flags, summary };
}

/**
 * A command whose first argument is a subcommand (manifest) or verb (calibrate). Loaded only when it runs, like
 * specCommand; `--help` of the command, and of a subcommand (after the parse the subcommand does first), are
 * printed from the specs.
 */
function subcommandCommand(
  name: string,
  subcommands: Readonly<Record<string, SubcommandEntry>>,
  help: string,
  summary: string,
  load: () => Promise<Command>,
): CommandEntry {
  const run: Command = async (argv, io) => {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h') {
      io.stdout(help);
      return 0;
    }
    const s = sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub]! : undefined;
    if (s && (rest.includes('--help') || rest.includes('-h')) && asksHelp(`${name} ${sub}`, rest, s.flags)) {
      parseCommandFlags(`${name} ${sub}`, rest, s.flags, io);
      io.stdout(s.help);
      return 0;
    }
    return (await load())(argv, io);
  };
  return { run, subcommands, summary };
}

/** Whether argv parses under the spec with --help set (a parse error is left to the command to report). */
function asksHelp(name: string, argv: readonly string[], flags: FlagTable): boolean {
  try {
    return parseFlags(name, argv, parserOptions(flags)).values.help === true;
  } catch {
    return false;
  }
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  init: specCommand(
    'init',
    INIT_FLAGS,
    INIT_HELP,
    'your own data in one step: manifest + runnable pipeline from a boundary file and rasters',
    async () => (await import('./init-command.js')).initCommand,
  ),
  run: specCommand(
    'run',
    RUN_FLAGS,
    RUN_HELP,
    'run a pipeline (pipelines/*.yaml) into a county × year panel',
    async () => (await import('./run-command.js')).runCommand,
  ),
  merge: specCommand(
    'merge',
    MERGE_FLAGS,
    MERGE_HELP,
    'merge the shards of a sharded run (ntl run --shard i/N) into the outputs of a single run',
    async () => (await import('./merge-command.js')).mergeCommand,
  ),
  slurm: specCommand(
    'slurm',
    SLURM_FLAGS,
    SLURM_HELP,
    'submit a pipeline as a Slurm job array of shards plus a dependent merge job',
    async () => (await import('./slurm-command.js')).slurmCommand,
  ),
  panel: specCommand(
    'panel',
    PANEL_FLAGS,
    PANEL_HELP,
    'county × year panel from flags (one-off form of run)',
    async () => (await import('./panel-command.js')).panelCommand,
  ),
  report: specCommand(
    'report',
    REPORT_FLAGS,
    REPORT_HELP,
    'self-contained HTML report (maps, panel summaries, diagnostics, tables, figures) of an output folder',
    async () => (await import('./report-command.js')).reportCommand,
  ),
  calibrate: subcommandCommand(
    'calibrate',
    Object.fromEntries(VERB_SPECS.map((v) => [v.name, { summary: v.summary, flags: verbFlagTable(v), help: verbHelp(v) }])),
    CALIBRATE_HELP,
    'calibrate DMSP/VIIRS rasters (inter-calibration, composite, denoise, monthly→annual, continuity report)',
    async () => (await import('./calibrate-command.js')).calibrateCommand,
  ),
  dagum: specCommand(
    'dagum',
    DAGUM_FLAGS,
    DAGUM_HELP,
    'Dagum (1997) Gini with full decomposition by group (JSON/CSV)',
    async () => (await import('./dagum-command.js')).dagumCommand,
  ),
  inequality: specCommand(
    'inequality',
    INEQUALITY_FLAGS,
    INEQUALITY_HELP,
    'Gini, Theil T/L, CV, Dagum per group and year as a panel',
    async () => (await import('./inequality-command.js')).inequalityCommand,
  ),
  gap: specCommand(
    'gap',
    GAP_FLAGS,
    GAP_HELP,
    'value / reference (median, mean, p90) per year: the county gap measure',
    async () => (await import('./gap-command.js')).gapCommand,
  ),
  adjacency: specCommand(
    'adjacency',
    ADJACENCY_FLAGS,
    ADJACENCY_HELP,
    'county adjacency (queen/rook, snap) → edge list, GAL, GWT',
    async () => (await import('./adjacency-command.js')).adjacencyCommand,
  ),
  exposure: specCommand(
    'exposure',
    EXPOSURE_FLAGS,
    EXPOSURE_HELP,
    'unit × year exposure to treated neighbours (spillover DID input)',
    async () => (await import('./exposure-command.js')).exposureCommand,
  ),
  did: specCommand(
    'did',
    DID_FLAGS,
    DID_HELP,
    'two-way fixed-effects DID with cluster-robust SE (CR1), interactions, tables',
    async () => (await import('./did-command.js')).didCommand,
  ),
  eventstudy: specCommand(
    'eventstudy',
    EVENTSTUDY_FLAGS,
    EVENTSTUDY_HELP,
    'event study: relative-period effects with 95% CI plot',
    async () => (await import('./eventstudy-command.js')).eventstudyCommand,
  ),
  placebo: specCommand(
    'placebo',
    PLACEBO_FLAGS,
    PLACEBO_HELP,
    'placebo permutations of timing/units (seeded, parallel) with density plot',
    async () => (await import('./placebo-command.js')).placeboCommand,
  ),
  'psm-did': specCommand(
    'psm-did',
    PSM_FLAGS,
    PSM_HELP,
    'propensity-score matched DID (kernel or nearest neighbour) with balance table',
    async () => (await import('./psm-command.js')).psmCommand,
  ),
  spillover: specCommand(
    'spillover',
    SPILLOVER_FLAGS,
    SPILLOVER_HELP,
    'spillover DID on neighbours of treated units, and the drop-neighbours check',
    async () => (await import('./spillover-command.js')).spilloverCommand,
  ),
  bacon: specCommand(
    'bacon',
    BACON_FLAGS,
    BACON_HELP,
    'Goodman-Bacon decomposition of the TWFE DID estimate',
    async () => (await import('./bacon-command.js')).baconCommand,
  ),
  att: specCommand(
    'att',
    ATT_FLAGS,
    ATT_HELP,
    "staggered DID: Callaway–Sant'Anna ATT(g,t) and aggregations, Sun–Abraham",
    async () => (await import('./att-command.js')).attCommand,
  ),
  zonal: specCommand(
    'zonal',
    ZONAL_FLAGS,
    ZONAL_HELP,
    'exact zonal statistics of a raster over polygons',
    async () => (await import('./zonal-command.js')).zonalCommand,
  ),
  fetch: specCommand(
    'fetch',
    FETCH_FLAGS,
    FETCH_HELP,
    'download manifest entries (resume, unpack .gz/.tar, verify sha256, token from env)',
    async () => (await import('./fetch-command.js')).fetchCommand,
  ),
  manifest: subcommandCommand(
    'manifest',
    MANIFEST_SUBCOMMANDS,
    MANIFEST_HELP,
    'verify data manifests (size, sha256) and record files in them',
    async () => (await import('./manifest-command.js')).manifestCommand,
  ),
};
