/**
 * A typed, column-oriented table: the one shape every panel writer (CSV, Parquet, Stata .dta)
 * takes, so the writers agree on column order, types and missing values.
 */
export type ColumnType = 'string' | 'int32' | 'float64';

export interface StringColumn {
  readonly name: string;
  readonly type: 'string';
  /** Variable label (Stata) / description (docs). */
  readonly label?: string;
  readonly values: readonly (string | null)[];
}

export interface NumberColumn {
  readonly name: string;
  readonly type: 'int32' | 'float64';
  readonly label?: string;
  /** null = missing; never NaN or ±Infinity. */
  readonly values: readonly (number | null)[];
}

export type Column = StringColumn | NumberColumn;

export interface Table {
  readonly columns: readonly Column[];
}

export function rowCount(table: Table): number {
  return table.columns[0]?.values.length ?? 0;
}
