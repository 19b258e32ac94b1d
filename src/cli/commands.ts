/**
 * Every `ntl` command in one table: what runs it, its one-line summary, and the flag spec its parser and `--help`
 * are generated from (or, for manifest and calibrate, the spec of each subcommand / verb). main.ts dispatches from
 * it; scripts/docs/commands.ts writes docs/commands.md from it; test/e2e/cli-flags.test.ts checks every help lists its
 * spec and every parser accepts exactly its spec.
 */
import type { FlagSpec } from './args.js';
import { CALIBRATE_VERBS } from './calibrate-command.js';
import { allFlags, type Verb } from './calibrate/verb.js';
import { HELP_FLAG, type FlagTable } from './flags.js';
import type { CommandIo } from './io.js';
import { ADJACENCY_FLAGS } from './specs/adjacency.js';
import { ATT_FLAGS } from './specs/att.js';
import { BACON_FLAGS } from './specs/bacon.js';
import { DAGUM_FLAGS } from './specs/dagum.js';
import { DID_FLAGS } from './specs/did.js';
import { EVENTSTUDY_FLAGS } from './specs/eventstudy.js';
import { EXPOSURE_FLAGS } from './specs/exposure.js';
import { FETCH_FLAGS } from './specs/fetch.js';
import { GAP_FLAGS } from './specs/gap.js';
import { INEQUALITY_FLAGS } from './specs/inequality.js';
import { INIT_FLAGS } from './specs/init.js';
import { MANIFEST_SUBCOMMANDS } from './specs/manifest.js';
import { MERGE_FLAGS } from './specs/merge.js';
import { PANEL_FLAGS } from './specs/panel.js';
import { PLACEBO_FLAGS } from './specs/placebo.js';
import { PSM_FLAGS } from './specs/psm.js';
import { REPORT_FLAGS } from './specs/report.js';
import { RUN_FLAGS } from './specs/run.js';
import { SLURM_FLAGS } from './specs/slurm.js';
import { SPILLOVER_FLAGS } from './specs/spillover.js';
import { ZONAL_FLAGS } from './specs/zonal.js';

export type Command = (argv: readonly string[], io: CommandIo) => Promise<number>;

export interface SubcommandEntry {
  readonly summary: string;
  readonly flags: FlagTable;
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
export function verbFlagTable(verb: Verb): FlagTable {
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

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  init: {
    run: async (argv, io) => (await import('./init-command.js')).initCommand(argv, io),
    flags: INIT_FLAGS,
    summary: 'your own data in one step: manifest + runnable pipeline from a boundary file and rasters',
  },
  run: {
    run: async (argv, io) => (await import('./run-command.js')).runCommand(argv, io),
    flags: RUN_FLAGS,
    summary: 'run a pipeline (pipelines/*.yaml) into a county × year panel',
  },
  merge: {
    run: async (argv, io) => (await import('./merge-command.js')).mergeCommand(argv, io),
    flags: MERGE_FLAGS,
    summary: 'merge the shards of a sharded run (ntl run --shard i/N) into the outputs of a single run',
  },
  slurm: {
    run: async (argv, io) => (await import('./slurm-command.js')).slurmCommand(argv, io),
    flags: SLURM_FLAGS,
    summary: 'submit a pipeline as a Slurm job array of shards plus a dependent merge job',
  },
  panel: {
    run: async (argv, io) => (await import('./panel-command.js')).panelCommand(argv, io),
    flags: PANEL_FLAGS,
    summary: 'county × year panel from flags (one-off form of run)',
  },
  report: {
    run: async (argv, io) => (await import('./report-command.js')).reportCommand(argv, io),
    flags: REPORT_FLAGS,
    summary: 'self-contained HTML report (maps, panel summaries, diagnostics, tables, figures) of an output folder',
  },
  calibrate: {
    run: async (argv, io) => (await import('./calibrate-command.js')).calibrateCommand(argv, io),
    subcommands: Object.fromEntries(Object.values(CALIBRATE_VERBS).map((v) => [v.name, { summary: v.summary, flags: verbFlagTable(v) }])),
    summary: 'calibrate DMSP/VIIRS rasters (inter-calibration, composite, denoise, monthly→annual, continuity report)',
  },
  dagum: {
    run: async (argv, io) => (await import('./dagum-command.js')).dagumCommand(argv, io),
    flags: DAGUM_FLAGS,
    summary: 'Dagum (1997) Gini with full decomposition by group (JSON/CSV)',
  },
  inequality: {
    run: async (argv, io) => (await import('./inequality-command.js')).inequalityCommand(argv, io),
    flags: INEQUALITY_FLAGS,
    summary: 'Gini, Theil T/L, CV, Dagum per group and year as a panel',
  },
  gap: {
    run: async (argv, io) => (await import('./gap-command.js')).gapCommand(argv, io),
    flags: GAP_FLAGS,
    summary: 'value / reference (median, mean, p90) per year: the county gap measure',
  },
  adjacency: {
    run: async (argv, io) => (await import('./adjacency-command.js')).adjacencyCommand(argv, io),
    flags: ADJACENCY_FLAGS,
    summary: 'county adjacency (queen/rook, snap) → edge list, GAL, GWT',
  },
  exposure: {
    run: async (argv, io) => (await import('./exposure-command.js')).exposureCommand(argv, io),
    flags: EXPOSURE_FLAGS,
    summary: 'unit × year exposure to treated neighbours (spillover DID input)',
  },
  did: {
    run: async (argv, io) => (await import('./did-command.js')).didCommand(argv, io),
    flags: DID_FLAGS,
    summary: 'two-way fixed-effects DID with cluster-robust SE (CR1), interactions, tables',
  },
  eventstudy: {
    run: async (argv, io) => (await import('./eventstudy-command.js')).eventstudyCommand(argv, io),
    flags: EVENTSTUDY_FLAGS,
    summary: 'event study: relative-period effects with 95% CI plot',
  },
  placebo: {
    run: async (argv, io) => (await import('./placebo-command.js')).placeboCommand(argv, io),
    flags: PLACEBO_FLAGS,
    summary: 'placebo permutations of timing/units (seeded, parallel) with density plot',
  },
  'psm-did': {
    run: async (argv, io) => (await import('./psm-command.js')).psmCommand(argv, io),
    flags: PSM_FLAGS,
    summary: 'propensity-score matched DID (kernel or nearest neighbour) with balance table',
  },
  spillover: {
    run: async (argv, io) => (await import('./spillover-command.js')).spilloverCommand(argv, io),
    flags: SPILLOVER_FLAGS,
    summary: 'spillover DID on neighbours of treated units, and the drop-neighbours check',
  },
  bacon: {
    run: async (argv, io) => (await import('./bacon-command.js')).baconCommand(argv, io),
    flags: BACON_FLAGS,
    summary: 'Goodman-Bacon decomposition of the TWFE DID estimate',
  },
  att: {
    run: async (argv, io) => (await import('./att-command.js')).attCommand(argv, io),
    flags: ATT_FLAGS,
    summary: "staggered DID: Callaway–Sant'Anna ATT(g,t) and aggregations, Sun–Abraham",
  },
  zonal: {
    run: async (argv, io) => (await import('./zonal-command.js')).zonalCommand(argv, io),
    flags: ZONAL_FLAGS,
    summary: 'exact zonal statistics of a raster over polygons',
  },
  fetch: {
    run: async (argv, io) => (await import('./fetch-command.js')).fetchCommand(argv, io),
    flags: FETCH_FLAGS,
    summary: 'download manifest entries (resume, unpack .gz/.tar, verify sha256, token from env)',
  },
  manifest: {
    run: async (argv, io) => (await import('./manifest-command.js')).manifestCommand(argv, io),
    subcommands: MANIFEST_SUBCOMMANDS,
    summary: 'verify data manifests (size, sha256) and record files in them',
  },
};
