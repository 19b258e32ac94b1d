/**
 * `ntl init`: a runnable project from a boundary file and a folder of rasters — a data manifest (the
 * boundaries entry and one raster entry per file, years from the file names) and a pipeline that reads it,
 * with comments showing what to edit next. Built from the library pieces `ntl manifest add`, `ntl zonal` and
 * `ntl run` use (manifest entries, zones reader, raster header reader, pipeline schema and resolver), so what
 * init writes is what run accepts: the texts are checked by the same schema and resolver before anything is
 * written, and the two files are written atomically (the first one is taken back if the second fails).
 */
import { INIT_SERIES } from './init-series.js';
import { existsSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { NtlError } from '../errors.js';
import { prepareManifestEntries, shapefileCompanions } from '../manifest/add.js';
import { entriesFromGlob } from '../manifest/glob-entries.js';
import { manifestFromSource } from '../manifest/load.js';
import { entryIdSchema } from '../manifest/schema.js';
import type { ManifestEntry, NewEntryFields, Sensor } from '../manifest/index.js';
import { writeFileAtomic } from '../output/atomic.js';
import { readRasterInfo } from '../raster/index.js';
import { describeEscape, escapeOf, isInside, projectRoot } from '../safety/paths.js';
import { readZones } from '../vector/index.js';
import { resolvePipeline } from './resolve.js';
import { pipelineSpecFromSource } from './spec.js';
import { displayPath, parseYamlText } from './yaml-errors.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';

export interface InitOptions {
  /** Boundary file (Shapefile or GeoJSON), relative to `cwd`. */
  readonly zones: string;
  /** Attribute with the unit ids. */
  readonly idField: string;
  /** Glob of the raster files, relative to `cwd`; each file name holds its year. */
  readonly rasters: string;
  /** Run name (names the output folder). */
  readonly name: string;
  /** Pipeline file to write. */
  readonly pipeline: string;
  /** Manifest file to write. */
  readonly manifest: string;
  readonly sensor: Sensor;
  readonly product?: string;
  /** Attribute with the unit names. */
  readonly nameField?: string;
  /** CRS of the boundaries when the file carries none. */
  readonly zonesCrs?: string;
  /** Output folder (default: out/<name> in the current folder, or beside the pipeline when it lies elsewhere). */
  readonly outDir?: string;
  /** Overwrite existing pipeline / manifest files. */
  readonly force?: boolean;
  readonly cwd?: string;
}

export interface InitResult {
  readonly pipelineFile: string;
  readonly manifestFile: string;
  readonly outDir: string;
  readonly units: number;
  readonly fields: readonly string[];
  readonly years: readonly number[];
  readonly entries: readonly ManifestEntry[];
  /** Notes from reading the boundaries (repaired rings, …). */
  readonly warnings: readonly string[];
}

export { INIT_SERIES } from './init-series.js';
const ZONES_ID = 'zones';

export async function initProject(o: InitOptions): Promise<InitResult> {
  const cwd = o.cwd ?? process.cwd();
  const at = (p: string): string => resolve(cwd, p);
  const pipelineFile = at(o.pipeline);
  const manifestFile = at(o.manifest);
  const name = entryIdSchema.safeParse(o.name);
  if (!name.success) throw new NtlError(`ntl init: --name "${o.name}" ${name.error.issues[0]?.message ?? 'is not a valid name'}`);
  if (pipelineFile === manifestFile) throw new NtlError('ntl init: --out and --manifest name the same file; give two different files');
  const written = [
    { flag: '--manifest', path: displayPath(manifestFile), example: `${o.name}.yaml` },
    { flag: '--out', path: displayPath(pipelineFile), example: `${o.name}.yaml` },
  ];
  assertOutputsAreNotInputs('init', written, [{ flag: '--zones', path: displayPath(at(o.zones)) }]);

  // Nothing is overwritten unless asked.
  if (!o.force) {
    const existing = [pipelineFile, manifestFile].filter((f) => existsSync(f)).map((f) => displayPath(f));
    if (existing.length > 0) {
      throw new NtlError(
        `ntl init: ${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; choose another --name (or --out / --manifest), or pass --force to overwrite`,
      );
    }
  }

  // The pipeline must reach the manifest and its output folder inside its project, as `ntl run` requires.
  const pipelineDir = dirname(pipelineFile);
  const outDir = o.outDir !== undefined ? at(o.outDir) : resolve(isInside(cwd, pipelineFile) ? cwd : pipelineDir, 'out', o.name);
  const root = projectRoot(pipelineFile);
  for (const [what, target, fix] of [
    ['the manifest', manifestFile, 'put --manifest and --out in the same project folder'],
    ['the output folder', outDir, 'choose an --outputs-dir inside it'],
  ] as const) {
    const kind = escapeOf(root, pipelineDir, slashes(relative(pipelineDir, target)));
    if (kind !== null)
      throw new NtlError(
        `ntl init: ${what} ${displayPath(target)} seen from the pipeline ${displayPath(pipelineFile)} ${describeEscape(kind, displayPath(root))}, so \`ntl run\` would refuse it; ${fix}`,
      );
  }

  // The boundary file opens and has the id field (readZones lists the fields when it does not).
  const zonesFile = at(o.zones);
  let zoneSet;
  try {
    zoneSet = await readZones(displayPath(zonesFile), { idField: o.idField, crs: o.zonesCrs });
  } catch (e) {
    if (e instanceof NtlError) throw new NtlError(`ntl init: --zones: ${e.message.replace('pass one of them as the id field', 'pass one of them as --id')}`);
    throw e;
  }
  if (o.nameField !== undefined && !zoneSet.fields.includes(o.nameField)) {
    throw new NtlError(`ntl init: --name-field: ${displayPath(zonesFile)} has no field "${o.nameField}"; available fields: ${zoneSet.fields.join(', ')}`);
  }

  // One raster entry per file, year from its name; every file must open as a GeoTIFF.
  const rasterFields: Record<string, unknown> = { kind: 'raster', sensor: o.sensor };
  if (o.product !== undefined) rasterFields.product = o.product;
  const rasters = await entriesFromGlob({
    pattern: o.rasters,
    cwd,
    fields: rasterFields,
    yearFromName: true,
    idPrefix: `${INIT_SERIES}-`,
    command: 'ntl init',
    flag: '--rasters',
    nameHint: 'rename the file, or narrow --rasters so that it is left out',
  });
  assertOutputsAreNotInputs('init', written, [
    { flag: '--zones', path: displayPath(at(o.zones)) },
    ...rasters.map((r) => ({ flag: `--rasters '${o.rasters}' file`, path: displayPath(r.file) })),
  ]);
  const problems: string[] = [];
  const byYear = new Map<number, string[]>();
  const nodata: (number | null)[] = [];
  for (const r of rasters) {
    const shown = displayPath(r.file);
    if ((r.problems ?? []).length > 0) {
      for (const p of r.problems!) problems.push(`${shown}: ${p}`);
      continue;
    }
    const year = (r.fields as { year: number }).year;
    byYear.set(year, [...(byYear.get(year) ?? []), shown]);
    try {
      nodata.push((await readRasterInfo(r.file)).nodata);
    } catch (e) {
      if (!(e instanceof NtlError)) throw e;
      problems.push(`${shown}: cannot be read as a GeoTIFF raster: ${e.message}`);
    }
  }
  for (const [year, files] of byYear) {
    if (files.length > 1)
      problems.push(
        `${files.join(' and ')} ${files.length === 2 ? 'both' : 'all'} have year ${year}; a series has one file per year — keep one, or narrow --rasters`,
      );
  }
  if (problems.length > 0) {
    throw new NtlError(
      `ntl init: ${problems.length} problem(s) with the rasters of --rasters '${o.rasters}', nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);

  // The manifest: boundaries first, then the rasters by year.
  const boundaryFields: Record<string, unknown> = { id: ZONES_ID, kind: 'boundaries', id_field: o.idField };
  if (o.nameField !== undefined) boundaryFields.name_field = o.nameField;
  if (o.zonesCrs !== undefined) boundaryFields.crs = o.zonesCrs;
  const sortedRasters = [...rasters].sort((a, b) => (a.fields as { year: number }).year - (b.fields as { year: number }).year);
  const prepared = await prepareManifestEntries(
    manifestFile,
    [{ fields: boundaryFields as unknown as NewEntryFields, file: zonesFile, companions: shapefileCompanions(zonesFile) }, ...sortedRasters],
    {
      fresh: true,
      header: [
        `Data manifest written by \`ntl init\`: the input files of ${slashes(relative(dirname(manifestFile), pipelineFile))}, each with its size and sha256.`,
        `Check them: npx ntl manifest verify ${slashes(relative(cwd, manifestFile))}`,
        "More rasters: npx ntl manifest add <this file> --glob 'folder/*.tif' --year-from-name --sensor … --id-prefix lights-",
        'Before you share data or results, add licence: and citation: to the entries (data-manifests/README.md).',
      ],
    },
  );

  const pipelineText = pipelineYaml({
    name: o.name,
    manifestRel: slashes(relative(pipelineDir, manifestFile)),
    outRel: slashes(relative(pipelineDir, outDir)),
    runCommand: `npx ntl run ${slashes(relative(cwd, pipelineFile))}`,
    zonesShown: slashes(relative(cwd, zonesFile)),
    units: zoneSet.zones.length,
    idField: o.idField,
    fields: zoneSet.fields,
    nameField: o.nameField,
    sensor: o.sensor,
    product: o.product,
    years,
    nodataZero: nodata.length > 0 && nodata.every((v) => v === 0),
  });

  // Read both back through the schema and resolver `ntl run` uses: a file init writes always runs.
  const manifest = manifestFromSource(parseYamlText(prepared.text, manifestFile, 'manifest'));
  const spec = pipelineSpecFromSource(parseYamlText(pipelineText, pipelineFile, 'pipeline spec'));
  resolvePipeline(spec, [manifest]);

  const previous = existsSync(manifestFile) ? await readFile(manifestFile) : undefined;
  await writeFileAtomic(manifestFile, prepared.text);
  try {
    await writeFileAtomic(pipelineFile, pipelineText);
  } catch (e) {
    // Leave no manifest without its pipeline (or restore the one --force replaced).
    if (previous === undefined) await unlink(manifestFile).catch(() => undefined);
    else await writeFileAtomic(manifestFile, previous).catch(() => undefined);
    throw e;
  }
  return {
    pipelineFile,
    manifestFile,
    outDir,
    units: zoneSet.zones.length,
    fields: zoneSet.fields,
    years,
    entries: prepared.entries,
    warnings: zoneSet.warnings,
  };
}

function slashes(p: string): string {
  return p.split(sep).join('/');
}

interface PipelineText {
  readonly name: string;
  readonly manifestRel: string;
  readonly outRel: string;
  readonly runCommand: string;
  readonly zonesShown: string;
  readonly units: number;
  readonly idField: string;
  readonly fields: readonly string[];
  readonly nameField?: string;
  readonly sensor: Sensor;
  readonly product?: string;
  readonly years: readonly number[];
  readonly nodataZero: boolean;
}

/** Panel years as the pipeline schema wants them: a range when contiguous, a list otherwise. */
export function yearsYaml(years: readonly number[]): string {
  const first = years[0]!,
    last = years[years.length - 1]!;
  if (years.length === 1) return `[${first}]`;
  if (last - first === years.length - 1) return `{ from: ${first}, to: ${last} }`;
  const step = years[1]! - first;
  if (years.every((y, i) => y === first + i * step)) return `{ from: ${first}, to: ${last}, step: ${step} }`;
  return `[${years.join(', ')}]`;
}

function yamlString(s: string): string {
  return /^[A-Za-z0-9_.\-/]+$/.test(s) ? s : JSON.stringify(s);
}

function pipelineYaml(p: PipelineText): string {
  const others = p.fields.filter((f) => f !== p.idField);
  const fieldList = others.length > 0 ? others.slice(0, 8).join(', ') + (others.length > 8 ? ', …' : '') : '(none)';
  const select = `{ sensor: ${p.sensor}${p.product !== undefined ? `, product: ${yamlString(p.product)}` : ''} }`;
  const col = (line: string, comment: string): string => `${line.padEnd(Math.max(35, line.length + 2))}# ${comment}`;
  return [
    `# Pipeline written by \`ntl init\`: ${p.units} units of ${p.zonesShown} × ${p.years.length} raster(s), ${p.years[0]}–${p.years[p.years.length - 1]}.`,
    `# Run it:  ${p.runCommand}`,
    '# Edit freely: the commented lines show what else a pipeline can do (README.md, "Pipelines"); a typo or an',
    '# unknown key is reported with its line before anything runs.',
    'pipeline: 1',
    `name: ${p.name}`,
    col(`manifests: [${yamlString(p.manifestRel)}]`, 'the input files, with sizes and checksums'),
    'boundaries:',
    col(`  entry: ${ZONES_ID}`, `the boundaries entry of the manifest; unit ids from its id_field (${p.idField})`),
    p.nameField === undefined
      ? col('  # name: NAME_FIELD', `attribute with unit names; fields: ${fieldList}`)
      : col(`  name: ${p.nameField}`, 'attribute with the unit names'),
    col('  # parent: PARENT_FIELD', 'parent (e.g. prefecture) code, for inequality by group; province: … likewise'),
    col('  # crs: EPSG:4326', 'when the file carries no CRS (.prj)'),
    col('  # units: all', 'default mainland: drop Hong Kong, Macau, Taiwan units (GB/T 2260 codes 81, 82, 71)'),
    col('series:', 'one or more; each becomes a `source` value of the panel'),
    `  - name: ${INIT_SERIES}`,
    col(`    select: ${select}`, 'every raster entry of the manifest with this sensor (and product)'),
    col('    # duplicates: mean', 'two files for one year: error (default) | mean | prefer-newer-satellite | …'),
    col('  # - name: dmsp', 'a second series, e.g. DMSP-OLS entries of another manifest:'),
    '  #   select: { sensor: dmsp-ols, years: { from: 1992, to: 2013 } }',
    col(`years: ${yearsYaml(p.years)}`, 'the years in the file names; or a list [2015, 2017]'),
    'zonal:',
    col('  stats: [count, sum, mean]', 'also: min, max, stdev, median, quantile:0.9, lit_count, lit_share, area_km2, …'),
    col('  rule: exact', 'exact: fractional cell coverage | centre: cell centre inside the polygon'),
    col(
      `  nodata_as_zero: ${p.nodataZero}`,
      p.nodataZero
        ? 'the rasters store dark cells as no-data 0: count them as 0'
        : 'true: count no-data cells as 0 (8-bit files that store dark cells as no-data)',
    ),
    col('  # lit_threshold: 0', 'lit_count / lit_share count cells brighter than this'),
    col('# calibrate:', 'calibration before zonal statistics (`npx ntl calibrate --help`), e.g.'),
    `#   - { step: viirs_denoise, series: ${INIT_SERIES}, threshold: 0.3 }`,
    col('# gap: { value: mean, ref: median }', '→ panel column mean_gap (value / median of its year)'),
    col('# inequality: { value: mean, group: prefecture, measures: [gini, theil, cv] }', 'needs boundaries.parent'),
    col('# spatial: { rule: queen, snap_m: 1 }', '→ adjacency.csv / .gal'),
    col('# treatment: { table: my-policy, unit: code, time: first_year }', 'a manifest table entry (kind: table, role: treatment)'),
    `# estimate: { level: county, outcome: mean, source: ${INIT_SERIES}, models: [did, eventstudy] }`,
    'outputs:',
    col(`  dir: ${yamlString(p.outRel)}`, 'relative to this file'),
    col('  formats: [csv]', 'also: parquet, dta'),
    col('  # wide: true', 'panel_wide.*: one column per series × year × statistic'),
    col('  # maps: true', 'one PNG map per series and year'),
    col('  # report: true', 'report.html'),
    '',
  ].join('\n');
}
