/**
 * Neighbour files: the plain edge-list CSV (id_a,id_b,shared_m), GeoDa's GAL (neighbour lists) and GWT
 * (weighted directed edges, weight = shared border in metres) — written and read back.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { readTable } from '../panel/read-table.js';
import { csvText } from '../output/csv.js';
import { neighbourLists, type Edge } from './graph.js';
import { compareIds, type NeighbourPair } from './adjacency.js';

export type WeightsFormat = 'csv' | 'gal' | 'gwt';

export function weightsFormatOf(path: string): WeightsFormat | null {
  const ext = extname(path).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.gal' ? 'gal' : ext === '.gwt' ? 'gwt' : null;
}

/** Shared lengths to the millimetre: Vincenty is good to 0.1 mm, more digits would be noise. */
const mm = (x: number): number => Math.round(x * 1000) / 1000;

export function edgesCsv(pairs: readonly NeighbourPair[]): string {
  return csvText(
    ['id_a', 'id_b', 'shared_m'],
    pairs.map((p) => [p.a, p.b, mm(p.sharedM)]),
  );
}

/** GeoDa header: `0 N layer idfield`; ids must not contain white space (the format splits on it). */
function header(ids: readonly string[], layer: string, idField: string): string {
  const bad = ids.find((id) => /\s/.test(id) || id === '');
  if (bad !== undefined)
    throw new NtlError(`unit id "${bad}" is empty or contains white space, which GAL/GWT files cannot hold; write --out edges.csv instead`);
  return `0 ${ids.length} ${layer.replace(/\s+/g, '_')} ${idField.replace(/\s+/g, '_')}`;
}

/** GAL: for each unit (sorted) a line `id count` and a line with its neighbours (empty for an island). */
export function galText(ids: readonly string[], pairs: readonly NeighbourPair[], layer: string, idField: string): string {
  const sorted = [...ids].sort(compareIds);
  const lists = neighbourLists(sorted, pairs);
  const lines = [header(sorted, layer, idField)];
  for (const id of sorted) {
    const nb = lists.get(id) ?? [];
    lines.push(`${id} ${nb.length}`, nb.join(' '));
  }
  return lines.join('\n') + '\n';
}

/** GWT: each neighbour relation in both directions, `id_a id_b shared_m`, sorted. */
export function gwtText(ids: readonly string[], pairs: readonly NeighbourPair[], layer: string, idField: string): string {
  const sorted = [...ids].sort(compareIds);
  const directed: [string, string, number][] = [];
  for (const p of pairs) directed.push([p.a, p.b, mm(p.sharedM)], [p.b, p.a, mm(p.sharedM)]);
  directed.sort((x, y) => compareIds(x[0], y[0]) || compareIds(x[1], y[1]));
  return [header(sorted, layer, idField), ...directed.map(([a, b, w]) => `${a} ${b} ${w}`)].join('\n') + '\n';
}

export interface NeighbourFile {
  /** Every unit the file names (GAL lists islands too; an edge-list CSV cannot), sorted. */
  readonly units: readonly string[];
  readonly edges: readonly Edge[];
}

/** Reads an edge-list CSV (columns id_a, id_b), a GAL or a GWT file. */
export async function readNeighbourFile(path: string): Promise<NeighbourFile> {
  const format = weightsFormatOf(path) ?? (extname(path).toLowerCase() === '.parquet' ? 'csv' : null);
  if (format === null) throw new NtlError(`${path}: unknown neighbour file type; use an edge list (.csv/.parquet with id_a,id_b), .gal or .gwt`);
  if (format === 'csv') {
    const t = await readTable(path);
    const a = t.text('id_a');
    const b = t.text('id_b');
    const edges: Edge[] = [];
    for (let r = 0; r < t.rowCount; r++) {
      const x = a[r],
        y = b[r];
      if (x === null || x === undefined || y === null || y === undefined) throw new NtlError(`${path} line ${r + 2}: id_a and id_b must both be filled in`);
      if (x !== y) edges.push({ a: x, b: y });
    }
    return { units: unitsOf([], edges), edges };
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new NtlError(`cannot read ${path}: ${(e as Error).message}; check the path`);
  }
  const lines = text.split(/\r?\n/);
  const head = (lines[0] ?? '').trim().split(/\s+/);
  const declared = Number(head.length >= 2 ? head[1] : head[0]);
  if (!Number.isInteger(declared) || declared < 0) throw new NtlError(`${path} line 1: expected a GeoDa header "0 N layer idfield", got "${lines[0] ?? ''}"`);
  const edges: Edge[] = [];
  const listed: string[] = [];
  if (format === 'gal') {
    let i = 1;
    while (i < lines.length) {
      const line = (lines[i] ?? '').trim();
      if (line === '') {
        i++;
        continue;
      }
      const [id, count, ...rest] = line.split(/\s+/);
      const k = Number(count);
      if (id === undefined || !Number.isInteger(k) || k < 0 || rest.length > 0)
        throw new NtlError(`${path} line ${i + 1}: expected "id neighbour_count", got "${line}"`);
      const nb =
        k === 0
          ? []
          : (lines[i + 1] ?? '')
              .trim()
              .split(/\s+/)
              .filter((s) => s !== '');
      if (nb.length !== k) throw new NtlError(`${path} line ${i + 2}: unit ${id} declares ${k} neighbours but the line lists ${nb.length}`);
      listed.push(id);
      for (const v of nb) if (v !== id) edges.push({ a: id, b: v });
      // An island's neighbour line is empty or absent; empty lines are skipped above anyway.
      i += k === 0 ? 1 : 2;
    }
    if (listed.length !== declared) throw new NtlError(`${path}: the header declares ${declared} units but the file lists ${listed.length}`);
  } else {
    for (let i = 1; i < lines.length; i++) {
      const line = (lines[i] ?? '').trim();
      if (line === '') continue;
      const [x, y, w] = line.split(/\s+/);
      if (x === undefined || y === undefined || w === undefined || !Number.isFinite(Number(w)))
        throw new NtlError(`${path} line ${i + 1}: expected "id_a id_b weight", got "${line}"`);
      if (x !== y) edges.push({ a: x, b: y });
    }
  }
  return { units: unitsOf(listed, edges), edges };
}

function unitsOf(listed: readonly string[], edges: readonly Edge[]): string[] {
  const s = new Set(listed);
  for (const e of edges) {
    s.add(e.a);
    s.add(e.b);
  }
  return [...s].sort(compareIds);
}
