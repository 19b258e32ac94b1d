/** `ntl manifest`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { ENTRY_KINDS, SENSORS, TABLE_ROLES } from '../../manifest/names.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const VERIFY_FLAGS = {
  'data-dir': {
    type: 'string',
    arg: '<dir>',
    default: 'that data_dir, relative to the manifest',
    help: 'where the files of manifests that declare `data_dir:` are; entries marked shipped: true stay relative to the manifest',
  },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const VERIFY_HELP = commandHelp(
  `ntl manifest verify — check that the files a manifest names are the ones recorded

Usage:
  ntl manifest verify <manifest.yaml> [more.yaml ...] [--data-dir DIR]

Checks every local file of each manifest: it exists, has the recorded size and sha256 (streamed).
Prints one line per file (ok, MISSING, SIZE MISMATCH, CHECKSUM MISMATCH, no local copy (url only),
not recorded (null)) and a summary, and notes entries without licence/citation. Exit 0 only when every
recorded file is ok, else 1; entries whose size / sha256 are null (not recorded yet) are listed, not
verified (\`ntl fetch --record\` fills them).
A template manifest (template: true) lists official files without checksums: verify lists them
and exits 1 (nothing to verify) — record your downloads with \`ntl manifest add --from-template\`.`,
  VERIFY_FLAGS,
);

const WHAT = 'What to record';

const TERMS = 'Terms (optional for private data: without them add warns once; add them before sharing)';

const RASTER = 'Raster entries (required: --sensor, and --year or --year-from-name)';

const BOUNDARIES = 'Boundaries entries (required: --id-field)';

const TABLE = 'Table entries (required: --role)';

export const ADD_FLAGS = {
  file: { type: 'string', arg: '<path>', group: WHAT, help: 'the file to record (this, or --glob)' },
  id: { type: 'string', arg: '<id>', group: WHAT, help: "entry id: letters, digits, '.', '_', '-' (required with --file)" },
  glob: {
    type: 'string',
    arg: "'<pattern>'",
    group: WHAT,
    help: 'record every matching file, one entry each (sorted by path), all or nothing; * and ? match within a folder name, ** any folders; quote the pattern',
  },
  'year-from-name': { type: 'boolean', group: WHAT, help: 'with --glob: year = the one 4-digit year 1970-2100 in each file name (lights_2015.tif)' },
  'month-from-name': { type: 'boolean', group: WHAT, help: 'with --glob: year and month from the one YYYYMM or YYYY-MM in each file name' },
  'id-prefix': {
    type: 'string',
    arg: '<p>',
    group: WHAT,
    default: "the file name without extension, or the template entry's id",
    help: 'with --glob: ids <p><year> (<p><year>-<MM> with months)',
  },
  kind: { type: 'string', arg: ENTRY_KINDS.join('|'), group: WHAT, default: 'raster', help: 'what the file is' },
  companion: {
    type: 'string',
    multiple: true,
    arg: '<path>',
    group: WHAT,
    help: "extra file checked with the entry (repeatable), e.g. a shapefile's .dbf/.shx/.prj/.cpg; for a .shp these siblings are added when not given",
  },
  replace: { type: 'boolean', group: WHAT, help: 'overwrite entries with the same ids (without it an existing id is an error)' },
  'from-template': {
    type: 'string',
    arg: '<t.yaml>',
    group: WHAT,
    help: 'take the fields of the matching entry (same --id, or same file name) of a template manifest; flags given here override them',
  },
  licence: { type: 'string', arg: '<text>', group: TERMS, help: 'terms of use' },
  license: { type: 'string', arg: '<text>', group: TERMS, help: 'the same as --licence (either spelling; not both)' },
  citation: { type: 'string', arg: '<text>', group: TERMS, help: 'how to cite the data' },
  url: { type: 'string', arg: '<url>', group: TERMS, help: 'where the file can be downloaded' },
  notes: { type: 'string', arg: '<text>', group: TERMS, help: 'quirks worth knowing' },
  sensor: { type: 'string', arg: '<s>', group: RASTER, help: SENSORS.join(', ') },
  satellite: { type: 'string', arg: '<F10..F18>', group: RASTER, help: 'DMSP satellite (sensor dmsp-ols only)' },
  year: { type: 'string', arg: '<yyyy>', group: RASTER, help: 'the year the raster shows' },
  month: { type: 'string', arg: '<1-12>', group: RASTER, help: 'the month (sensors viirs-monthly and blackmarble-monthly, where it is required)' },
  band: { type: 'string', arg: '<n>', group: RASTER, help: 'the band to read' },
  product: { type: 'string', arg: '<text>', group: RASTER, help: 'product/variant, e.g. stable_lights, average_masked' },
  crs: { type: 'string', arg: '<crs>', group: RASTER, help: 'CRS when the file carries none, e.g. EPSG:4326 (rasters and boundaries)' },
  'id-field': { type: 'string', arg: '<f>', group: BOUNDARIES, help: 'the field that identifies each unit' },
  'name-field': { type: 'string', arg: '<f>', group: BOUNDARIES, help: 'the field with the unit name' },
  'parent-field': { type: 'string', arg: '<f>', group: BOUNDARIES, help: 'the field with the parent (prefecture) code' },
  'province-field': { type: 'string', arg: '<f>', group: BOUNDARIES, help: 'the field with the province code' },
  encoding: { type: 'string', arg: '<e>', group: BOUNDARIES, help: 'text encoding (boundaries and tables)' },
  vintage: { type: 'string', arg: '<yyyy>', group: BOUNDARIES, help: 'the year the boundaries (or the table) describe' },
  role: { type: 'string', arg: '<r>', group: TABLE, help: TABLE_ROLES.join(', ') },
  format: { type: 'string', arg: 'csv', group: TABLE, help: "the table's file format, recorded in the entry (not an output format)" },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const ADD_HELP = commandHelp(
  `ntl manifest add — measure files (size, sha256) and record them in a manifest

Usage:
  ntl manifest add <manifest.yaml> --file <path> --id <id> [--kind raster|boundaries|table] [fields]
  ntl manifest add <manifest.yaml> --glob '<pattern>' --year-from-name [--id-prefix <p>] [fields]

Measures the file (size, sha256) and writes the entry into the manifest, keeping the other entries
and comments. Creates the manifest (manifest: 1, name = file name) when it does not exist.
The path is stored relative to the manifest file (forward slashes). A file outside the manifest's
project folder (the nearest folder with package.json, .git or ntl-project.yaml, else the manifest
folder's parent) is refused, as \`ntl run\` would refuse it: keep your data inside the project.`,
  ADD_FLAGS,
  '',
  27,
);

/** The subcommands, in the order of the help: each one's flag spec and generated help. */
export const MANIFEST_SUBCOMMANDS = {
  verify: { summary: 'check that the files a manifest names are the ones recorded (size, sha256)', flags: VERIFY_FLAGS, help: VERIFY_HELP },
  add: { summary: 'measure files and record them in a manifest', flags: ADD_FLAGS, help: ADD_HELP },
} as const;

export const MANIFEST_HELP = `ntl manifest — data manifests: every input file named, sized and checksummed

Usage:
  ntl manifest verify <manifest.yaml> [more.yaml ...] [--data-dir DIR]
  ntl manifest add <manifest.yaml> --file <path> --id <id> [--kind raster|boundaries|table] [fields]
  ntl manifest add <manifest.yaml> --glob '<pattern>' --year-from-name [--id-prefix <p>] [fields]

Subcommands (each one's help follows; ntl manifest <subcommand> --help prints just that one):
${Object.entries(MANIFEST_SUBCOMMANDS)
  .map(([n, s]) => `  ${n.padEnd(8)} ${s.summary}`)
  .join('\n')}

Examples:
  ntl manifest verify data-manifests/demo.yaml data-manifests/treatments.yaml
  ntl manifest add data-manifests/mine.yaml --glob 'rasters/*_8bit.tif' --year-from-name \\
      --sensor harmonized --product chen2021-npp-viirs-like-8bit --id-prefix viirs-like-
  ntl manifest add my-data.yaml --file dl/F101992.v4b_web.stable_lights.avg_vis.tif \\
      --from-template data-manifests/templates/eog-dmsp-v4-annual.yaml
  ntl manifest add my-data.yaml --file counties.shp --id counties --kind boundaries --id-field code
A whole project (manifest + pipeline) from a boundary file and a folder of rasters: \`ntl init --help\`.

${VERIFY_HELP}
${ADD_HELP}`;
