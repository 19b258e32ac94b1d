/**
 * run.json → the run summary (inputs with checksums) and the provenance section (pure). Timings, cache hits
 * and the Node version are left out on purpose: they change between identical runs, and the report must not.
 */
import { fmt, fmtBytes, fmtInt } from './format.js';
import { arr, isObject, obj, str, strings, type JsonObject } from './json.js';
import type { Block, ReportTable } from './types.js';

export const SHORT_SHA = 12;

export interface RunHeader {
  readonly pipeline: string | null;
  readonly version: string | null;
}

export function runHeader(run: JsonObject): RunHeader {
  return { pipeline: str(obj(run.pipeline)?.name), version: str(obj(run.tool)?.version) };
}

/** Checksum cells carry the full value after a tab: the page shows the short form with the full one on hover. */
export const shaCell = (sha: string) => (sha.length > SHORT_SHA ? `${sha.slice(0, SHORT_SHA)}…\t${sha}` : sha);

export function inputsTable(run: JsonObject): ReportTable | null {
  const inputs = arr(run.inputs).filter(isObject);
  if (inputs.length === 0) return null;
  return {
    name: 'inputs',
    caption: 'Input files, verified against their manifests before the run',
    header: ['Entry', 'File', 'sha256', 'Size'],
    rows: inputs.map((i) => [str(i.id) ?? '', str(i.file) ?? '', shaCell(str(i.sha256) ?? ''), typeof i.size === 'number' ? fmtBytes(i.size) : '']),
    labelColumns: 1,
  };
}

export function runFacts(run: JsonObject): [string, string][] {
  const p = obj(run.pipeline) ?? {};
  const z = obj(run.zonal) ?? {};
  const years = arr(run.years).filter((y): y is number => typeof y === 'number');
  const out: [string, string][] = [
    ['Pipeline', str(p.name) ?? ''],
    ['Pipeline file', str(p.origin) ?? ''],
    ['Tool', `${str(obj(run.tool)?.name) ?? 'ntl-pipeline'} ${str(obj(run.tool)?.version) ?? ''}`.trim()],
    ['Years', years.length ? `${years[0]}–${years[years.length - 1]} (${years.length})` : ''],
    [
      'Series',
      arr(run.series)
        .filter(isObject)
        .map((s) => `${str(s.name) ?? ''}${s.sensor ? ` (${str(s.sensor)})` : ''}: ${str(s.periods) ?? '?'} periods`)
        .join('; '),
    ],
  ];
  if (Object.keys(z).length) {
    out.push(
      ['Zonal statistics', strings(z.stats).join(', ')],
      [
        'Coverage rule',
        `${str(z.rule) ?? ''}${z.nodata_as_zero === true ? ', no-data counted as 0' : ''}${z.lit_threshold !== undefined ? `, lit threshold ${str(z.lit_threshold)}` : ''}`,
      ],
    );
  }
  return out.filter(([, v]) => v !== '');
}

export function provenanceBlocks(run: JsonObject): Block[] {
  const p = obj(run.pipeline) ?? {};
  const facts: [string, string][] = [['Settings hash', str(p.settings_hash) ?? ''], ...runFacts(run).slice(1)];
  const blocks: Block[] = [{ type: 'facts', facts: facts.filter(([, v]) => v !== '') }];
  const warnings = strings(run.warnings);
  blocks.push(
    warnings.length
      ? { type: 'text', tone: 'warning', text: `Warnings (${warnings.length}):\n${warnings.map((w) => `• ${w}`).join('\n')}` }
      : { type: 'text', tone: 'note', text: 'The run recorded no warnings.' },
  );
  const outputs = arr(run.outputs).filter(isObject);
  if (outputs.length) {
    blocks.push({
      type: 'table',
      table: {
        name: 'outputs',
        caption: 'Files written by the run, with their checksums',
        header: ['File', 'Size', 'sha256'],
        rows: outputs.map((o) => [str(o.file) ?? '', typeof o.bytes === 'number' ? fmtBytes(o.bytes) : '', shaCell(str(o.sha256) ?? '')]),
        note: `${fmtInt(outputs.length)} files. Timings and cache use are in run.json; they are left out here so the report is byte-stable.`,
      },
    });
  }
  return blocks;
}

/** What run.json says about one series (label and unit since issue 14; harmonised series marked). */
export interface SeriesInfo {
  readonly name: string;
  readonly label: string | null;
  readonly unit: string | null;
  readonly sensor: string | null;
  readonly product: string | null;
  readonly periods: number | null;
  readonly harmonisedFrom: string | null;
  readonly harmonisedTo: string | null;
}

/** Every series of the run: run.json `series`, plus a harmonised series only named by `harmonisation.emitted` (older runs). */
export function seriesInfo(run: JsonObject): Map<string, SeriesInfo> {
  const out = new Map<string, SeriesInfo>();
  for (const s of arr(run.series).filter(isObject)) {
    const name = str(s.name);
    if (!name) continue;
    out.set(name, {
      name,
      label: str(s.label),
      unit: str(s.unit),
      sensor: str(s.sensor),
      product: str(s.product),
      periods: typeof s.periods === 'number' ? s.periods : null,
      harmonisedFrom: str(s.harmonised_from),
      harmonisedTo: str(s.harmonised_to),
    });
  }
  const h = obj(run.harmonisation);
  const emitted = str(obj(h?.emitted)?.name);
  if (h && emitted && !out.has(emitted)) {
    const periods = obj(h.emitted)?.periods;
    out.set(emitted, {
      name: emitted,
      label: null,
      unit: null,
      sensor: null,
      product: null,
      periods: typeof periods === 'number' ? periods : null,
      harmonisedFrom: str(h.from),
      harmonisedTo: str(h.to),
    });
  }
  return out;
}

const fmtParam = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(4) : fmt(v, 4)) : (str(v) ?? '');

/** The harmonisation fit of run.json (district or pixel level) as a two-column table. */
export function harmonisationTable(h: JsonObject): ReportTable {
  const from = str(h.from) ?? '?',
    to = str(h.to) ?? '?';
  const emitted = obj(h.emitted) ?? {};
  const params = obj(h.parameters) ?? {};
  const years = arr(h.overlap_years).filter((y): y is number => typeof y === 'number');
  const dropped = obj(h.dropped_pairs) ?? obj(h.dropped_pixels);
  const rows: [string, string][] = [
    ['Model', `${to} ~ ${str(h.model) ?? '?'}(${from})`],
    ['Formula', str(h.formula) ?? ''],
    ...Object.keys(params).map((k): [string, string] => [`Parameter ${k}`, fmtParam(params[k])]),
    ['Fitted on', h.level === 'pixel' ? (str(h.aggregation) ?? 'pixel pairs') : `county ${str(h.stat) ?? 'statistic'} of both series, unit × year pairs`],
    [
      'Overlap years',
      years.length
        ? years.length > 2 && years[years.length - 1]! - years[0]! === years.length - 1
          ? `${years[0]}–${years[years.length - 1]}`
          : years.join(', ')
        : '',
    ],
    ['Pairs used', fmtInt(typeof h.n_pairs === 'number' ? h.n_pairs : null)],
    ['R²', fmt(typeof h.r2 === 'number' ? h.r2 : null, 4)],
    ['RMSE', fmt(typeof h.rmse === 'number' ? h.rmse : null, 3)],
    [
      'Pairs dropped',
      dropped
        ? Object.entries(dropped)
            .map(([k, v]) => `${k} ${fmtInt(typeof v === 'number' ? v : null)}`)
            .join(', ')
        : '',
    ],
    ['Converged', h.converged === true ? `yes${typeof h.iterations === 'number' ? ` (${h.iterations} iterations)` : ''}` : h.converged === false ? 'no' : ''],
    [
      'Emitted series',
      `${str(emitted.name) ?? ''}${typeof emitted.rows === 'number' ? ` (${fmtInt(emitted.rows)} rows)` : typeof emitted.periods === 'number' ? ` (${fmtInt(emitted.periods)} periods)` : ''}`,
    ],
  ];
  return {
    name: 'harmonisation',
    caption: `Harmonisation fit: ${from} predicted in the scale of ${to}${str(emitted.name) ? `, emitted as series ${str(emitted.name)}` : ''}`,
    header: ['', 'Value'],
    rows: rows.filter(([, v]) => v !== ''),
    note: "Fitted on the years both series cover; the emitted series carries the fit's error (RMSE) into every year it predicts.",
  };
}

/** The series section: every series with label, sensor/product and unit, then the harmonisation fit. */
export function seriesBlocks(run: JsonObject, panelSources: readonly string[] = []): Block[] {
  const info = seriesInfo(run);
  for (const s of panelSources) {
    if (!info.has(s)) info.set(s, { name: s, label: null, unit: null, sensor: null, product: null, periods: null, harmonisedFrom: null, harmonisedTo: null });
  }
  if (info.size === 0) return [];
  const rows = [...info.values()].map((s) => [
    s.name,
    s.label ?? '',
    s.harmonisedFrom ? `harmonised: ${s.harmonisedFrom} in ${s.harmonisedTo ?? '?'} scale` : [s.sensor, s.product].filter((x) => x).join(', '),
    s.unit ?? '',
    s.periods === null ? '' : fmtInt(s.periods),
  ]);
  const blocks: Block[] = [
    {
      type: 'table',
      table: {
        name: 'series',
        caption: 'Series of the run, with the unit of their cell values',
        header: ['Series', 'Label', 'Sensor, product / origin', 'Unit', 'Periods'],
        rows,
      },
    },
  ];
  const h = obj(run.harmonisation);
  if (h) blocks.push({ type: 'table', table: harmonisationTable(h) });
  return blocks;
}
