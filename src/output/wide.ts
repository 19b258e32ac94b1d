/**
 * Long → wide panel reshape (like Stata's `reshape wide`): one row per id, one column
 * `${value}_${time}` per value column and time, value-major, times ascending. Rows are sorted
 * by the id columns; (id, time) pairs absent from the long table become null.
 */
import { NtlError } from '../errors.js';
import { formatNumber } from './csv.js';
import { checkTable } from './table-check.js';
import { rowCount, type Column, type Table } from './table.js';

export interface WideSpec {
  readonly id: readonly string[];
  readonly time: string;
  readonly values: readonly string[];
}

type Key = string | number;

export function longToWide(table: Table, spec: WideSpec): Table {
  checkTable(table, 'long panel');
  const find = (name: string, role: string): Column => {
    const c = table.columns.find((col) => col.name === name);
    if (!c) {
      throw new NtlError(`long panel has no ${role} column "${name}"; its columns are ${table.columns.map((col) => col.name).join(', ')}`);
    }
    return c;
  };
  const idCols = spec.id.map((name) => find(name, 'id'));
  const timeCol = find(spec.time, 'time');
  const valueCols = spec.values.map((name) => find(name, 'value'));
  if (idCols.length === 0) throw new NtlError('long → wide reshape needs at least one id column');
  const roles = [...spec.id, spec.time, ...spec.values];
  const repeated = roles.find((name, i) => roles.indexOf(name) !== i);
  if (repeated !== undefined) throw new NtlError(`long → wide reshape names column "${repeated}" in more than one role; use it once`);

  const n = rowCount(table);
  const keyAt = (col: Column, row: number, role: string): Key => {
    const v = col.values[row];
    if (v === null) throw new NtlError(`long panel ${role} column "${col.name}", row ${row + 1} is missing; every row needs an id and a time`);
    return v;
  };

  // One entry per distinct id tuple, remembering which long row holds each time.
  const groups = new Map<string, { ids: Key[]; rowByTime: Map<Key, number> }>();
  const times = new Set<Key>();
  for (let row = 0; row < n; row++) {
    const ids = idCols.map((c) => keyAt(c, row, 'id'));
    const time = keyAt(timeCol, row, 'time');
    const groupKey = JSON.stringify(ids);
    let group = groups.get(groupKey);
    if (!group) {
      group = { ids, rowByTime: new Map() };
      groups.set(groupKey, group);
    }
    const prior = group.rowByTime.get(time);
    if (prior !== undefined) {
      throw new NtlError(
        `long panel has two rows (${prior + 1} and ${row + 1}) for ${describeIds(spec.id, ids)}, ${spec.time}=${String(time)}; ` +
          'each (id, time) pair must appear once — aggregate or drop duplicates first',
      );
    }
    group.rowByTime.set(time, row);
    times.add(time);
  }

  const sortedGroups = [...groups.values()].sort((a, b) => compareTuples(a.ids, b.ids));
  const sortedTimes = [...times].sort(compareKeys);
  const columns: Column[] = idCols.map((c, i) =>
    withValues(
      c,
      c.name,
      c.label,
      sortedGroups.map((g) => g.ids[i]),
    ),
  );
  for (const vc of valueCols) {
    for (const time of sortedTimes) {
      const timeText = typeof time === 'number' ? formatNumber(time) : time;
      const values = sortedGroups.map((g) => {
        const row = g.rowByTime.get(time);
        return row === undefined ? null : vc.values[row];
      });
      columns.push(withValues(vc, `${vc.name}_${timeText}`, vc.label === undefined ? undefined : `${vc.label}, ${timeText}`, values));
    }
  }
  const wide: Table = { columns };
  checkTable(wide, 'wide panel'); // catches a generated name colliding with an id column
  return wide;
}

function withValues(template: Column, name: string, label: string | undefined, values: (Key | null)[]): Column {
  const base = label === undefined ? { name } : { name, label };
  return template.type === 'string'
    ? { ...base, type: 'string', values: values as (string | null)[] }
    : { ...base, type: template.type, values: values as (number | null)[] };
}

function describeIds(names: readonly string[], ids: readonly Key[]): string {
  return names.map((name, i) => `${name}=${String(ids[i])}`).join(', ');
}

/** Numbers numerically, strings by UTF-16 code units (locale-independent, so output is stable). */
function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function compareTuples(a: readonly Key[], b: readonly Key[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareKeys(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}
