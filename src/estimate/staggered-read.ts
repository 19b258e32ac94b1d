/** Read a long panel file (CSV or Parquet) onto the balanced grid the staggered-DID estimators take. */
import { readTable, type LoadedTable } from '../panel/read-table.js';
import { balancePanel, type BalancedPanel, type RowLabel } from './staggered-panel.js';

export interface StaggeredFile {
  readonly table: LoadedTable;
  readonly panel: BalancedPanel;
  /** Names a data row as readTable does ("P line 7" for CSV, "P row 6" for Parquet). */
  readonly label: RowLabel;
}

export async function readStaggeredPanel(path: string, unit: string, time: string): Promise<StaggeredFile> {
  return staggeredPanel(await readTable(path), unit, time);
}

/** The balanced grid of a loaded (file or in-memory) table. */
export function staggeredPanel(table: LoadedTable, unit: string, time: string): StaggeredFile {
  const label: RowLabel = (r) => `${table.path} ${table.rowLabel(r)}`;
  const panel = balancePanel(table.text(unit), table.numbers(time), { unit, time }, label);
  return { table, panel, label };
}
