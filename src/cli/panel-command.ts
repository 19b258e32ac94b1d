/** `ntl panel`: a county × year panel from flags (no YAML), for one-off use. Same runner as `ntl run`. */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { NtlError } from '../errors.js';
import { fileSize, sha256File } from '../manifest/hash.js';
import { isPanelFormat, type PanelFormat } from '../output/panel-writers.js';
import type { PanelPlan, PinnedFile, PlannedSeries } from '../pipeline/plan/types.js';
import { runPlan } from '../pipeline/runner.js';
import { statColumn, zonalSettings } from '../zonal/index.js';
import { optionalNumber, requireFlag, type FlagValues } from './args.js';
import { parseCommandFlags } from './flags.js';
import { isRemoteRaster } from '../raster/byte-source.js';
import { openRemote } from '../raster/http-source.js';
import { printRunSummary, progressSink } from './run-output.js';
import type { CommandIo } from './zonal-command.js';
import { PANEL_FLAGS, PANEL_HELP } from './specs/panel.js';

/** Temporary copies of rasters whose server ignores ranges (--download-if-no-range); closed after the run. */
type Held = { close(): Promise<void> };

async function pin(file: string, id: string, band?: number, remote?: { downloadIfNoRange: boolean; held: Held[]; io: CommandIo }): Promise<PinnedFile> {
  if (remote && isRemoteRaster(file)) {
    // read in place: pinned to the size and version the server reports now (checked again before the run)
    const src = await openRemote(file, { downloadIfNoRange: remote.downloadIfNoRange, onWarning: (w) => remote.io.stderr(`ntl: warning: ${w}\n`) });
    if (src.localCopy !== undefined) {
      remote.held.push(src); // the temporary copy lives until the run is over
      return { id, file: src.localCopy, sha256: await sha256File(src.localCopy), size: src.size, ...(band !== undefined ? { band } : {}) };
    }
    const r = src.report();
    await src.close();
    return {
      id,
      file,
      sha256: '',
      size: r.size,
      ...(band !== undefined ? { band } : {}),
      // not a recorded pin: what this run saw first, which every later open must see again
      remote: {
        seen: {
          ...(r.etag !== undefined ? { etag: r.etag } : {}),
          ...(r.lastModified !== undefined ? { lastModified: r.lastModified } : {}),
          headerSha256: r.headerSha256,
        },
      },
    };
  }
  const abs = resolve(file);
  const size = await fileSize(abs);
  if (size === undefined) throw new NtlError(`file not found: ${file}; check the path`);
  return { id, file: abs, sha256: await sha256File(abs), size, ...(band !== undefined ? { band } : {}) };
}

export async function panelCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('panel', argv, PANEL_FLAGS, io);
  if (values.help) {
    io.stdout(PANEL_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl panel: unexpected argument "${positionals[0]}"; see \`ntl panel --help\``);
  const zonesPath = requireFlag('panel', values, 'zones');
  const idField = requireFlag('panel', values, 'id');
  const outDir = requireFlag('panel', values, 'out');
  const threads = optionalNumber('panel', values, 'threads', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const band = optionalNumber('panel', values, 'band', (n) => Number.isInteger(n) && n >= 1, 'a band number ≥ 1');
  const rasterSpecs = (values.raster as unknown as string[] | undefined) ?? [];
  if (rasterSpecs.length === 0) throw new NtlError('ntl panel: give at least one --raster [series:]YEAR=FILE');

  const bySeries = new Map<string, { year: number; file: string }[]>();
  for (const spec of rasterSpecs) {
    const m = /^(?:([a-z][a-z0-9_]*):)?(\d{4})=(.+)$/.exec(spec);
    if (!m) throw new NtlError(`ntl panel: --raster "${spec}" is not of the form [series:]YEAR=FILE, e.g. viirs:2012=data/2012.tif`);
    const series = m[1] ?? 'ntl';
    const list = bySeries.get(series) ?? [];
    if (list.some((x) => x.year === Number(m[2]))) throw new NtlError(`ntl panel: two rasters for series ${series}, year ${m[2]}; give one per year`);
    list.push({ year: Number(m[2]), file: m[3]! });
    bySeries.set(series, list);
  }
  const held: Held[] = [];
  try {
    return await runPanel(values, io, bySeries, band, threads, zonesPath, idField, outDir, held);
  } finally {
    for (const h of held) await h.close();
  }
}

async function runPanel(
  values: FlagValues,
  io: CommandIo,
  bySeries: Map<string, { year: number; file: string }[]>,
  band: number | undefined,
  threads: number | undefined,
  zonesPath: string,
  idField: string,
  outDir: string,
  held: Held[],
): Promise<number> {
  const series: PlannedSeries[] = [];
  const remote = { downloadIfNoRange: values['download-if-no-range'] === true, held, io };
  for (const [name, list] of bySeries) {
    list.sort((a, b) => a.year - b.year);
    const inputs = [];
    for (const x of list) {
      const id = isRemoteRaster(x.file) ? basename(new URL(x.file).pathname) || x.file : basename(x.file);
      inputs.push({ year: x.year, files: [await pin(x.file, id, band, remote)], combine: 'single' as const });
    }
    series.push({ name, sensor: 'other', inputs });
  }
  const years = [...new Set(series.flatMap((s) => s.inputs.map((i) => i.year)))].sort((a, b) => a - b);

  const zonal = zonalSettings(
    {
      stats: values.stats as string | undefined,
      rule: values.rule as string | undefined,
      nodataAsZero: values['nodata-as-zero'] === true,
      litThreshold: optionalNumber('panel', values, 'lit-threshold', () => true, 'a number'),
    },
    'ntl panel: --rule',
  );
  const stats = zonal.stats;
  const formats = (typeof values.format === 'string' ? values.format : 'csv').split(',').map((f) => f.trim());
  for (const f of formats) if (!isPanelFormat(f)) throw new NtlError(`ntl panel: unknown format "${f}" in --format; use csv, parquet, dta`);
  const mapStat = typeof values['map-stat'] === 'string' ? statColumn(values['map-stat']) : stats.some((s) => s.column === 'sum') ? 'sum' : stats[0]!.column;
  if (!stats.some((s) => s.column === mapStat)) throw new NtlError(`ntl panel: --map-stat ${mapStat} is not one of --stats`);

  const companions: PinnedFile[] = [];
  if (/\.shp$/i.test(zonesPath)) {
    for (const ext of ['dbf', 'shx', 'prj', 'cpg']) {
      const f = zonesPath.replace(/\.shp$/i, `.${ext}`);
      if (existsSync(f)) companions.push(await pin(f, basename(f)));
    }
  }
  const boundaries = {
    file: await pin(zonesPath, basename(zonesPath)),
    companions,
    idField,
    nameField: values.name as string | undefined,
    parentField: values.parent as string | undefined,
    provinceField: values.province as string | undefined,
    encoding: values.encoding as string | undefined,
    crs: values['zones-crs'] as string | undefined,
  };
  const settingsHash = createHash('sha256')
    .update(JSON.stringify({ zonal: { ...zonal, stats: stats.map((s) => s.column) }, boundaries: { ...boundaries, file: boundaries.file.sha256 } }))
    .digest('hex');
  const plan: PanelPlan = {
    name: 'panel',
    origin: 'command line',
    settingsHash,
    years,
    boundaries,
    series,
    zonal,
    calibrate: [],
    outputs: { dir: resolve(outDir), formats: formats as PanelFormat[], wide: values.wide === true, maps: values.maps === true, report: false, mapStat },
    concurrency: Math.min(2, threads ?? 2),
    warnings: [],
  };
  const summary = await runPlan(plan, {
    threads,
    progress: values.quiet ? null : progressSink(io),
    command: `ntl panel --out ${outDir}`,
    outFlag: '--out',
    allowEmpty: values['allow-empty'] === true,
    allowEmptyHint: 'pass --allow-empty',
  });
  printRunSummary(summary, io);
  return 0;
}
