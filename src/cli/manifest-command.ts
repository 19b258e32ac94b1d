/**
 * `ntl manifest verify|add`: check that the files a data manifest names are the ones recorded
 * (size + streamed sha256), and record new files deliberately.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { NtlError } from '../errors.js';
import {
  addManifestEntries,
  assertVerified,
  hashDifference,
  entriesFromGlob,
  shapefileCompanions,
  manifestFromSource,
  templateManifestSchema,
  verifyManifest,
  DMSP_SATELLITES,
  ENTRY_KINDS,
} from '../manifest/index.js';
import type { Manifest, ManifestEntry, NewEntry, NewEntryFields, TemplateEntry, TemplateManifest, VerifyItem, VerifyReport } from '../manifest/index.js';
import { displayPath, readYamlSource, schemaError } from '../pipeline/yaml-errors.js';
import type { YamlSource } from '../pipeline/yaml-errors.js';
import { dataDirFlag, optionalNumber } from './args.js';
import { parseCommandFlags } from './flags.js';
import type { CommandIo } from './zonal-command.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import { VERIFY_FLAGS, VERIFY_HELP, ADD_FLAGS, ADD_HELP, MANIFEST_SUBCOMMANDS, MANIFEST_HELP } from './specs/manifest.js';

export async function manifestCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(MANIFEST_HELP);
    return 0;
  }
  // Nothing (or a flag) where the subcommand goes: a usage error of `ntl manifest` itself, like an unknown command.
  if (sub === undefined || sub.startsWith('-')) {
    throw new NtlError(
      `ntl manifest: give a subcommand first: ${Object.keys(MANIFEST_SUBCOMMANDS).join(' or ')}, e.g. \`ntl manifest verify data-manifests/demo.yaml\` (see \`ntl manifest --help\`)`,
      2,
    );
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
  remote: 'remote (read in place)',
};

type Loaded = { kind: 'manifest'; manifest: Manifest } | { kind: 'template'; source: YamlSource; template: TemplateManifest };

async function verifyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('manifest verify', argv, VERIFY_FLAGS, io);
  if (values.help) {
    io.stdout(VERIFY_HELP);
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
  const noTerms = manifest.entries.filter((e) => e.licence === undefined || e.citation === undefined).map((e) => e.id);
  if (noTerms.length > 0) {
    const list = noTerms.length > 4 ? `${noTerms.slice(0, 3).join(', ')}, …` : noTerms.join(', ');
    lines.push(
      `  note: ${noTerms.length} entr${noTerms.length === 1 ? 'y has' : 'ies have'} no licence/citation (${list}): fine for private data; add them before sharing`,
    );
  }
  io.stdout(lines.join('\n') + '\n');
}

function detail(i: VerifyItem): string {
  switch (i.status) {
    case 'size-mismatch':
      return `  (${i.actualSize} bytes, recorded ${i.expectedSize}: ${i.actualSize! < i.expectedSize! ? `${i.expectedSize! - i.actualSize!} fewer` : `${i.actualSize! - i.expectedSize!} more`})`;
    case 'checksum-mismatch': {
      const d = hashDifference(i.actualSha256 ?? '', i.expectedSha256!);
      return `  (sha256 ${d.actual}, recorded ${d.expected}: first difference at character ${d.at}, in [ ]; size as recorded)`;
    }
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

async function addCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const cmd = 'manifest add';
  const { values, positionals } = parseCommandFlags(cmd, argv, ADD_FLAGS, io);
  if (values.help) {
    io.stdout(ADD_HELP);
    return 0;
  }
  if (positionals.length === 0)
    throw new NtlError('ntl manifest add: give the manifest file first, e.g. `ntl manifest add data-manifests/my.yaml --file <path> --id <id> ...`');
  const glob = typeof values.glob === 'string' && values.glob !== '' ? values.glob : undefined;
  if (positionals.length > 1) {
    throw new NtlError(
      glob !== undefined
        ? `ntl manifest add: unexpected argument "${positionals[1]}": the shell expanded the --glob pattern into file names; put the pattern in quotes, e.g. --glob 'rasters/*.tif'`
        : `ntl manifest add: unexpected argument "${positionals[1]}"; give one manifest, then --flags (see \`ntl manifest --help\`)`,
    );
  }
  const manifestPath = positionals[0]!;
  if (values.licence !== undefined && values.license !== undefined) throw new NtlError('ntl manifest add: give --licence or --license, not both');
  if (values.license !== undefined) values.licence = values.license;

  const file = typeof values.file === 'string' && values.file !== '' ? values.file : undefined;
  const fromName = values['year-from-name'] === true || values['month-from-name'] === true;
  if (glob !== undefined && file !== undefined) throw new NtlError('ntl manifest add: give --file (one file) or --glob (many), not both');
  if (glob !== undefined && values.id !== undefined)
    throw new NtlError('ntl manifest add: --id names one entry; with --glob the ids are <--id-prefix><year>, or the file names without extension');
  if (glob !== undefined && values.companion !== undefined)
    throw new NtlError("ntl manifest add: --companion belongs to one file; with --glob, a shapefile's .dbf/.shx/.prj/.cpg are found by themselves");
  if (glob === undefined) {
    for (const f of ['year-from-name', 'month-from-name', 'id-prefix']) {
      if (values[f] !== undefined) throw new NtlError(`ntl manifest add: --${f} works with --glob (many files); for one file give --id and --year`);
    }
  }
  if (fromName && values.year !== undefined) throw new NtlError('ntl manifest add: give --year or --year-from-name, not both');
  if (values['month-from-name'] === true && values.month !== undefined) throw new NtlError('ntl manifest add: give --month or --month-from-name, not both');

  const fields: Record<string, unknown> = {};
  const templatePath = typeof values['from-template'] === 'string' ? values['from-template'] : undefined;
  const perFileTemplate = templatePath !== undefined && glob !== undefined;
  // One file: the template entry's fields first; flags override them. (With --glob: per file, below.)
  if (templatePath !== undefined && !perFileTemplate) {
    Object.assign(fields, templateFields(await templateEntryFor(templatePath, typeof values.id === 'string' ? values.id : undefined, file)));
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

  // With a template and --glob, each file's kind comes from its template entry unless --kind is given.
  const kind = (fields.kind ?? (perFileTemplate ? undefined : 'raster')) as string | undefined;
  if (kind !== undefined && !(ENTRY_KINDS as readonly string[]).includes(kind)) {
    throw new NtlError(`ntl manifest add: --kind must be one of ${ENTRY_KINDS.join(', ')}, got "${kind}"`);
  }
  if (kind !== undefined) fields.kind = kind;
  if (typeof fields.satellite === 'string' && !(DMSP_SATELLITES as readonly string[]).includes(fields.satellite)) {
    throw new NtlError(`ntl manifest add: --satellite must be one of ${DMSP_SATELLITES.join(', ')}, got "${fields.satellite}"`);
  }

  // Every missing required field in one message (with a template and --glob, the entries are checked one by one).
  if (!perFileTemplate) {
    const k = (kind ?? 'raster') as keyof typeof REQUIRED;
    const missing: string[] = [];
    if (file === undefined && glob === undefined) missing.push('--file');
    for (const key of [...(glob === undefined ? ['id'] : []), ...REQUIRED[k]]) {
      if (key === 'year' && fromName) continue;
      if (fields[key] === undefined || fields[key] === '')
        missing.push(key === 'year' && glob !== undefined ? '--year-from-name (or --year)' : `--${key.replace(/_/g, '-')}`);
    }
    if (
      k === 'raster' &&
      (fields.sensor === 'viirs-monthly' || fields.sensor === 'blackmarble-monthly') &&
      fields.month === undefined &&
      values['month-from-name'] !== true
    )
      missing.push(`--month (sensor ${fields.sensor})`);
    if (missing.length > 0) {
      throw new NtlError(`ntl manifest add: missing ${missing.join(', ')} (required for a ${k} entry); see \`ntl manifest --help\``);
    }
  }

  const existed = existsSync(resolve(manifestPath));
  let items: NewEntry[];
  if (glob !== undefined) {
    const found = await entriesFromGlob({
      pattern: glob,
      fields,
      yearFromName: values['year-from-name'] === true,
      monthFromName: values['month-from-name'] === true,
      idPrefix: typeof values['id-prefix'] === 'string' ? values['id-prefix'] : undefined,
      perFile: !perFileTemplate
        ? undefined
        : async (f) => {
            try {
              return { fields: templateFields(await templateEntryFor(templatePath!, undefined, f)) };
            } catch (e) {
              if (e instanceof NtlError) return { problem: e.message };
              throw e;
            }
          },
    });
    items = found.map((it) => ({ ...it, companions: shapefileCompanions(it.file) }));
  } else {
    const given = values.companion as unknown as string[] | undefined;
    items = [{ fields: fields as unknown as NewEntryFields, file: file!, companions: given && given.length > 0 ? given : shapefileCompanions(file!) }];
  }
  // `--glob '*'` next to the manifest must not record (and then rewrite) the manifest itself.
  assertOutputsAreNotInputs(
    cmd,
    [{ flag: 'the manifest', path: manifestPath, example: 'data.yaml' }],
    items.flatMap((it) => [
      { flag: glob !== undefined ? `--glob '${glob}' file` : '--file', path: it.file },
      ...(it.companions ?? []).map((c) => ({ flag: '--companion', path: c })),
    ]),
  );
  const { entries } = await addManifestEntries(manifestPath, items, { replace: values.replace === true });

  const shown = displayPath(resolve(manifestPath));
  const verb = existed ? (values.replace ? 'recorded (replacing any entry with the same id)' : 'recorded') : 'created manifest and recorded';
  if (glob === undefined) {
    const entry = entries[0]!;
    const lines = [`${verb} '${entry.id}' in ${shown}:`];
    lines.push(`  kind    ${entry.kind}`);
    if (entry.kind === 'raster')
      lines.push(`  sensor  ${entry.sensor}${entry.satellite ? ` ${entry.satellite}` : ''}, year ${entry.year}${entry.month ? `, month ${entry.month}` : ''}`);
    lines.push(`  path    ${entry.path}`, `  size    ${entry.size} bytes`, `  sha256  ${entry.sha256}`);
    for (const c of entry.companions ?? []) lines.push(`  companion ${c.path}  ${c.size} bytes  sha256 ${c.sha256}`);
    io.stdout(lines.join('\n') + '\n');
  } else {
    const replacing = values.replace ? ' (replacing entries with the same ids)' : '';
    io.stdout(
      `${existed ? 'recorded' : 'created manifest and recorded'} ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${replacing} in ${shown}:\n${entryTable(entries)}`,
    );
  }
  warnMissingTerms(entries, shown, io);
  return 0;
}

/** The fields of a template entry that describe the data (not this copy of it). */
function templateFields(t: TemplateEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) if (k !== 'path' && k !== 'size' && k !== 'sha256' && k !== 'companions') out[k] = v;
  return out;
}

/** One aligned line per entry: id, what, path, size, short checksum. */
export function entryTable(entries: readonly ManifestEntry[]): string {
  const what = (e: ManifestEntry): string =>
    e.kind === 'raster' ? `${e.sensor} ${e.year}${e.month !== undefined ? `-${String(e.month).padStart(2, '0')}` : ''}` : e.kind;
  const idW = Math.max(...entries.map((e) => e.id.length));
  const whatW = Math.max(...entries.map((e) => what(e).length));
  return entries
    .map(
      (e) =>
        `  ${e.id.padEnd(idW)}  ${what(e).padEnd(whatW)}  ${e.path}  ${e.size ?? '?'} bytes  sha256 ${e.sha256 === undefined ? 'not recorded' : `${e.sha256.slice(0, 12)}…`}\n`,
    )
    .join('');
}

/** Private data may go without licence and citation: say so once, with how to add them. */
export function warnMissingTerms(
  entries: readonly ManifestEntry[],
  manifest: string,
  io: CommandIo,
  alternative = ' (or re-run this command with --licence "…" --citation "…" --replace)',
): void {
  const without = entries.filter((e) => e.licence === undefined || e.citation === undefined);
  if (without.length === 0) return;
  const ids = without.map((e) => e.id);
  const list = ids.length > 4 ? `${ids.slice(0, 3).join(', ')}, … (${ids.length} entries)` : ids.join(', ');
  io.stderr(
    `ntl: warning: no licence/citation recorded for ${list} in ${manifest} — fine for private data; before you share the data or results, ` +
      `add \`licence:\` and \`citation:\` lines to those entries${alternative}\n`,
  );
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
      `give --id with one of the template's ids (${entries
        .slice(0, 5)
        .map((e) => e.id)
        .join(', ')}${entries.length > 5 ? ', …' : ''}) or keep the official file name`,
  );
}
