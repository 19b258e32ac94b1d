import { describe, expect, it } from 'vitest';
import { longToWide } from '../../src/output/wide.js';
import type { Table } from '../../src/output/table.js';

const long: Table = {
  columns: [
    { name: 'county', type: 'string', label: 'county name', values: ['芙蓉区', '长沙市', '芙蓉区', '长沙市', 'Alpha'] },
    { name: 'code', type: 'int32', values: [430102, 430100, 430102, 430100, 1] },
    { name: 'year', type: 'int32', values: [2013, 2012, 2012, 2014, 2013] },
    { name: 'ntl', type: 'float64', label: 'night lights', values: [1.5, 2.5, null, 4, -0] },
    { name: 'src', type: 'string', values: ['viirs', 'viirs', 'dmsp', 'viirs', 'dmsp'] },
  ],
};

describe('longToWide', () => {
  it('makes value_time columns, value-major, times ascending, rows sorted by id', () => {
    const wide = longToWide(long, { id: ['county', 'code'], time: 'year', values: ['ntl', 'src'] });
    expect(wide.columns.map((c) => [c.name, c.type, c.label])).toEqual([
      ['county', 'string', 'county name'],
      ['code', 'int32', undefined],
      ['ntl_2012', 'float64', 'night lights, 2012'],
      ['ntl_2013', 'float64', 'night lights, 2013'],
      ['ntl_2014', 'float64', 'night lights, 2014'],
      ['src_2012', 'string', undefined],
      ['src_2013', 'string', undefined],
      ['src_2014', 'string', undefined],
    ]);
    // Sorted by UTF-16 code units: "Alpha" < "芙蓉区" (U+8299) < "长沙市" (U+957F).
    expect(wide.columns.map((c) => c.values)).toEqual([
      ['Alpha', '芙蓉区', '长沙市'],
      [1, 430102, 430100],
      [null, null, 2.5],
      [-0, 1.5, null],
      [null, null, 4],
      [null, 'dmsp', 'viirs'],
      ['dmsp', 'viirs', null],
      [null, null, 'viirs'],
    ]);
  });

  it('sorts numeric ids and times numerically, not as text', () => {
    const t: Table = {
      columns: [
        { name: 'id', type: 'int32', values: [10, 9, 10, 9] },
        { name: 't', type: 'int32', values: [100, 20, 20, 100] },
        { name: 'v', type: 'float64', values: [1, 2, 3, 4] },
      ],
    };
    const wide = longToWide(t, { id: ['id'], time: 't', values: ['v'] });
    expect(wide.columns.map((c) => c.name)).toEqual(['id', 'v_20', 'v_100']);
    expect(wide.columns.map((c) => c.values)).toEqual([
      [9, 10],
      [2, 3],
      [4, 1],
    ]);
  });

  it('keeps only the id columns for a 0-row table', () => {
    const empty: Table = { columns: long.columns.map((c) => ({ ...c, values: [] }) as typeof c) };
    const wide = longToWide(empty, { id: ['county'], time: 'year', values: ['ntl'] });
    expect(wide.columns.map((c) => [c.name, c.values.length])).toEqual([['county', 0]]);
  });

  it('rejects a duplicate (id, time) pair, naming both rows', () => {
    expect(() => longToWide(long, { id: ['code'], time: 'src', values: ['ntl'] })).toThrow(/two rows \(2 and 4\) for code=430100, src=viirs/);
  });

  it('rejects missing ids or times, unknown columns, reused columns and name collisions', () => {
    const withNull: Table = {
      columns: [
        { name: 'id', type: 'string', values: ['a', null] },
        { name: 't', type: 'int32', values: [1, 1] },
      ],
    };
    expect(() => longToWide(withNull, { id: ['id'], time: 't', values: [] })).toThrow(/id column "id", row 2 is missing/);
    expect(() => longToWide(long, { id: ['county'], time: 'yr', values: ['ntl'] })).toThrow(/no time column "yr"/);
    expect(() => longToWide(long, { id: ['county'], time: 'year', values: ['year'] })).toThrow(/more than one role/);
    const clash: Table = {
      columns: [
        { name: 'v_1', type: 'int32', values: [1] },
        { name: 't', type: 'int32', values: [1] },
        { name: 'v', type: 'int32', values: [5] },
      ],
    };
    expect(() => longToWide(clash, { id: ['v_1'], time: 't', values: ['v'] })).toThrow(/duplicate column names "v_1" and "v_1"/);
  });
});
