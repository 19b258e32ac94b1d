/** `ntl run`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const RUN_FLAGS = {
  'data-dir': {
    type: 'string',
    arg: '<dir>',
    default: "each such manifest's data_dir",
    help: 'where the input files of manifests that declare `data_dir:` are (e.g. data/downloads/china for data-manifests/china.yaml); a folder you name is trusted (no NTL_ALLOW_OUTSIDE_PATHS needed). Entries marked shipped: true and manifests without data_dir (demo.yaml) are unaffected. Fill it with `ntl fetch <manifest> --for <pipeline.yaml> --data-dir DIR`',
  },
  out: { type: 'string', arg: '<dir>', default: "the pipeline's outputs.dir, relative to the pipeline file", help: 'output folder' },
  threads: { type: 'string', arg: '<n>', default: 'all cores', help: 'decoder threads per raster (never changes a result)' },
  'band-rows': {
    type: 'string',
    arg: '<R>',
    default: '8192, whole blocks',
    help: 'rows per work unit of a raster; must be the same for every shard, the merge and a single-machine run that should match them',
  },
  plan: { type: 'boolean', group: 'Scale-out', help: 'list the units (series × period × row band) with covered cells and compressed bytes read' },
  shards: { type: 'string', arg: '<N>', group: 'Scale-out', help: "with --plan: also show the shard of each unit and each shard's total cost" },
  shard: {
    type: 'string',
    arg: '<i/N>',
    group: 'Scale-out',
    help: 'run shard i (1..N) only, into DIR/.shards (then: ntl merge); the assignment is deterministic and balanced by cost',
  },
  quiet: { type: 'boolean', help: 'no progress output' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const RUN_HELP = commandHelp(
  `ntl run — run a pipeline (pipelines/*.yaml): verify inputs, zonal statistics per year, panel outputs

Usage:
  ntl run <pipeline.yaml> [--data-dir DIR] [--out DIR] [--threads n] [--quiet]
  ntl run <pipeline.yaml> --plan [--shards N]        print the work units and their estimated cost
  ntl run <pipeline.yaml> --shard i/N                 compute only shard i of N into DIR/.shards (then: ntl merge)`,
  RUN_FLAGS,
  `Outputs: panel.{csv,parquet,dta} (and panel_wide.* when outputs.wide), maps/*.png (outputs.maps), run.json.
A rerun reuses cached per-year results under DIR/.cache and recomputes only what changed.
One command at a time writes an output folder: a second run (or merge, panel, report) into the same folder fails at
once naming the holder (DIR/.ntl-lock); a lock left by a killed run is reclaimed with a warning. Outputs are staged
and published as one set (report.html and tables/ included), and never over an input file.
Raster entries with \`access: remote\` are read in place over HTTP (only the blocks the boundaries touch);
their size and any recorded etag / last_modified are checked first (data-manifests/README.md).
`,
);
