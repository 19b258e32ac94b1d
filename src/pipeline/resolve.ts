/**
 * Spec + manifests → a concrete plan: for every series and year, which file (absolute path and
 * sha256) to read. All cross-file checks live here — unknown ids, wrong entry kinds, duplicate
 * years, years no input covers — each reported at the spec's YAML line.
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { NtlError } from '../errors.js';
import { fileSize } from '../manifest/hash.js';
import { entryFile, entryLine, loadManifest } from '../manifest/load.js';
import type { BoundariesEntry, Manifest, ManifestEntry, RasterEntry, Sensor, TableEntry } from '../manifest/schema.js';
import { MONTHLY_SENSORS, rasterFormatOf } from '../manifest/schema.js';
import { canonicalJson, pipelineHash } from './spec.js';
import type { CalibrateStep, OutputFormat, PipelineSpec, PipelineSpecData, SeriesSpec } from './spec.js';
import { errorAt, displayPath, lineOf } from './yaml-errors.js';
import { assertContained } from '../safety/contain.js';
import type { DataPath } from './yaml-errors.js';

/** A manifest entry pinned to a local file. */
export interface ResolvedFile<E extends ManifestEntry = ManifestEntry> {
  readonly entry: E;
  /** Manifest (display path) the entry came from. */
  readonly manifest: string;
  /** Absolute path of the local copy; for `access: remote` entries the url, read in place. */
  readonly file: string;
  /** Recorded sha256 ('' when a remote entry records none: a remote file is never hashed). */
  readonly sha256: string;
  readonly size: number;
  /** `access: remote`: the version pins to check (the size is always checked). */
  readonly remote?: { readonly etag?: string; readonly lastModified?: string };
  /** Companion files (e.g. .dbf/.shx/.prj), absolute paths. */
  readonly companions: readonly { readonly file: string; readonly sha256: string; readonly size: number }[];
}

/** One panel period of a series: usually one file; several when `duplicates: mean`. */
export interface ResolvedInput {
  readonly year: number;
  /** Only for monthly series. */
  readonly month?: number;
  readonly entries: readonly ResolvedFile<RasterEntry>[];
  /**
   * single: read entries[0]; mean: average the entries' statistics; composite: combine the two entries pixel by pixel
   * (calibrate composite step); mosaic: the entries are Black Marble tiles of one date, read as one raster.
   */
  readonly combine: 'single' | 'mean' | 'composite' | 'mosaic';
}

export interface ResolvedSeries {
  readonly name: string;
  readonly sensor: Sensor;
  readonly monthly: boolean;
  /** panel: zonal statistics per period; calibration: read only by calibrate steps. */
  readonly role: 'panel' | 'calibration';
  /** Panel years this series contributes, ascending. */
  readonly years: readonly number[];
  /** Sorted by year, then month. */
  readonly inputs: readonly ResolvedInput[];
  /** The weighting raster of `weights:`, pinned, and `default_weight` (null = none). */
  readonly weights?: { readonly file: ResolvedFile<RasterEntry>; readonly defaultWeight: number | null };
}

export interface ResolvedBoundaries extends ResolvedFile<BoundariesEntry> {
  readonly idField: string;
  readonly nameField?: string;
  readonly parentField?: string;
  readonly provinceField?: string;
  readonly encoding?: string;
  readonly crs?: string;
  /** Code-list year of the unit codes (from the manifest entry). */
  readonly vintage?: number;
  /** mainland: Hong Kong, Macau and Taiwan units are dropped after the hierarchy stage. */
  readonly units: 'mainland' | 'all';
}

export interface ResolvedPipeline {
  readonly name: string;
  readonly spec: PipelineSpec;
  /** pipelineHash(spec). */
  readonly specHash: string;
  /** sha256 over specHash and the sha256 of every input file: changes whenever any input changes. */
  readonly inputsHash: string;
  readonly years: readonly number[];
  readonly boundaries: ResolvedBoundaries;
  readonly series: readonly ResolvedSeries[];
  readonly zonal: PipelineSpecData['zonal'];
  readonly calibrate: readonly CalibrateStep[];
  readonly hierarchy: { readonly crosswalk?: ResolvedFile<TableEntry>; readonly targetVintage?: number };
  /** The treatment table of spatial.exposure, pinned. */
  readonly exposureTable?: ResolvedFile<TableEntry>;
  /** The treatment table of the treatment section, pinned. */
  readonly treatmentTable?: ResolvedFile<TableEntry>;
  /** The covariates table of estimate.covariates, pinned. */
  readonly covariatesTable?: ResolvedFile<TableEntry>;
  readonly outputs: {
    /** Absolute output folder. */
    readonly dir: string;
    readonly formats: readonly OutputFormat[];
    readonly wide: boolean;
    readonly maps: boolean;
    readonly report: boolean;
    readonly mapStat: string;
  };
  readonly concurrency: number;
  /** Things the user should know that do not stop the run (gaps, unused entries). */
  readonly warnings: readonly string[];
}

export interface PipelineManifestOptions {
  /** --data-dir: replaces the `data_dir` of every manifest that declares one. */
  readonly dataDir?: string;
}

/** Load every manifest the spec names (paths relative to the spec file). */
export async function loadPipelineManifests(spec: PipelineSpec, options: PipelineManifestOptions = {}): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const [i, p] of spec.manifests.entries()) {
    const file = resolve(dirname(spec.source.file), p);
    assertContained(spec.source.file, dirname(spec.source.file), p, `${spec.source.display} line ${lineOf(spec.source, ['manifests', i])}: manifests[${i}]`);
    if ((await fileSize(file)) === undefined) {
      throw errorAt(spec.source, ['manifests', i], `manifest file not found: ${displayPath(file)}; check the path (it is relative to the pipeline file)`);
    }
    out.push(await loadManifest(file, { dataDir: options.dataDir }));
  }
  return out;
}

interface Located {
  readonly entry: ManifestEntry;
  readonly manifest: Manifest;
}

export interface ResolveOptions {
  /**
   * error (default): an entry the pipeline reads whose size / sha256 are null is refused. allow: pin it anyway
   * (size -1, sha256 '') — only for listing what a pipeline reads (`ntl fetch --for`), never for running it.
   */
  readonly unrecorded?: 'error' | 'allow';
}

export function resolvePipeline(spec: PipelineSpec, manifests: readonly Manifest[], options: ResolveOptions = {}): ResolvedPipeline {
  const fail = (path: DataPath, message: string): NtlError => errorAt(spec.source, path, message);
  // Entries read but not recorded (size / sha256 null): collected, then refused in one message naming them all.
  const unrecorded: { loc: Located; path: DataPath }[] = [];
  const pinFile = <E extends ManifestEntry>(loc: Located, path: DataPath, f: (p: DataPath, m: string) => NtlError) => {
    // a remote file is read in place and never hashed: its size (checked on every read) is what must be recorded
    const missing = isRemote(loc.entry) ? loc.entry.size === undefined : loc.entry.size === undefined || loc.entry.sha256 === undefined;
    if (missing && !unrecorded.some((u) => u.loc.entry === loc.entry)) unrecorded.push({ loc, path });
    return pinEntry<E>(loc, path, f);
  };
  const manifestList = manifests.map((m) => m.source.display).join(', ');
  const index = indexEntries(spec, manifests);
  const where = (l: Located): string => `${l.manifest.source.display} line ${entryLine(l.manifest, l.entry.id) ?? 1}`;

  const lookup = (id: string, path: DataPath, kind: ManifestEntry['kind'], what: string): Located => {
    const found = index.get(id);
    if (!found) throw fail(path, `names unknown entry '${id}': it is not in ${manifestList}; check the id, or record the file with \`ntl manifest add\``);
    if (found.entry.kind !== kind) throw fail(path, `entry '${id}' (${where(found)}) is a ${found.entry.kind} entry, but ${what} needs a ${kind} entry`);
    return found;
  };

  const warnings: string[] = [];

  // Boundaries: the spec's field names win, the manifest entry supplies defaults.
  const b = spec.boundaries;
  const bLoc = lookup(b.entry, ['boundaries', 'entry'], 'boundaries', 'boundaries');
  const bEntry = bLoc.entry as BoundariesEntry;
  const idField = b.id ?? bEntry.id_field;
  const boundaries: ResolvedBoundaries = {
    ...pinFile(bLoc, ['boundaries', 'entry'], fail),
    entry: bEntry,
    idField,
    nameField: b.name ?? bEntry.name_field,
    parentField: b.parent ?? bEntry.parent_field,
    provinceField: b.province ?? bEntry.province_field,
    encoding: b.encoding ?? bEntry.encoding,
    crs: b.crs ?? bEntry.crs,
    vintage: bEntry.vintage,
    units: b.units,
  };

  const series = spec.series.map((s, i) => {
    const r = resolveSeries(s, i, spec, index, lookup, fail, where, warnings, pinFile);
    if (s.weights === undefined) return r;
    const path: DataPath = ['series', i, 'weights'];
    const loc = lookup(s.weights, path, 'raster', `series '${s.name}' weights`);
    return { ...r, weights: { file: { ...pinFile(loc, path, fail), entry: loc.entry as RasterEntry }, defaultWeight: s.default_weight ?? null } };
  });
  const needWeights = spec.zonal.stats.filter((st) => st === 'weight_sum' || st === 'per_weight');
  const unweighted = series.filter((s) => s.role === 'panel' && !s.weights);
  if (needWeights.length > 0 && unweighted.length > 0) {
    throw fail(
      ['zonal', 'stats'],
      `lists ${needWeights.join(', ')}, which need${needWeights.length === 1 ? 's' : ''} a weighting raster, but series ${unweighted.map((s) => s.name).join(', ')} ha${unweighted.length === 1 ? 's' : 've'} no weights: entry; add weights: <raster entry id> (e.g. a population grid) to every panel series, or drop ${needWeights.length === 1 ? 'it' : 'them'}`,
    );
  }

  for (const y of spec.years) {
    if (!series.some((s) => s.years.includes(y))) {
      const cover = series.map((s) => `${s.name} covers ${formatYears(s.inputs.map((x) => x.year))}`).join('; ');
      throw fail(['years'], `year ${y} is not covered by any series (${cover}); drop it from years or add an entry for it`);
    }
  }

  const hz = spec.harmonise;
  if (hz) {
    const of = (name: string) => series.find((s) => s.name === name)!;
    const from = of(hz.from),
      to = of(hz.to);
    for (const [key, s] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (s.monthly) throw fail(['harmonise', key], `series '${s.name}' is monthly; harmonise fits annual county pairs — use annual series`);
    }
    if (!from.years.some((y) => to.years.includes(y))) {
      throw fail(
        ['harmonise'],
        `series '${from.name}' (${formatYears(from.years)}) and '${to.name}' (${formatYears(to.years)}) share no year, so there are no pairs to fit; choose series that overlap in at least one panel year`,
      );
    }
  }

  let crosswalk: ResolvedFile<TableEntry> | undefined;
  const h = spec.hierarchy;
  if (h.crosswalk !== undefined) {
    const loc = lookup(h.crosswalk, ['hierarchy', 'crosswalk'], 'table', 'hierarchy.crosswalk');
    const t = loc.entry as TableEntry;
    if (t.role !== 'crosswalk') throw fail(['hierarchy', 'crosswalk'], `entry '${t.id}' (${where(loc)}) has role ${t.role}, not crosswalk`);
    crosswalk = { ...pinFile(loc, ['hierarchy', 'crosswalk'], fail), entry: t };
  }
  const targetVintage = h.target_vintage ?? bEntry.vintage;
  if (crosswalk && targetVintage === undefined) {
    throw fail(['hierarchy'], `a crosswalk needs a target vintage: set hierarchy.target_vintage, or vintage on the boundaries entry '${bEntry.id}'`);
  }

  let exposureTable: ResolvedFile<TableEntry> | undefined;
  const ex = spec.spatial?.exposure;
  if (ex) {
    const path: DataPath = ['spatial', 'exposure', 'treated'];
    const loc = lookup(ex.treated, path, 'table', 'spatial.exposure.treated');
    exposureTable = { ...pinFile(loc, path, fail), entry: loc.entry as TableEntry };
  }

  let treatmentTable: ResolvedFile<TableEntry> | undefined;
  if (spec.treatment) {
    const path: DataPath = ['treatment', 'table'];
    const loc = lookup(spec.treatment.table, path, 'table', 'treatment.table');
    treatmentTable = { ...pinFile(loc, path, fail), entry: loc.entry as TableEntry };
  }

  let covariatesTable: ResolvedFile<TableEntry> | undefined;
  const cov = spec.estimate?.covariates;
  if (cov) {
    const path: DataPath = ['estimate', 'covariates', 'table'];
    const loc = lookup(cov.table, path, 'table', 'estimate.covariates.table');
    covariatesTable = { ...pinFile(loc, path, fail), entry: loc.entry as TableEntry };
  }

  if (unrecorded.length > 0 && (options.unrecorded ?? 'error') === 'error') throw unrecordedError(spec, unrecorded, fail);

  const stats = spec.zonal.stats;
  const mapStat = spec.outputs.map_stat ?? (stats.includes('sum') ? 'sum' : stats[0]);
  const specHash = pipelineHash(spec);
  assertContained(
    spec.source.file,
    dirname(spec.source.file),
    spec.outputs.dir,
    `${spec.source.display} line ${lineOf(spec.source, ['outputs', 'dir'])}: outputs.dir`,
  );
  const inputsHash = sha256Hex(
    canonicalJson({
      specHash,
      boundaries: [boundaries.sha256, ...boundaries.companions.map((c) => c.sha256)],
      crosswalk: crosswalk?.sha256,
      exposure: exposureTable?.sha256,
      treatment: treatmentTable?.sha256,
      covariates: covariatesTable?.sha256,
      series: series.map((s) => [
        s.name,
        s.inputs.map((x) => [
          x.year,
          x.month,
          x.combine,
          x.entries.map((e) => (e.remote ? [e.file, e.size, e.sha256, e.remote.etag ?? null, e.remote.lastModified ?? null] : e.sha256)),
        ]),
        ...(s.weights
          ? [
              [
                s.weights.file.remote ? [s.weights.file.file, s.weights.file.size, s.weights.file.remote.etag ?? null] : s.weights.file.sha256,
                s.weights.defaultWeight,
              ],
            ]
          : []),
      ]),
    }),
  );

  return {
    name: spec.name,
    spec,
    specHash,
    inputsHash,
    years: spec.years,
    boundaries,
    series,
    zonal: spec.zonal,
    calibrate: spec.calibrate,
    hierarchy: { crosswalk, targetVintage },
    exposureTable,
    treatmentTable,
    covariatesTable,
    outputs: {
      dir: resolve(dirname(spec.source.file), spec.outputs.dir),
      formats: spec.outputs.formats,
      wide: spec.outputs.wide,
      maps: spec.outputs.maps,
      report: spec.outputs.report,
      mapStat,
    },
    concurrency: spec.concurrency,
    warnings,
  };
}

/** Convenience for the runner: load the spec's manifests and resolve. */
export async function loadResolvedPipeline(spec: PipelineSpec, options: PipelineManifestOptions = {}): Promise<ResolvedPipeline> {
  return resolvePipeline(spec, await loadPipelineManifests(spec, options));
}

/**
 * Every manifest entry a pipeline reads — boundaries, the rasters its series select for its years (calibration
 * series included), crosswalk, treatment / exposure / covariate tables — resolved exactly as a run resolves them,
 * but without requiring the files to exist or to be recorded yet (`ntl fetch --for`). In manifest order.
 */
export function pipelineEntries(spec: PipelineSpec, manifests: readonly Manifest[]): { manifest: Manifest; entry: ManifestEntry }[] {
  const r = resolvePipeline(spec, manifests, { unrecorded: 'allow' });
  const used = new Set<ManifestEntry>([
    r.boundaries.entry,
    ...r.series.flatMap((s) => s.inputs.flatMap((i) => i.entries.map((e) => e.entry))),
    ...r.series.flatMap((s) => (s.weights ? [s.weights.file.entry] : [])),
    ...[r.hierarchy.crosswalk, r.exposureTable, r.treatmentTable, r.covariatesTable].flatMap((t) => (t ? [t.entry] : [])),
  ]);
  return manifests.flatMap((manifest) => manifest.entries.filter((e) => used.has(e)).map((entry) => ({ manifest, entry })));
}

function indexEntries(spec: PipelineSpec, manifests: readonly Manifest[]): Map<string, Located> {
  const index = new Map<string, Located>();
  manifests.forEach((manifest, mi) => {
    for (const entry of manifest.entries) {
      const prev = index.get(entry.id);
      if (prev) {
        throw errorAt(
          spec.source,
          ['manifests', mi],
          `entry id '${entry.id}' is in both ${prev.manifest.source.display} and ${manifest.source.display}; ids must be unique across a pipeline's manifests — rename one`,
        );
      }
      index.set(entry.id, { entry, manifest });
    }
  });
  return index;
}

function isRemote(e: ManifestEntry): boolean {
  return e.kind === 'raster' && e.access === 'remote';
}

function pinEntry<E extends ManifestEntry>(loc: Located, path: DataPath, fail: (p: DataPath, m: string) => NtlError): Omit<ResolvedFile<E>, 'entry'> {
  if (isRemote(loc.entry)) {
    const e = loc.entry as RasterEntry;
    return {
      manifest: loc.manifest.source.display,
      file: e.url!,
      sha256: e.sha256 ?? '',
      size: e.size ?? -1,
      companions: [],
      remote: { ...(e.etag !== undefined ? { etag: e.etag } : {}), ...(e.last_modified !== undefined ? { lastModified: e.last_modified } : {}) },
    };
  }
  const file = entryFile(loc.manifest, loc.entry);
  if (file === undefined) {
    throw fail(
      path,
      `entry '${loc.entry.id}' in ${loc.manifest.source.display} has only a url (${loc.entry.url}); download it and give it a path (\`ntl manifest add\`)`,
    );
  }
  const { size, sha256 } = loc.entry;
  return {
    manifest: loc.manifest.source.display,
    file,
    sha256: sha256 ?? '',
    size: size ?? -1,
    companions: (loc.entry.companions ?? []).map((c) => ({ file: entryFile(loc.manifest, c) as string, sha256: c.sha256, size: c.size })),
  };
}

/** One error for every entry the pipeline reads whose size / sha256 are null, with the commands that fix it. */
function unrecordedError(spec: PipelineSpec, list: readonly { loc: Located; path: DataPath }[], fail: (p: DataPath, m: string) => NtlError): NtlError {
  const remote = list.find(({ loc }) => isRemote(loc.entry));
  if (remote) {
    const { loc } = remote;
    return fail(
      remote.path,
      `reads entry '${loc.entry.id}' (${loc.manifest.source.display} line ${entryLine(loc.manifest, loc.entry.id) ?? 1}) in place (access: remote), but its size is not recorded (null); ` +
        'record the size of the remote file in bytes (the Content-Length that `curl -sI <url>` shows), and its etag if the server sends one, then run the pipeline again',
    );
  }
  const named = list
    .slice(0, 6)
    .map(({ loc }) => `'${loc.entry.id}' (${loc.manifest.source.display} line ${entryLine(loc.manifest, loc.entry.id) ?? 1})`)
    .join(', ');
  const more = list.length > 6 ? ` and ${list.length - 6} more` : '';
  const manifests = [...new Set(list.map(({ loc }) => loc.manifest.source.display))];
  const manual = list.some(({ loc }) => loc.entry.download === 'manual');
  const fetch = manifests.map((m) => `\`ntl fetch ${m} --for ${spec.source.display}\``).join(' / ');
  return fail(
    list[0]!.path,
    `reads ${list.length} entr${list.length === 1 ? 'y' : 'ies'} whose size and sha256 are not recorded (null), so ${list.length === 1 ? 'its file' : 'their files'} cannot be verified: ${named}${more}; ` +
      `get the files with ${fetch}${manual ? ' (for `download: manual` entries it says where to download each file by hand and where to put it)' : ''}, ` +
      'run it again with --record to record their size and sha256, then run the pipeline again',
  );
}

function resolveSeries(
  s: SeriesSpec,
  i: number,
  spec: PipelineSpec,
  index: Map<string, Located>,
  lookup: (id: string, path: DataPath, kind: ManifestEntry['kind'], what: string) => Located,
  fail: (p: DataPath, m: string) => NtlError,
  where: (l: Located) => string,
  warnings: string[],
  pinFile: (loc: Located, path: DataPath, fail: (p: DataPath, m: string) => NtlError) => Omit<ResolvedFile<RasterEntry>, 'entry'>,
): ResolvedSeries {
  const at: DataPath = ['series', i];
  let picked: Located[];
  if (s.entries) {
    picked = s.entries.map((id, j) => lookup(id, [...at, 'entries', j], 'raster', `series '${s.name}'`));
    const seen = new Set<string>();
    s.entries.forEach((id, j) => {
      if (seen.has(id)) throw fail([...at, 'entries', j], `lists entry '${id}' twice`);
      seen.add(id);
    });
  } else {
    const sel = s.select!;
    picked = [...index.values()].filter(
      ({ entry: e }) =>
        e.kind === 'raster' &&
        e.sensor === sel.sensor &&
        (sel.years === undefined || sel.years.includes(e.year)) &&
        (sel.satellites === undefined || (e.satellite !== undefined && sel.satellites.includes(e.satellite))) &&
        (sel.product === undefined || e.product === sel.product),
    );
    if (picked.length === 0)
      throw fail([...at, 'select'], `matches no raster entry in ${[...new Set([...index.values()].map((l) => l.manifest.source.display))].join(', ')}`);
  }

  const sensors = [...new Set(picked.map((l) => (l.entry as RasterEntry).sensor))];
  if (sensors.length > 1) {
    throw fail(at, `mixes sensors ${sensors.join(', ')}; put each sensor in its own series (calibration steps can join them)`);
  }
  const sensor = sensors[0];
  if (s.sensor !== undefined && s.sensor !== sensor) {
    const bad = picked.find((l) => (l.entry as RasterEntry).sensor !== s.sensor)!;
    throw fail([...at, 'sensor'], `is ${s.sensor}, but entry '${bad.entry.id}' (${where(bad)}) is ${sensor}`);
  }
  const monthly = MONTHLY_SENSORS.includes(sensor);
  const panelYears = new Set(spec.years);

  // Entries outside the panel years are not an error (a selection may be wider) — but say so for explicit lists.
  const used = picked.filter((l) => panelYears.has((l.entry as RasterEntry).year));
  if (s.entries) {
    for (const l of picked)
      if (!used.includes(l)) warnings.push(`series ${s.name}: entry '${l.entry.id}' (year ${(l.entry as RasterEntry).year}) is outside years; not used`);
  }
  if (s.select?.years) {
    const have = new Set(picked.map((l) => (l.entry as RasterEntry).year));
    for (const y of s.select.years) {
      if (panelYears.has(y) && !have.has(y)) {
        throw fail(
          [...at, 'select', 'years'],
          `no ${sensor} entry for ${y} (entries exist for ${formatYears([...have])}); narrow select.years or add the file`,
        );
      }
    }
  }
  if (used.length === 0)
    throw fail(
      at,
      `has no entry for any of the years ${formatYears(spec.years)} (its entries cover ${formatYears(picked.map((l) => (l.entry as RasterEntry).year))})`,
    );

  // One input per period; duplicates resolved by the series' rule.
  const groups = new Map<string, Located[]>();
  for (const l of used) {
    const e = l.entry as RasterEntry;
    const key = monthly ? `${e.year}-${String(e.month).padStart(2, '0')}` : String(e.year);
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const inputs: ResolvedInput[] = [];
  for (const [key, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const e0 = group[0].entry as RasterEntry;
    const pin = (l: Located): ResolvedFile<RasterEntry> => ({ ...pinFile(l, [...at], fail), entry: l.entry as RasterEntry });
    const base = { year: e0.year, ...(monthly ? { month: e0.month } : {}) };
    if (group.length === 1) {
      inputs.push({ ...base, entries: [pin(group[0])], combine: 'single' });
      continue;
    }
    const bm = group.filter((l) => rasterFormatOf(l.entry as RasterEntry) === 'blackmarble');
    if (bm.length > 0) {
      // Black Marble tiles of one period are parts of one raster, not duplicates: they form a mosaic.
      const listedBm = group.map((l) => `'${l.entry.id}' (${where(l)})`).join(', ');
      if (bm.length !== group.length)
        throw fail(at, `mixes Black Marble tiles and other rasters for ${key}: ${listedBm}; a period is either one raster or Black Marble tiles of one date`);
      const opts = (l: Located) => {
        const e = l.entry as RasterEntry;
        return JSON.stringify([e.layer ?? null, e.quality ?? null, e.snow ?? null]);
      };
      const distinct = [...new Set(group.map(opts))];
      if (distinct.length > 1)
        throw fail(at, `Black Marble tiles of ${key} differ in layer/quality/snow (${listedBm}); the tiles of one period must be read alike`);
      inputs.push({ ...base, entries: group.map(pin), combine: 'mosaic' });
      continue;
    }
    const listed = group.map((l) => `'${l.entry.id}' (${where(l)})`).join(', ');
    switch (s.duplicates) {
      case 'error':
        throw fail(
          at,
          `has ${group.length} entries for ${key}: ${listed}; keep one, or set duplicates: prefer-newer-satellite, prefer-older-satellite, mean or composite`,
        );
      case 'composite':
        if (group.length !== 2)
          throw fail([...at, 'duplicates'], `composite combines two satellites of a year, but ${key} has ${group.length} entries: ${listed}`);
        inputs.push({ ...base, entries: group.map(pin), combine: 'composite' });
        break;
      case 'mean':
        inputs.push({ ...base, entries: group.map(pin), combine: 'mean' });
        break;
      default: {
        const rank = (l: Located): number => Number((l.entry as RasterEntry).satellite?.slice(1) ?? NaN);
        const ranks = group.map(rank);
        if (ranks.some(Number.isNaN) || new Set(ranks).size !== ranks.length) {
          throw fail([...at, 'duplicates'], `cannot choose by satellite for ${key}: ${listed} need distinct satellite values`);
        }
        const newer = s.duplicates === 'prefer-newer-satellite';
        const best = group.reduce((a, b2) => (rank(b2) > rank(a) === newer ? b2 : a));
        inputs.push({ ...base, entries: [pin(best)], combine: 'single' });
      }
    }
  }
  const years = [...new Set(inputs.map((x) => x.year))].sort((a, b) => a - b);
  const gaps = spec.years.filter((y) => y > years[0] && y < years[years.length - 1] && !years.includes(y));
  if (gaps.length > 0) warnings.push(`series ${s.name}: no entry for ${formatYears(gaps)} inside its span ${years[0]}–${years[years.length - 1]}`);
  return { name: s.name, sensor, monthly, role: s.role, years, inputs };
}

/** "2012–2014, 2016, 2018–2022". */
export function formatYears(years: readonly number[]): string {
  const ys = [...new Set(years)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < ys.length; ) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j] + 1) j++;
    parts.push(j > i ? `${ys[i]}–${ys[j]}` : String(ys[i]));
    i = j + 1;
  }
  return parts.length > 0 ? parts.join(', ') : 'no years';
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
