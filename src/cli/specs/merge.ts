/** `ntl merge`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const MERGE_FLAGS = {
  out: { type: 'string', arg: '<dir>', default: "the pipeline's outputs.dir", help: 'output folder the shards wrote to' },
  'band-rows': { type: 'string', arg: '<R>', default: '8192', help: 'the value the shards used' },
  threads: { type: 'string', arg: '<n>', default: 'all cores', help: 'decoder threads for the maps (never changes a result)' },
  quiet: { type: 'boolean', help: 'no progress output' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const MERGE_HELP = commandHelp(
  `ntl merge — combine the shards of a pipeline (ntl run --shard i/N) into the run's outputs

Usage:
  ntl merge <pipeline.yaml> [--out DIR] [--band-rows R] [--threads n] [--quiet]

Checks that every work unit (series × period × row band) has exactly one result in DIR/.shards — an error names
the missing ones — then merges the partial statistics in band order and writes the same files, byte for byte,
that \`ntl run <pipeline.yaml>\` writes on one machine (panel, wide, inequality, spatial, estimates, maps, run.json).`,
  MERGE_FLAGS,
);
