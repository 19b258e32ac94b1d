/**
 * Code crosswalks: harmonise a panel whose unit codes changed over the years (mergers, splits,
 * renumbering) to the codes of one target vintage.
 *
 * Table (CSV): `old_code,new_code,year_effective[,weight]`. A row says: from `year_effective` on,
 * (a `weight` share of) the unit `old_code` belongs to `new_code`. Rules:
 * - The shares of one old code in one year must add up to 1. A split lists every part; a partial
 *   transfer lists the part that stays as a row old→old.
 * - A record's code is taken as valid in the record's year (or in `sourceVintage` when the whole
 *   table uses one code list); changes effective after that year and up to the target vintage are
 *   applied in time order, so chains (A→B in 2011, B→C in 2020) are followed. Codes are only mapped
 *   forward in time.
 * - Same-year chains are followed too; a cycle within one year is an error.
 * Additive columns are multiplied by the share and summed; means are recomputed as sum/count.
 */
import { readFile } from 'node:fs/promises';
import { NtlError } from '../errors.js';
import { parseCsv } from './csv.js';

export interface CrosswalkRow {
  readonly old_code: string;
  readonly new_code: string;
  readonly year_effective: number;
  /** Share of the old unit that goes to the new one, in (0, 1]; 1 when the column is absent. */
  readonly weight: number;
  /** 1-based line in the source file, for messages. */
  readonly line?: number;
}

export interface Crosswalk {
  /** Where the rows came from (for messages). */
  readonly source: string;
  readonly rows: readonly CrosswalkRow[];
}

export type PanelValue = string | number | null;

/** One panel row: unit code, year, and any other columns. */
export interface PanelRecord {
  readonly unit_id: string;
  readonly year: number;
  readonly [column: string]: PanelValue;
}

/** A mean to recompute after combining units: column = sum / count. */
export interface MeanColumn {
  readonly column: string;
  readonly sum: string;
  readonly count: string;
}

export interface ApplyCrosswalkOptions {
  /** Year of the code list to harmonise to. */
  readonly targetVintage: number;
  /** Additive columns (sum, count, lit_count, area): multiplied by shares and summed. */
  readonly sumColumns: readonly string[];
  /** Means recomputed from their (already harmonised) sum and count columns. */
  readonly meanColumns?: readonly MeanColumn[];
  /** Columns besides unit_id and year that identify a row (e.g. "source"): rows are combined only within equal keys. */
  readonly keyColumns?: readonly string[];
  /** Treat every record's code as valid in this year instead of the record's own year. */
  readonly sourceVintage?: number;
}

export interface CrosswalkResult {
  /** Harmonised records, in order of first appearance. */
  readonly records: PanelRecord[];
  /** Input records whose code changed. */
  readonly remapped: number;
  readonly warnings: readonly string[];
}

/** The share of a unit that ends up in each target code. */
export interface MappedCode {
  readonly code: string;
  readonly weight: number;
}

const WEIGHT_TOLERANCE = 1e-6;

/** Validate rows (shares add to 1, no duplicates, no same-year cycles) into a Crosswalk. */
export function buildCrosswalk(rows: readonly CrosswalkRow[], source = 'crosswalk'): Crosswalk {
  const at = (r: CrosswalkRow): string => (r.line !== undefined ? `${source} line ${r.line}` : source);
  const seen = new Set<string>();
  const shares = new Map<string, { total: number; rows: CrosswalkRow[] }>();
  for (const r of rows) {
    if (r.old_code === '' || r.new_code === '') throw new NtlError(`${at(r)}: old_code and new_code must not be empty; fix the crosswalk row`);
    if (!Number.isInteger(r.year_effective)) throw new NtlError(`${at(r)}: year_effective must be a whole year; fix the crosswalk row`);
    if (!(r.weight > 0 && r.weight <= 1)) throw new NtlError(`${at(r)}: weight must be a share in (0, 1], got ${r.weight}; fix the crosswalk row`);
    const key = `${r.old_code}\u0000${r.new_code}\u0000${r.year_effective}`;
    if (seen.has(key)) throw new NtlError(`${at(r)}: ${r.old_code} → ${r.new_code} in ${r.year_effective} is listed twice; remove one row`);
    seen.add(key);
    const g = `${r.old_code}\u0000${r.year_effective}`;
    const s = shares.get(g) ?? { total: 0, rows: [] };
    s.total += r.weight;
    s.rows.push(r);
    shares.set(g, s);
  }
  for (const { total, rows: group } of shares.values()) {
    if (Math.abs(total - 1) > WEIGHT_TOLERANCE) {
      const r = group[0];
      throw new NtlError(
        `${at(r)}: the shares of ${r.old_code} in ${r.year_effective} add up to ${+total.toFixed(6)}, not 1; ` +
          `list every part of a split (with weights), and a row ${r.old_code},${r.old_code},${r.year_effective},<share> for the part that stays`,
      );
    }
  }
  checkCycles(rows, source);
  return { source, rows };
}

/** Within one year, the non-self changes must not lead back to where they started. */
function checkCycles(rows: readonly CrosswalkRow[], source: string): void {
  const byYear = new Map<number, Map<string, string[]>>();
  for (const r of rows) {
    if (r.old_code === r.new_code) continue;
    const g = byYear.get(r.year_effective) ?? new Map<string, string[]>();
    g.set(r.old_code, [...(g.get(r.old_code) ?? []), r.new_code]);
    byYear.set(r.year_effective, g);
  }
  for (const [year, graph] of byYear) {
    const state = new Map<string, 'open' | 'done'>();
    const visit = (code: string, trail: string[]): void => {
      if (state.get(code) === 'done') return;
      if (state.get(code) === 'open') {
        const cycle = [...trail.slice(trail.indexOf(code)), code].join(' → ');
        throw new NtlError(`${source}: the changes of ${year} form a cycle (${cycle}); a code cannot be renamed back in the same year — fix the crosswalk`);
      }
      state.set(code, 'open');
      for (const next of graph.get(code) ?? []) visit(next, [...trail, code]);
      state.set(code, 'done');
    };
    for (const code of graph.keys()) visit(code, []);
  }
}

/** Parse `old_code,new_code,year_effective[,weight]` CSV text (header required, any column order). */
export function parseCrosswalkCsv(text: string, source = 'crosswalk.csv'): Crosswalk {
  const records = parseCsv(text);
  if (records.length === 0) throw new NtlError(`${source}: empty file; expected a header old_code,new_code,year_effective[,weight]`);
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  for (const required of ['old_code', 'new_code', 'year_effective']) {
    if (col(required) < 0) throw new NtlError(`${source} line 1: missing column ${required}; the header must name old_code,new_code,year_effective[,weight]`);
  }
  const iw = col('weight');
  const rows: CrosswalkRow[] = [];
  for (const { fields, line } of records.slice(1)) {
    if (fields.length === 1 && fields[0].trim() === '') continue;
    const cell = (i: number): string => (fields[i] ?? '').trim();
    const year = Number(cell(col('year_effective')));
    const wText = iw >= 0 ? cell(iw) : '';
    const weight = wText === '' ? 1 : Number(wText);
    if (!Number.isInteger(year)) throw new NtlError(`${source} line ${line}: year_effective '${cell(col('year_effective'))}' is not a whole year; fix the row`);
    if (Number.isNaN(weight)) throw new NtlError(`${source} line ${line}: weight '${wText}' is not a number; fix the row`);
    rows.push({ old_code: cell(col('old_code')), new_code: cell(col('new_code')), year_effective: year, weight, line });
  }
  return buildCrosswalk(rows, source);
}

export async function loadCrosswalk(path: string, display = path): Promise<Crosswalk> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new NtlError(`${display}: cannot read crosswalk: ${(e as Error).message}; check the path`);
  }
  return parseCrosswalkCsv(text, display);
}

/**
 * Where a code valid in `validIn` ends up at `targetVintage`: one target with weight 1 when nothing
 * changed or for a rename/merge, several for a split.
 */
export function mapCode(crosswalk: Crosswalk, code: string, validIn: number, targetVintage: number): MappedCode[] {
  const from = new Map<string, CrosswalkRow[]>();
  for (const r of crosswalk.rows) if (r.year_effective <= targetVintage) from.set(r.old_code, [...(from.get(r.old_code) ?? []), r]);
  return follow(from, code, validIn, true, targetVintage);
}

function follow(from: Map<string, CrosswalkRow[]>, code: string, time: number, strict: boolean, target: number): MappedCode[] {
  const pending = (from.get(code) ?? []).filter((r) => (strict ? r.year_effective > time : r.year_effective >= time) && r.year_effective <= target);
  if (pending.length === 0) return [{ code, weight: 1 }];
  const next = Math.min(...pending.map((r) => r.year_effective));
  const out = new Map<string, number>();
  for (const r of pending.filter((p) => p.year_effective === next)) {
    // The part that stays keeps its code and only meets later changes; a moved part may meet more changes that same year.
    const parts = r.new_code === code ? follow(from, code, next, true, target) : follow(from, r.new_code, next, false, target);
    for (const p of parts) out.set(p.code, (out.get(p.code) ?? 0) + r.weight * p.weight);
  }
  return [...out].map(([c, weight]) => ({ code: c, weight }));
}

interface Accumulator {
  readonly base: Record<string, PanelValue>;
  readonly sums: Map<string, number | null>;
  /** Other columns' values when the row comes from exactly one whole record; null once combined. */
  single: PanelRecord | null;
  contributions: number;
}

export function applyCrosswalk(records: readonly PanelRecord[], crosswalk: Crosswalk, options: ApplyCrosswalkOptions): CrosswalkResult {
  const sumCols = options.sumColumns;
  const meanCols = options.meanColumns ?? [];
  const keyCols = options.keyColumns ?? [];
  for (const m of meanCols) {
    for (const c of [m.sum, m.count]) {
      if (!sumCols.includes(c)) throw new NtlError(`applyCrosswalk: mean column ${m.column} needs ${c} among the sum columns (${sumCols.join(', ')})`);
    }
  }
  const fixed = new Set<string>(['unit_id', 'year', ...keyCols, ...sumCols, ...meanCols.map((m) => m.column)]);

  const cache = new Map<string, MappedCode[]>();
  const groups = new Map<string, Accumulator>();
  let remapped = 0;
  // Codes used after the crosswalk retired them: left as they are, but worth a warning.
  const stale = new Map<string, number>();
  for (const rec of records) {
    const validIn = options.sourceVintage ?? rec.year;
    const ck = `${rec.unit_id}\u0000${validIn}`;
    let targets = cache.get(ck);
    if (!targets) {
      targets = mapCode(crosswalk, rec.unit_id, validIn, options.targetVintage);
      cache.set(ck, targets);
    }
    const whole = targets.length === 1 && targets[0].weight === 1;
    if (!whole || targets[0].code !== rec.unit_id) remapped++;
    else {
      const retired = crosswalk.rows.find((r) => r.old_code === rec.unit_id && r.new_code !== rec.unit_id && r.year_effective <= validIn && r.weight === 1);
      if (retired) stale.set(`${rec.unit_id}\u0000${retired.year_effective}`, (stale.get(`${rec.unit_id}\u0000${retired.year_effective}`) ?? 0) + 1);
    }
    for (const t of targets) {
      const keyVals = keyCols.map((k) => rec[k] ?? null);
      const gk = JSON.stringify([t.code, rec.year, ...keyVals]);
      let acc = groups.get(gk);
      if (!acc) {
        const base: Record<string, PanelValue> = { unit_id: t.code, year: rec.year };
        keyCols.forEach((k, i) => (base[k] = keyVals[i]));
        acc = { base, sums: new Map(sumCols.map((c) => [c, null])), single: rec, contributions: 0 };
        groups.set(gk, acc);
      }
      acc.contributions++;
      if (!whole || acc.contributions > 1) acc.single = null;
      for (const c of sumCols) {
        const v = rec[c];
        if (v === null || v === undefined) continue;
        if (typeof v !== 'number')
          throw new NtlError(
            `applyCrosswalk: column ${c} of ${rec.unit_id} ${rec.year} is not a number (${JSON.stringify(v)}); only numeric columns can be summed`,
          );
        acc.sums.set(c, (acc.sums.get(c) ?? 0) + v * t.weight);
      }
    }
  }

  const dropped = new Map<string, number>();
  const out: PanelRecord[] = [];
  for (const acc of groups.values()) {
    const row: Record<string, PanelValue> = { ...acc.base };
    if (acc.single) {
      // Untouched row: copy every value as it was (no float noise from recomputation).
      for (const [k, v] of Object.entries(acc.single)) if (!(k in row)) row[k] = v;
      row.unit_id = acc.base.unit_id;
    } else {
      for (const c of sumCols) row[c] = acc.sums.get(c) ?? null;
      for (const m of meanCols) {
        const s = acc.sums.get(m.sum);
        const n = acc.sums.get(m.count);
        row[m.column] = s !== null && s !== undefined && n !== null && n !== undefined && n > 0 ? s / n : null;
      }
    }
    out.push(row as PanelRecord);
  }
  // Columns that cannot be combined (min, max, shares...) are emptied on combined rows — and said so.
  const allCols = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) if (!fixed.has(k)) allCols.add(k);
  for (const row of out) {
    const r = row as Record<string, PanelValue>;
    for (const c of allCols) {
      if (!(c in r)) {
        r[c] = null;
        dropped.set(c, (dropped.get(c) ?? 0) + 1);
      }
    }
  }
  const warnings = [
    ...[...stale].map(([k, n]) => {
      const [code, year] = k.split('\u0000');
      return `code ${code} appears in ${n} record(s) dated after the crosswalk retired it (${year}); left unchanged — set sourceVintage if the table uses an older code list`;
    }),
    ...[...dropped].map(([c, n]) => `column ${c} cannot be combined across merged or split units; left empty in ${n} row(s)`),
  ];
  return { records: out, remapped, warnings };
}
