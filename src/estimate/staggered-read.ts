/** Read a long panel file (CSV or Parquet) onto the balanced grid the staggered-DID estimators take. */
import { checkOneRowPerUnitPeriod, periodValue, readPeriodNumbers, requireDataRows } from '../panel/period.js';
import { readTable, type LoadedTable } from '../panel/read-table.js';
import { ESTIMATE_TIME_TYPES } from './prepare.js';
import { balancePanel, type BalancedPanel, type RowLabel } from './staggered-panel.js';

export interface StaggeredFile {
  readonly table: LoadedTable;
  readonly panel: BalancedPanel;
  /** Names a data row as readTable does ("P line 7" for CSV, "P row 6" for Parquet). */
  readonly label: RowLabel;
}

/** How the period columns are read: time type (default integer) and a first-treated-period column checked like time. */
export interface StaggeredPeriods {
  readonly timeType?: 'integer' | 'continuous';
  readonly cohort?: string;
}

export async function readStaggeredPanel(path: string, unit: string, time: string, periods: StaggeredPeriods = {}): Promise<StaggeredFile> {
  return staggeredPanel(await readTable(path), unit, time, periods);
}

/** The balanced grid of a loaded (file or in-memory) table; time (and cohort) values checked as periods. */
export function staggeredPanel(table: LoadedTable, unit: string, time: string, periods: StaggeredPeriods = {}): StaggeredFile {
  requireDataRows(table);
  const label: RowLabel = (r) => `${table.path} ${table.rowLabel(r)}`;
  const type = periods.timeType === 'continuous' ? 'continuous' : 'integer';
  const times = readPeriodNumbers(table, time, type, ESTIMATE_TIME_TYPES);
  if (periods.cohort !== undefined) {
    const col = { name: periods.cohort, type, offered: ESTIMATE_TIME_TYPES, at: label } as const;
    table.text(periods.cohort).forEach((v, r) => {
      if (v !== null && Number(v) !== 0) periodValue(v, r, col);
    });
  }
  const units = table.text(unit);
  checkOneRowPerUnitPeriod({
    source: table.path,
    unit,
    unitValues: units,
    periods: [{ name: time, values: times }],
    rows: times.keys(),
    at: (r) => table.rowLabel(r),
    fix: 'aggregate or drop the duplicate',
  });
  const panel = balancePanel(units, times, { unit, time }, label);
  return { table, panel, label };
}
