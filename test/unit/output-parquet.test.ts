import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import { PARQUET_DATASET_LABEL_KEY, PARQUET_LABELS_KEY, tableToParquet } from '../../src/output/parquet.js';
import type { Table } from '../../src/output/table.js';
import { tempDir } from '../helpers/tmp.js';
import { manyColumnsTable, sampleTable, zeroRowTable } from '../output-fixtures.js';

// Parquet holds every double, so beyond the Stata sample it also gets the extremes Stata cannot.
const parquetTable: Table = {
  columns: [
    ...sampleTable.columns,
    {
      name: 'extremes',
      type: 'float64',
      label: 'IEEE extremes',
      values: [1.7976931348623157e308, -1.7976931348623157e308, Number.MIN_VALUE, -0, null, 1e-300, -5e-324],
    },
  ],
};

let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = tempDir('parquet');
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  await rm(dir, { recursive: true, force: true });
});

async function writeTemp(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function readWithDuckDb(path: string) {
  const result = await db.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
  return {
    names: result.columnNames(),
    types: result.columnTypes().map((t) => t.toString()),
    columns: result.getColumnsJS(),
  };
}

const DUCKDB_TYPE = { string: 'VARCHAR', int32: 'INTEGER', float64: 'DOUBLE' } as const;

function expectSameAsTable(read: Awaited<ReturnType<typeof readWithDuckDb>>, table: Table): void {
  expect(read.names).toEqual(table.columns.map((c) => c.name));
  expect(read.types).toEqual(table.columns.map((c) => DUCKDB_TYPE[c.type]));
  table.columns.forEach((c, i) => {
    const got = read.columns[i] ?? [];
    expect(got.length, c.name).toBe(c.values.length);
    // Object.is: -0 stays -0, null stays null (not "" or 0).
    c.values.forEach((v, row) => expect(Object.is(got[row], v), `${c.name}[${row}]: got ${String(got[row])}, want ${String(v)}`).toBe(true));
  });
}

describe('tableToParquet read back by DuckDB', () => {
  it('keeps every type, value and null of the sample table', async () => {
    const path = await writeTemp('sample.parquet', tableToParquet(parquetTable));
    expectSameAsTable(await readWithDuckDb(path), parquetTable);
  });

  it('writes a 0-row table with its column types', async () => {
    const path = await writeTemp('zero.parquet', tableToParquet(zeroRowTable));
    const read = await readWithDuckDb(path);
    expect(read.names).toEqual(['county', 'year', 'ntl']);
    expect(read.types).toEqual(['VARCHAR', 'INTEGER', 'DOUBLE']);
    expect(read.columns.every((c) => c.length === 0)).toBe(true);
  });

  it('writes 300 columns', async () => {
    const path = await writeTemp('many.parquet', tableToParquet(manyColumnsTable));
    expectSameAsTable(await readWithDuckDb(path), manyColumnsTable);
  });

  it('spans several row groups without losing rows', async () => {
    const n = 2500; // hyparquet-writer starts a new row group after 1000 rows
    const big: Table = {
      columns: [
        { name: 'i', type: 'int32', values: Array.from({ length: n }, (_, i) => i) },
        { name: 'x', type: 'float64', values: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i / 3)) },
        { name: 's', type: 'string', values: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `县${i}`)) },
      ],
    };
    const path = await writeTemp('big.parquet', tableToParquet(big));
    expectSameAsTable(await readWithDuckDb(path), big);
  });

  it('stores column labels and the dataset label as key-value metadata', async () => {
    const path = await writeTemp('labels.parquet', tableToParquet(parquetTable, { label: '湖南 panel' }));
    const kv = await db.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${path}') ORDER BY k`);
    const meta = Object.fromEntries(kv.getRowObjectsJS().map((r) => [String(r.k), String(r.v)]));
    expect(meta[PARQUET_DATASET_LABEL_KEY]).toBe('湖南 panel');
    expect(JSON.parse(meta[PARQUET_LABELS_KEY] ?? '{}')).toEqual({
      county: '县名 county name',
      code: 'county code',
      ntl_sum: sampleTable.columns[3].label,
      extremes: 'IEEE extremes',
    });
  });
});

describe('tableToParquet file structure', () => {
  it('declares BYTE_ARRAY/UTF8, INT32 and DOUBLE, all optional (hyparquet metadata)', () => {
    const bytes = tableToParquet(zeroRowTable);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const [, county, year, ntl] = meta.schema;
    expect(county).toMatchObject({ name: 'county', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    expect(year).toMatchObject({ name: 'year', type: 'INT32', repetition_type: 'OPTIONAL' });
    expect(ntl).toMatchObject({ name: 'ntl', type: 'DOUBLE', repetition_type: 'OPTIONAL' });
    expect(meta.created_by).toBe('ntl-pipeline');
  });

  it('is byte-identical across writes', () => {
    const a = tableToParquet(parquetTable, { label: 'x' });
    const b = tableToParquet(parquetTable, { label: 'x' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('rejects NaN and Infinity with an NtlError naming column and row', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const table: Table = { columns: [{ name: 'ntl', type: 'float64', values: [1, bad] }] };
      let err: unknown;
      try {
        tableToParquet(table);
      } catch (e) {
        err = e;
      }
      expect(isNtlError(err)).toBe(true);
      expect((err as Error).message).toMatch(/column "ntl", row 2/);
    }
  });

  it('rejects duplicate column names', () => {
    const table: Table = {
      columns: [
        { name: 'year', type: 'int32', values: [1] },
        { name: 'Year', type: 'int32', values: [2] },
      ],
    };
    expect(() => tableToParquet(table)).toThrow(/duplicate column names "year" and "Year"/);
  });
});
