import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableToCsv } from '../../src/output/csv.js';
import { tableToDta } from '../../src/output/dta.js';
import { withSharedLabels } from '../../src/output/labels.js';
import { writePanel, type PanelFormat } from '../../src/output/panel-writers.js';
import { tableToParquet } from '../../src/output/parquet.js';
import type { Table } from '../../src/output/table.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleTable } from '../output-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = tempDir('panel');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePanel', () => {
  it('writes base.csv, base.parquet and base.dta with the same bytes as the encoders (shared column labels added)', async () => {
    const base = join(dir, 'out', 'panel');
    const paths = await writePanel(sampleTable, base, ['csv', 'parquet', 'dta'], { label: 'Hunan', dtaTimestamp: '02 Feb 2020 10:11' });
    expect(paths).toEqual([`${base}.csv`, `${base}.parquet`, `${base}.dta`]);
    // sampleTable's year has no label: the writers give it the shared one ("Year"), as in every ntl output.
    const labelled = withSharedLabels(sampleTable);
    expect(labelled.columns.find((c) => c.name === 'year')?.label).toBe('Year');
    expect(await readFile(`${base}.csv`, 'utf8')).toBe(tableToCsv(sampleTable));
    expect((await readFile(`${base}.parquet`)).equals(Buffer.from(tableToParquet(labelled, { label: 'Hunan' })))).toBe(true);
    const dta = tableToDta(labelled, { label: 'Hunan', timestamp: '02 Feb 2020 10:11' });
    expect((await readFile(`${base}.dta`)).equals(Buffer.from(dta))).toBe(true);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['panel.csv', 'panel.dta', 'panel.parquet']); // no temp files left
  });

  it('writes each format once when listed twice', async () => {
    const base = join(dir, 'twice');
    expect(await writePanel(sampleTable, base, ['dta', 'dta'])).toEqual([`${base}.dta`]);
  });

  it('writes nothing at all when any format rejects the table', async () => {
    // A valid CSV/Parquet table whose values Stata refuses (column names are sanitised, see column-names.ts): the
    // .csv must not appear either.
    const table: Table = { columns: [{ name: 'ntl_sum', type: 'float64', values: [1e308] }] };
    const base = join(dir, 'bad', 'panel');
    await expect(writePanel(table, base, ['csv', 'parquet', 'dta'])).rejects.toThrow(/"ntl_sum", row 1: 1e\+308 is beyond Stata's largest double/);
    await expect(readdir(join(dir, 'bad'))).rejects.toThrow(/ENOENT/);
  });

  it('rejects NaN before writing', async () => {
    const table: Table = { columns: [{ name: 'x', type: 'float64', values: [Number.NaN] }] };
    await expect(writePanel(table, join(dir, 'nan'), ['csv'])).rejects.toThrow(/NaN/);
  });

  it('rejects an empty or unknown format list', async () => {
    await expect(writePanel(sampleTable, join(dir, 'none'), [])).rejects.toThrow(/no output format/);
    await expect(writePanel(sampleTable, join(dir, 'x'), ['xlsx' as PanelFormat])).rejects.toThrow(/unknown panel format "xlsx"/);
  });
});
