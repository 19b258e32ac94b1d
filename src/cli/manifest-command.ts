/**
 * `ntl manifest verify|add`: check that the files a data manifest names are the ones recorded
 * (size + streamed sha256), and record new files deliberately.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { NtlError } from '../errors.js';
import {
  addManifestEntry,
  assertVerified,
  manifestFromSource,
  templateManifestSchema,
  verifyManifest,
  DMSP_SATELLITES,
  ENTRY_KINDS,
  SENSORS,
  TABLE_ROLES,
} from '../manifest/index.js';
import type { Manifest, NewEntryFields, TemplateEntry, TemplateManifest, VerifyItem, VerifyReport } from '../manifest/index.js';
import { displayPath, readYamlSource, schemaError } from '../pipeline/yaml-errors.js';
import type { YamlSource } from '../pipeline/yaml-errors.js';
import { dataDirFlag, optionalNumber, parseFlags } from './args.js';
import type { CommandIo } from './zonal-command.js';

export const MANIFEST_HELP = `ntl manifest — data manifests: every input file named, sized and checksummed

Usage:
  ntl manifest verify <manifest.yaml> [more.yaml ...] [--data-dir DIR]
  ntl manifest add <manifest.yaml> --file <path> --id <id> [--kind raster|boundaries|table] [fields]

verify
  Checks every local file of each manifest: it exists, has the recorded size and sha256 (streamed).
  Prints one line per file (ok, MISSING, SIZE MISMATCH, CHECKSUM MISMATCH, no local copy (url only),
  not recorded (null)) and a summary. Exit 0 only when every recorded file is ok, else 1; entries whose
  size / sha256 are null (not recorded yet) are listed, not verified (\`ntl fetch --record\` fills them).
  --data-dir <dir>   where the files of manifests that declare \`data_dir:\` are (default: that data_dir,
                     relative to the manifest); entries marked shipped: true stay relative to the manifest.
  A template manifest (template: true) lists official files without checksums: verify lists them
  and exits 1 (nothing to verify) — record your downloads with \`ntl manifest add --from-template\`.

add
  Measures the file (size, sha256) and writes the entry into the manifest, keeping the other entries
  and comments. Creates the manifest (manifest: 1, name = file name) when it does not exist.
  The path is stored relative to the manifest file.

  --file <path>            the file to record (required)
  --id <id>                entry id: letters, digits, '.', '_', '-' (required)
  --kind <kind>            raster (default), boundaries or table
  --licence <text>         terms of use (required; --license works too)
  --citation <text>        how to cite the data (required)
  --url <url>              where the file can be downloaded
  --notes <text>           quirks worth knowing
  --companion <path>       extra file checked with the entry (repeatable), e.g. a shapefile's
                           .dbf/.shx/.prj/.cpg; for a .shp these siblings are added when not given
  --replace                overwrite an entry with the same id (default: an existing id is an error)
  --from-template <t.yaml> take the fields of the matching entry (same --id, or same file name) of a
                           template manifest; flags given here override them
 raster (required: --sensor, --year)
  --sensor <s>             ${SENSORS.join(', ')}
  --satellite <F10..F18>   DMSP satellite (sensor dmsp-ols only)
  --year <yyyy>            --month <1-12> (viirs-monthly only)   --band <n>
  --product <text>         product/variant, e.g. stable_lights, average_masked
  --crs <crs>              CRS when the file carries none, e.g. EPSG:4326
 boundaries (required: --id-field)
  --id-field <f>  --name-field <f>  --parent-field <f>  --province-field <f>
  --encoding <e>  --crs <crs>  --vintage <yyyy>
 table (required: --role)
  --role <r>               ${TABLE_ROLES.join(', ')}
  --encoding <e>  --vintage <yyyy>

Examples:
  ntl manifest verify data-manifests/demo.yaml data-manifests/treatments.yaml
  ntl manifest add my-data.yaml --file dl/F101992.v4b_web.stable_lights.avg_vis.tif \\
      --from-template data-manifests/templates/eog-dmsp-v4-annual.yaml
  ntl manifest add my-data.yaml --file counties.shp --id counties --kind boundaries \\
      --id-field code --licence "..." --citation "..."
`;

export async function manifestCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(MANIFEST_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'verify') return verifyCommand(rest, io);
  if (sub === 'add') return addCommand(rest, io);
  throw new NtlError(`ntl manifest: unknown subcommand "${sub}"; use verify or add (see \`ntl manifest --help\`)`);
}

// --- verify ---------------------------------------------------------------------------------------

const STATUS_LABEL: Record<VerifyItem['status'], string> = {
  ok: 'ok',
  missing: 'MISSING',
  'size-mismatch': 'SIZE MISMATCH',
  'checksum-mismatch': 'CHECKSUM MISMATCH',
  'no-local-path': 'no local copy (url only)',
  unrecorded: 'not recorded (null)',
};

type Loaded = { kind: 'manifest'; manifest: Manifest } | { kind: 'template'; source: YamlSource; template: TemplateManifest };

async function verifyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('manifest verify', argv, { help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' }, 'data-dir': { type: 'string' } });
  if (values.help) {
    io.stdout(MANIFEST_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new NtlError('ntl manifest verify: give at least one manifest file, e.g. `ntl manifest verify data-manifests/demo.yaml`');

  // Read every manifest first: a typo in the last one should not wait for the hashing of the others.
  const loaded: Loaded[] = [];
  const dataDir = dataDirFlag('manifest verify', values);
  for (const p of positionals) loaded.push(await loadAny(p, dataDir));

  const failures: string[] = [];
  for (const l of loaded) {
    if (l.kind === 'template') {
      printTemplate(l.source, l.template, io);
      failures.push(
        `${l.source.display}: is a template (template: true): it names ${l.template.entries.length} official file(s) but records no checksums, so there is nothing to verify; ` +
          `download the files and record your copies with \`ntl manifest add <your.yaml> --from-template ${l.source.display} --file <download>\`, then verify your manifest`,
      );
      continue;
    }
    const report = await verifyManifest(l.manifest);
    printReport(l.manifest, report, io);
    try {
      assertVerified(report);
    } catch (e) {
      if (e instanceof NtlError) failures.push(e.message);
      else throw e;
    }
  }
  if (failures.length > 0) throw new NtlError(failures.join('\n'));
  return 0;
}

async function loadAny(path: string, dataDir?: string): Promise<Loaded> {
  const source = await readYamlSource(path, 'manifest');
  const data = source.data as Record<string, unknown> | null;
  if (data !== null && typeof data === 'object' && data.template === true) {
    const parsed = templateManifestSchema.safeParse(data);
    if (!parsed.success) throw schemaError(source, parsed.error.issues);
    return { kind: 'template', source, template: parsed.data };
  }
  return { kind: 'manifest', manifest: manifestFromSource(source, { dataDir }) };
}

function printReport(manifest: Manifest, report: VerifyReport, io: CommandIo): void {
  const width = Math.max(...Object.values(STATUS_LABEL).map((s) => s.length));
  const lines = [`${report.manifest}:`];
  for (const i of report.items) {
    const what = i.part === 'main' ? i.entryId : `${i.entryId} (companion)`;
    const where = i.path ?? i.url ?? '';
    lines.push(`  ${STATUS_LABEL[i.status].padEnd(width)}  ${what}  ${where}${detail(i)}`);
  }
  const counts = new Map<string, number>();
  for (const i of report.items) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  const parts = (Object.keys(STATUS_LABEL) as VerifyItem['status'][])
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s === 'ok' ? 'ok' : STATUS_LABEL[s].toLowerCase()}`);
  const entries = manifest.entries.length;
  lines.push(
    `  ${report.items.length} file(s) in ${entries} entr${entries === 1 ? 'y' : 'ies'}: ${parts.join(', ') || 'none'}` +
      (!report.ok ? ' — NOT verified' : counts.has('unrecorded') ? ' — every recorded file verified' : ' — all verified'),
  );
  io.stdout(lines.join('\n') + '\n');
}

function detail(i: VerifyItem): string {
  switch (i.status) {
    case 'size-mismatch':
      return `  (${i.actualSize} bytes, recorded ${i.expectedSize})`;
    case 'checksum-mismatch':
      return `  (sha256 ${i.actualSha256?.slice(0, 12)}…, recorded ${i.expectedSha256?.slice(0, 12)}…)`;
    case 'unrecorded':
      return i.actualSize !== undefined ? '  (file present: record it with `ntl fetch … --record`)' : '  (nothing to verify until fetched and recorded)';
    default:
      return '';
  }
}

function printTemplate(source: YamlSource, t: TemplateManifest, io: CommandIo): void {
  const lines = [`${source.display}: template (${t.entries.length} entries, no checksums recorded)`];
  for (const e of t.entries) {
    lines.push(`  template  ${e.id}  ${e.path ?? e.url ?? ''}  — run \`ntl manifest add\` on your copy`);
  }
  io.stdout(lines.join('\n') + '\n');
}

// --- add ------------------------------------------------------------------------------------------

const ADD_FLAGS = {
  file: { type: 'string' },
  id: { type: 'string' },
  kind: { type: 'string' },
  sensor: { type: 'string' },
  satellite: { type: 'string' },
  year: { type: 'string' },
  month: { type: 'string' },
  band: { type: 'string' },
  product: { type: 'string' },
  licence: { type: 'string' },
  license: { type: 'string' },
  citation: { type: 'string' },
  url: { type: 'string' },
  notes: { type: 'string' },
  'id-field': { type: 'string' },
  'name-field': { type: 'string' },
  'parent-field': { type: 'string' },
  'province-field': { type: 'string' },
  encoding: { type: 'string' },
  crs: { type: 'string' },
  vintage: { type: 'string' },
  role: { type: 'string' },
  format: { type: 'string' },
  companion: { type: 'string', multiple: true },
  replace: { type: 'boolean' },
  'from-template': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;

/** Flag name → entry key, for the plain text fields. */
const TEXT_FIELDS: Readonly<Record<string, string>> = {
  sensor: 'sensor',
  satellite: 'satellite',
  product: 'product',
  licence: 'licence',
  citation: 'citation',
  url: 'url',
  notes: 'notes',
  'id-field': 'id_field',
  'name-field': 'name_field',
  'parent-field': 'parent_field',
  'province-field': 'province_field',
  encoding: 'encoding',
  crs: 'crs',
  role: 'role',
  format: 'format',
};

const REQUIRED: Readonly<Record<(typeof ENTRY_KINDS)[number], readonly string[]>> = {
  raster: ['sensor', 'year'],
  boundaries: ['id_field'],
  table: ['role'],
};

const SHAPEFILE_SIBLINGS = ['.dbf', '.shx', '.prj', '.cpg'];

async function addCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const cmd = 'manifest add';
  const { values, positionals } = parseFlags(cmd, argv, ADD_FLAGS);
  if (values.help) {
    io.stdout(MANIFEST_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new NtlError('ntl manifest add: give the manifest file first, e.g. `ntl manifest add data-manifests/my.yaml --file <path> --id <id> ...`');
  if (positionals.length > 1) throw new NtlError(`ntl manifest add: unexpected argument "${positionals[1]}"; give one manifest, then --flags (see \`ntl manifest --help\`)`);
  const manifestPath = positionals[0];
  if (values.licence !== undefined && values.license !== undefined) throw new NtlError('ntl manifest add: give --licence or --license, not both');
  if (values.license !== undefined) values.licence = values.license;

  const file = typeof values.file === 'string' && values.file !== '' ? values.file : undefined;
  const fields: Record<string, unknown> = {};

  // Fields from a template entry first; flags override them.
  const templatePath = values['from-template'];
  if (typeof templatePath === 'string') {
    const t = await templateEntryFor(templatePath, typeof values.id === 'string' ? values.id : undefined, file);
    for (const [k, v] of Object.entries(t)) {
      if (k === 'path' || k === 'size' || k === 'sha256' || k === 'companions') continue;
      fields[k] = v;
    }
  }
  if (typeof values.id === 'string') fields.id = values.id;
  if (typeof values.kind === 'string') fields.kind = values.kind;
  for (const [flag, key] of Object.entries(TEXT_FIELDS)) {
    const v = values[flag];
    if (typeof v === 'string') fields[key] = v;
  }
  const year = optionalNumber(cmd, values, 'year', Number.isInteger, 'a whole year, e.g. 2012');
  const month = optionalNumber(cmd, values, 'month', (n) => Number.isInteger(n) && n >= 1 && n <= 12, 'a month 1-12');
  const band = optionalNumber(cmd, values, 'band', (n) => Number.isInteger(n) && n >= 1, 'a band number ≥ 1');
  const vintage = optionalNumber(cmd, values, 'vintage', Number.isInteger, 'a whole year, e.g. 2019');
  if (year !== undefined) fields.year = year;
  if (month !== undefined) fields.month = month;
  if (band !== undefined) fields.band = band;
  if (vintage !== undefined) fields.vintage = vintage;

  const kind = (fields.kind ?? 'raster') as string;
  if (!(ENTRY_KINDS as readonly string[]).includes(kind)) {
    throw new NtlError(`ntl manifest add: --kind must be one of ${ENTRY_KINDS.join(', ')}, got "${kind}"`);
  }
  fields.kind = kind;
  if (typeof fields.satellite === 'string' && !(DMSP_SATELLITES as readonly string[]).includes(fields.satellite)) {
    throw new NtlError(`ntl manifest add: --satellite must be one of ${DMSP_SATELLITES.join(', ')}, got "${fields.satellite}"`);
  }

  // Every missing required field in one message.
  const missing: string[] = [];
  if (file === undefined) missing.push('--file');
  for (const key of ['id', 'licence', 'citation', ...REQUIRED[kind as keyof typeof REQUIRED]]) {
    if (fields[key] === undefined || fields[key] === '') missing.push(`--${key.replace(/_/g, '-')}`);
  }
  if (kind === 'raster' && fields.sensor === 'viirs-monthly' && fields.month === undefined) missing.push('--month (sensor viirs-monthly)');
  if (missing.length > 0) {
    throw new NtlError(`ntl manifest add: missing ${missing.join(', ')} (required for a ${kind} entry); see \`ntl manifest --help\``);
  }

  const companions = companionsFor(file!, values.companion as unknown as string[] | undefined);
  const existed = existsSync(resolve(manifestPath));
  const entry = await addManifestEntry(manifestPath, fields as unknown as NewEntryFields, file!, {
    replace: values.replace === true,
    companions,
  });

  const shown = displayPath(resolve(manifestPath));
  const lines = [`${existed ? (values.replace ? 'recorded (replacing any entry with this id)' : 'recorded') : 'created manifest and recorded'} '${entry.id}' in ${shown}:`];
  lines.push(`  kind    ${entry.kind}`);
  if (entry.kind === 'raster') lines.push(`  sensor  ${entry.sensor}${entry.satellite ? ` ${entry.satellite}` : ''}, year ${entry.year}${entry.month ? `, month ${entry.month}` : ''}`);
  lines.push(`  path    ${entry.path}`, `  size    ${entry.size} bytes`, `  sha256  ${entry.sha256}`);
  for (const c of entry.companions ?? []) lines.push(`  companion ${c.path}  ${c.size} bytes  sha256 ${c.sha256}`);
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

/** Explicit --companion files, else the sibling .dbf/.shx/.prj/.cpg of a shapefile. */
function companionsFor(file: string, given: readonly string[] | undefined): string[] {
  if (given && given.length > 0) return [...given];
  const ext = extname(file);
  if (ext.toLowerCase() !== '.shp') return [];
  const stem = join(dirname(file), basename(file, ext));
  const out: string[] = [];
  for (const sib of SHAPEFILE_SIBLINGS) {
    for (const candidate of [stem + sib, stem + sib.toUpperCase()]) {
      if (existsSync(candidate)) {
        out.push(candidate);
        break;
      }
    }
  }
  return out;
}

async function templateEntryFor(path: string, id: string | undefined, file: string | undefined): Promise<TemplateEntry> {
  const source = await readYamlSource(path, 'template manifest');
  const data = source.data as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object' || data.template !== true) {
    throw new NtlError(`${source.display}: --from-template needs a template manifest (with \`template: true\`); this one is not`);
  }
  const parsed = templateManifestSchema.safeParse(data);
  if (!parsed.success) throw schemaError(source, parsed.error.issues);
  const entries = parsed.data.entries;
  if (id !== undefined) {
    const byId = entries.find((e) => e.id === id);
    if (byId) return byId;
  }
  if (file !== undefined) {
    const name = basename(file);
    const byName = entries.filter((e) => e.path !== undefined && basename(e.path) === name);
    if (byName.length === 1) return byName[0];
  }
  throw new NtlError(
    `${source.display}: no template entry matches ${id !== undefined ? `--id ${id}` : ''}${id !== undefined && file !== undefined ? ' or ' : ''}${file !== undefined ? `the file name ${basename(file)}` : ''}; ` +
      `give --id with one of the template's ids (${entries.slice(0, 5).map((e) => e.id).join(', ')}${entries.length > 5 ? ', …' : ''}) or keep the official file name`,
  );
}
