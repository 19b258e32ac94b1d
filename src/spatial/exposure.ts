/**
 * Spillover exposure panel: for each unit × year, whether and how many of its neighbours (ring 1, and ring 2
 * = units exactly two steps away) are treated by that year. Treatment is absorbing from the first treated
 * year, so exposure is time-varying and switches on in the first year any neighbour is treated.
 */
import { NtlError } from '../errors.js';
import { columnLabel, ROLE_LABELS } from '../output/labels.js';
import type { Column, Table } from '../output/table.js';
import { compareIds } from './adjacency.js';
import { neighbourLists, ringAt, type Edge } from './graph.js';

export interface ExposureOptions {
  /** Name of the unit column in the output (default "unit"). */
  readonly unitColumn?: string;
}

/**
 * Rows: every unit (sorted) × every year (ascending). Columns: unit, year, treated_unit (ever treated: drop
 * these for the spillover sample), first_treated_year, treated (year ≥ first_treated_year), then per ring
 * (suffix "" for ring 1, "_ring2" for ring 2): neighbours, neighbour_of_treated, treated_neighbours,
 * treated_neighbour_share (missing for a unit with no neighbours in that ring), first_exposure_year.
 */
export function exposurePanel(
  edges: readonly Edge[],
  treated: ReadonlyMap<string, number>,
  units: readonly string[],
  years: readonly number[],
  order: 1 | 2 = 1,
  opts: ExposureOptions = {},
): Table {
  if (order !== 1 && order !== 2) throw new NtlError(`exposure: --order must be 1 or 2, got ${String(order)}`);
  for (const y of years) if (!Number.isInteger(y)) throw new NtlError(`exposure: years must be whole numbers, got ${y}`);
  const unitList = [...new Set(units)].sort(compareIds);
  const yearList = [...new Set(years)].sort((a, b) => a - b);
  const lists = neighbourLists(unitList, edges);
  const rings = [1, 2].slice(0, order).map((k) => new Map(unitList.map((u) => [u, k === 1 ? (lists.get(u) ?? []) : ringAt(lists, u, k)])));

  const unitCol: (string | null)[] = [];
  const yearCol: number[] = [];
  const everCol: number[] = [];
  const firstCol: (number | null)[] = [];
  const treatedCol: number[] = [];
  const ringCols = rings.map(() => ({
    size: [] as number[],
    any: [] as number[],
    count: [] as number[],
    share: [] as (number | null)[],
    first: [] as (number | null)[],
  }));
  for (const u of unitList) {
    const own = treated.get(u);
    // Per ring: the first treated years of the treated units in it, ascending.
    const ringYears = rings.map((ring) =>
      (ring.get(u) ?? [])
        .map((v) => treated.get(v))
        .filter((y): y is number => y !== undefined)
        .sort((a, b) => a - b),
    );
    for (const year of yearList) {
      unitCol.push(u);
      yearCol.push(year);
      everCol.push(own === undefined ? 0 : 1);
      firstCol.push(own ?? null);
      treatedCol.push(own !== undefined && year >= own ? 1 : 0);
      rings.forEach((ring, k) => {
        const size = (ring.get(u) ?? []).length;
        const ys = ringYears[k]!;
        let count = 0;
        while (count < ys.length && ys[count]! <= year) count++;
        const c = ringCols[k]!;
        c.size.push(size);
        c.any.push(count > 0 ? 1 : 0);
        c.count.push(count);
        c.share.push(size > 0 ? count / size : null);
        c.first.push(ys.length > 0 ? ys[0]! : null);
      });
    }
  }
  const columns: Column[] = [
    { name: opts.unitColumn ?? 'unit', type: 'string', values: unitCol, label: columnLabel(opts.unitColumn ?? 'unit', ROLE_LABELS.unit) },
    { name: 'year', type: 'int32', values: yearCol, label: columnLabel('year') },
    { name: 'treated_unit', type: 'int32', values: everCol, label: '1 if the unit is ever treated (drop for the spillover sample)' },
    { name: 'first_treated_year', type: 'int32', values: firstCol, label: 'first treated year of the unit itself' },
    { name: 'treated', type: 'int32', values: treatedCol, label: '1 from the unit’s own first treated year' },
  ];
  ringCols.forEach((c, k) => {
    const sfx = k === 0 ? '' : `_ring${k + 1}`;
    const which = k === 0 ? 'neighbours' : `units ${k + 1} steps away`;
    columns.push(
      { name: `neighbours${sfx}`, type: 'int32', values: c.size, label: `number of ${which}` },
      { name: `neighbour_of_treated${sfx}`, type: 'int32', values: c.any, label: `1 if any of the ${which} is treated by this year` },
      { name: `treated_neighbours${sfx}`, type: 'int32', values: c.count, label: `number of ${which} treated by this year` },
      { name: `treated_neighbour_share${sfx}`, type: 'float64', values: c.share, label: `share of ${which} treated by this year` },
      { name: `first_exposure_year${sfx}`, type: 'int32', values: c.first, label: `first year any of the ${which} is treated` },
    );
  });
  return { columns };
}
