/**
 * Parquet writer (via hyparquet-writer): string → BYTE_ARRAY/UTF8, int32 → INT32,
 * float64 → DOUBLE, every column optional so null is a real Parquet null. Snappy compression and
 * a fixed created_by keep the bytes a pure function of the Table. Parquet has no per-column
 * description field, so labels travel as JSON in the file's key-value metadata.
 */
import { parquetWriteBuffer, type BasicType, type ColumnSource } from 'hyparquet-writer';
import { checkTable } from './table-check.js';
import type { Column, Table } from './table.js';

export interface ParquetOptions {
  /** Dataset description, stored under the key-value metadata key "ntl.label". */
  readonly label?: string;
}

/** Key-value metadata key holding {"column name": "label", …} for labelled columns. */
export const PARQUET_LABELS_KEY = 'ntl.column_labels';
export const PARQUET_DATASET_LABEL_KEY = 'ntl.label';
const CREATED_BY = 'ntl-pipeline';

const PARQUET_TYPE: Record<Column['type'], BasicType> = { string: 'STRING', int32: 'INT32', float64: 'DOUBLE' };

export function tableToParquet(table: Table, opts: ParquetOptions = {}): Uint8Array {
  checkTable(table, 'Parquet table');
  const columnData: ColumnSource[] = table.columns.map((c) => ({
    name: c.name,
    type: PARQUET_TYPE[c.type],
    nullable: true,
    data: [...c.values],
  }));
  const labels = Object.fromEntries(table.columns.filter((c) => c.label).map((c) => [c.name, c.label]));
  const kvMetadata: { key: string; value: string }[] = [];
  if (Object.keys(labels).length > 0) kvMetadata.push({ key: PARQUET_LABELS_KEY, value: JSON.stringify(labels) });
  if (opts.label) kvMetadata.push({ key: PARQUET_DATASET_LABEL_KEY, value: opts.label });
  const buffer = parquetWriteBuffer({
    columnData,
    codec: 'SNAPPY',
    createdBy: CREATED_BY,
    ...(kvMetadata.length > 0 ? { kvMetadata } : {}),
  });
  return new Uint8Array(buffer);
}
