import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { writePanel } from '../../src/output/panel-writers.js';
import { readTable } from '../../src/panel/read-table.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('read');

describe('readTable', () => {
  it('reads CSV and Parquet written from the same table identically', async () => {
    const base = join(tmp, 'p');
    await writePanel(
      {
        columns: [
          { name: 'unit', type: 'string', values: ['430102', '430103', null] },
          { name: 'year', type: 'int32', values: [2012, 2013, 2014] },
          { name: 'y', type: 'float64', values: [1.5, null, -0.1] },
        ],
      },
      base,
      ['csv', 'parquet'],
    );
    for (const ext of ['csv', 'parquet']) {
      const t = await readTable(`${base}.${ext}`);
      expect(t.names).toEqual(['unit', 'year', 'y']);
      expect(t.text('unit')).toEqual(['430102', '430103', null]);
      expect(t.numbers('year')).toEqual([2012, 2013, 2014]);
      expect(t.numbers('y')).toEqual([1.5, null, -0.1]);
    }
  });

  it('missing markers, and clear errors for non-numbers, unknown columns and ragged rows', async () => {
    const p = join(tmp, 'a.csv');
    writeFileSync(p, 'a,b\n1,NA\n.,x\n');
    const t = await readTable(p);
    expect(t.numbers('a')).toEqual([1, null]);
    expect(() => t.numbers('b')).toThrow(/a\.csv line 3: column "b" has the non-numeric value "x"/);
    expect(() => t.numbers('c')).toThrow(/has no column "c"; available columns: a, b/);
    writeFileSync(p, 'a,b\n1,2,3\n');
    await expect(readTable(p)).rejects.toThrow(NtlError);
    await expect(readTable(join(tmp, 'none.csv'))).rejects.toThrow(/file not found/);
  });
});
