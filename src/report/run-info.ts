/**
 * run.json → the run summary (inputs with checksums) and the provenance section (pure). Timings, cache hits
 * and the Node version are left out on purpose: they change between identical runs, and the report must not.
 */
import { fmtBytes, fmtInt } from './format.js';
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
    ['Series', arr(run.series).filter(isObject).map((s) => `${str(s.name) ?? ''}${s.sensor ? ` (${str(s.sensor)})` : ''}: ${str(s.periods) ?? '?'} periods`).join('; ')],
  ];
  if (Object.keys(z).length) {
    out.push(['Zonal statistics', strings(z.stats).join(', ')], ['Coverage rule', `${str(z.rule) ?? ''}${z.nodata_as_zero === true ? ', no-data counted as 0' : ''}${z.lit_threshold !== undefined ? `, lit threshold ${str(z.lit_threshold)}` : ''}`]);
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
