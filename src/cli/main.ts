/**
 * `ntl <command>`: dispatch to a command, print user errors on one line, exit non-zero.
 * Stack traces only with --debug.
 */
import { readFileSync } from 'node:fs';
import { isNtlError } from '../errors.js';
import { shutdownDecodePool } from '../raster/index.js';
import { manifestCommand } from './manifest-command.js';
import { zonalCommand, type CommandIo } from './zonal-command.js';
import { runCommand } from './run-command.js';
import { panelCommand } from './panel-command.js';
import { mergeCommand } from './merge-command.js';
import { slurmCommand } from './slurm-command.js';
import { calibrateCommand } from './calibrate-command.js';
import { reportCommand } from './report-command.js';
import { fetchCommand } from './fetch-command.js';
import { baconCommand } from './bacon-command.js';
import { attCommand } from './att-command.js';
import { adjacencyCommand } from './adjacency-command.js';
import { dagumCommand } from './dagum-command.js';
import { inequalityCommand } from './inequality-command.js';
import { gapCommand } from './gap-command.js';
import { didCommand } from './did-command.js';
import { eventstudyCommand } from './eventstudy-command.js';
import { placeboCommand } from './placebo-command.js';
import { psmCommand } from './psm-command.js';
import { spilloverCommand } from './spillover-command.js';
import { exposureCommand } from './exposure-command.js';
import { initCommand } from './init-command.js';

type Command = (argv: readonly string[], io: CommandIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  init: { run: initCommand, summary: 'your own data in one step: manifest + runnable pipeline from a boundary file and rasters' },
  run: { run: runCommand, summary: 'run a pipeline (pipelines/*.yaml) into a county × year panel' },
  merge: { run: mergeCommand, summary: 'merge the shards of a sharded run (ntl run --shard i/N) into the outputs of a single run' },
  slurm: { run: slurmCommand, summary: 'submit a pipeline as a Slurm job array of shards plus a dependent merge job' },
  panel: { run: panelCommand, summary: 'county × year panel from flags (one-off form of run)' },
  report: { run: reportCommand, summary: 'self-contained HTML report (maps, panel summaries, diagnostics, tables, figures) of an output folder' },
  calibrate: { run: calibrateCommand, summary: 'calibrate DMSP/VIIRS rasters (inter-calibration, composite, denoise, monthly→annual, continuity report)' },
  dagum: { run: dagumCommand, summary: 'Dagum (1997) Gini with full decomposition by group (JSON/CSV)' },
  inequality: { run: inequalityCommand, summary: 'Gini, Theil T/L, CV, Dagum per group and year as a panel' },
  gap: { run: gapCommand, summary: 'value / reference (median, mean, p90) per year: the county gap measure' },
  adjacency: { run: adjacencyCommand, summary: 'county adjacency (queen/rook, snap) → edge list, GAL, GWT' },
  exposure: { run: exposureCommand, summary: 'unit × year exposure to treated neighbours (spillover DID input)' },
  did: { run: didCommand, summary: 'two-way fixed-effects DID with cluster-robust SE (CR1), interactions, tables' },
  eventstudy: { run: eventstudyCommand, summary: 'event study: relative-period effects with 95% CI plot' },
  placebo: { run: placeboCommand, summary: 'placebo permutations of timing/units (seeded, parallel) with density plot' },
  'psm-did': { run: psmCommand, summary: 'propensity-score matched DID (kernel or nearest neighbour) with balance table' },
  spillover: { run: spilloverCommand, summary: 'spillover DID on neighbours of treated units, and the drop-neighbours check' },
  bacon: { run: baconCommand, summary: 'Goodman-Bacon decomposition of the TWFE DID estimate' },
  att: { run: attCommand, summary: 'staggered DID: Callaway–Sant\'Anna ATT(g,t) and aggregations, Sun–Abraham' },
  zonal: { run: zonalCommand, summary: 'exact zonal statistics of a raster over polygons' },
  fetch: { run: fetchCommand, summary: 'download manifest entries (resume, unpack .gz/.tar, verify sha256, token from env)' },
  manifest: { run: manifestCommand, summary: 'verify data manifests (size, sha256) and record files in them' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `ntl — night-light imagery to county panels\n\nUsage: ntl <command> [options]   (ntl <command> --help for details)\n\nCommands:\n${lines.join('\n')}\n\nEvery command also takes --debug (stack traces on errors) and --version.\n`;
}

const defaultIo: CommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

/** The package version, read once from package.json next to src/ or dist/. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[], io: CommandIo = defaultIo): Promise<number> {
  // --debug and --version are global flags: every command takes them, none parses them itself.
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  if (args.includes('--version') || args[0] === 'version') {
    io.stdout(`ntl ${version()} (node ${process.versions.node})\n`);
    return 0;
  }
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`ntl: error: unknown command "${name}"; known commands: ${Object.keys(COMMANDS).join(', ')} (see \`ntl --help\`)\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (isNtlError(e)) {
      io.stderr(`ntl: error: ${e.message}\n`);
      if (debug && e.stack) io.stderr(e.stack + '\n');
      return e.exitCode;
    }
    const err = e as Error;
    io.stderr(`ntl: internal error: ${err?.message ?? String(e)} (this is a bug; rerun with --debug for details and report it)\n`);
    if (debug && err?.stack) io.stderr(err.stack + '\n');
    return 70;
  } finally {
    // Decoder workers would otherwise keep the process alive until their idle timeout.
    await shutdownDecodePool();
  }
}
