/**
 * Every `ntl` command in one table: what runs it, its one-line summary, and the flag spec its parser and `--help`
 * are generated from (or, for manifest and calibrate, the spec of each subcommand / verb). main.ts dispatches from
 * it; scripts/docs/commands.ts writes docs/commands.md from it; test/e2e/cli-flags.test.ts checks every help lists its
 * spec and every parser accepts exactly its spec.
 */
import type { FlagSpec } from './args.js';
import { ADJACENCY_FLAGS, adjacencyCommand } from './adjacency-command.js';
import { ATT_FLAGS, attCommand } from './att-command.js';
import { BACON_FLAGS, baconCommand } from './bacon-command.js';
import { calibrateCommand, CALIBRATE_VERBS } from './calibrate-command.js';
import { allFlags, type Verb } from './calibrate/verb.js';
import { DAGUM_FLAGS, dagumCommand } from './dagum-command.js';
import { DID_FLAGS, didCommand } from './did-command.js';
import { EVENTSTUDY_FLAGS, eventstudyCommand } from './eventstudy-command.js';
import { EXPOSURE_FLAGS, exposureCommand } from './exposure-command.js';
import { FETCH_FLAGS, fetchCommand } from './fetch-command.js';
import { HELP_FLAG, type FlagTable } from './flags.js';
import { GAP_FLAGS, gapCommand } from './gap-command.js';
import { INEQUALITY_FLAGS, inequalityCommand } from './inequality-command.js';
import { INIT_FLAGS, initCommand } from './init-command.js';
import { manifestCommand, MANIFEST_SUBCOMMANDS } from './manifest-command.js';
import { MERGE_FLAGS, mergeCommand } from './merge-command.js';
import { PANEL_FLAGS, panelCommand } from './panel-command.js';
import { PLACEBO_FLAGS, placeboCommand } from './placebo-command.js';
import { PSM_FLAGS, psmCommand } from './psm-command.js';
import { REPORT_FLAGS, reportCommand } from './report-command.js';
import { RUN_FLAGS, runCommand } from './run-command.js';
import { SLURM_FLAGS, slurmCommand } from './slurm-command.js';
import { SPILLOVER_FLAGS, spilloverCommand } from './spillover-command.js';
import { ZONAL_FLAGS, zonalCommand, type CommandIo } from './zonal-command.js';

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
  init: { run: initCommand, flags: INIT_FLAGS, summary: 'your own data in one step: manifest + runnable pipeline from a boundary file and rasters' },
  run: { run: runCommand, flags: RUN_FLAGS, summary: 'run a pipeline (pipelines/*.yaml) into a county × year panel' },
  merge: { run: mergeCommand, flags: MERGE_FLAGS, summary: 'merge the shards of a sharded run (ntl run --shard i/N) into the outputs of a single run' },
  slurm: { run: slurmCommand, flags: SLURM_FLAGS, summary: 'submit a pipeline as a Slurm job array of shards plus a dependent merge job' },
  panel: { run: panelCommand, flags: PANEL_FLAGS, summary: 'county × year panel from flags (one-off form of run)' },
  report: {
    run: reportCommand,
    flags: REPORT_FLAGS,
    summary: 'self-contained HTML report (maps, panel summaries, diagnostics, tables, figures) of an output folder',
  },
  calibrate: {
    run: calibrateCommand,
    subcommands: Object.fromEntries(Object.values(CALIBRATE_VERBS).map((v) => [v.name, { summary: v.summary, flags: verbFlagTable(v) }])),
    summary: 'calibrate DMSP/VIIRS rasters (inter-calibration, composite, denoise, monthly→annual, continuity report)',
  },
  dagum: { run: dagumCommand, flags: DAGUM_FLAGS, summary: 'Dagum (1997) Gini with full decomposition by group (JSON/CSV)' },
  inequality: { run: inequalityCommand, flags: INEQUALITY_FLAGS, summary: 'Gini, Theil T/L, CV, Dagum per group and year as a panel' },
  gap: { run: gapCommand, flags: GAP_FLAGS, summary: 'value / reference (median, mean, p90) per year: the county gap measure' },
  adjacency: { run: adjacencyCommand, flags: ADJACENCY_FLAGS, summary: 'county adjacency (queen/rook, snap) → edge list, GAL, GWT' },
  exposure: { run: exposureCommand, flags: EXPOSURE_FLAGS, summary: 'unit × year exposure to treated neighbours (spillover DID input)' },
  did: { run: didCommand, flags: DID_FLAGS, summary: 'two-way fixed-effects DID with cluster-robust SE (CR1), interactions, tables' },
  eventstudy: { run: eventstudyCommand, flags: EVENTSTUDY_FLAGS, summary: 'event study: relative-period effects with 95% CI plot' },
  placebo: { run: placeboCommand, flags: PLACEBO_FLAGS, summary: 'placebo permutations of timing/units (seeded, parallel) with density plot' },
  'psm-did': { run: psmCommand, flags: PSM_FLAGS, summary: 'propensity-score matched DID (kernel or nearest neighbour) with balance table' },
  spillover: { run: spilloverCommand, flags: SPILLOVER_FLAGS, summary: 'spillover DID on neighbours of treated units, and the drop-neighbours check' },
  bacon: { run: baconCommand, flags: BACON_FLAGS, summary: 'Goodman-Bacon decomposition of the TWFE DID estimate' },
  att: { run: attCommand, flags: ATT_FLAGS, summary: "staggered DID: Callaway–Sant'Anna ATT(g,t) and aggregations, Sun–Abraham" },
  zonal: { run: zonalCommand, flags: ZONAL_FLAGS, summary: 'exact zonal statistics of a raster over polygons' },
  fetch: { run: fetchCommand, flags: FETCH_FLAGS, summary: 'download manifest entries (resume, unpack .gz/.tar, verify sha256, token from env)' },
  manifest: { run: manifestCommand, subcommands: MANIFEST_SUBCOMMANDS, summary: 'verify data manifests (size, sha256) and record files in them' },
};
