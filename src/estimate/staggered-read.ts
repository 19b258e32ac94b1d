/** Read a long panel file (CSV or Parquet) onto the balanced grid the staggered-DID estimators take. */
import { extname } from 'node:path';
import { readTable, type LoadedTable } from '../panel/read-table.js';
import { balancePanel, type BalancedPanel, type RowLabel } from './staggered-panel.js';

export interface StaggeredFile {
  readonly table: LoadedTable;
  readonly panel: BalancedPanel;
  /** Names a data row as readTable does ("P line 7" for CSV, "P row 6" for Parquet). */
  readonly label: RowLabel;
}

export async function readStaggeredPanel(path: string, unit: string, time: string): Promise<StaggeredFile> {
  const table = await readTable(path);
  const parquet = extname(path).toLowerCase() === '.parquet';
  const label: RowLabel = (r) => `${path} ${parquet ? `row ${r + 1}` : `line ${r + 2}`}`;
  const panel = balancePanel(table.text(unit), table.numbers(time), { unit, time }, label);
  return { table, panel, label };
}
