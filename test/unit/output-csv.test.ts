import { describe, expect, it } from 'vitest';
import { csvText, formatNumber, tableToCsv } from '../../src/output/csv.js';
import type { Table } from '../../src/output/table.js';
import { sampleTable, zeroRowTable } from '../output-fixtures.js';

describe('tableToCsv', () => {
  it('writes a header, RFC 4180 quoting, shortest round-trip numbers and empty fields for null', () => {
    expect(tableToCsv(sampleTable)).toBe(
      [
        'county,code,year,ntl_sum,wide_int,ntl_mean',
        '长沙市,430100,2012,1e-300,2147483647,123.456',
        '芙蓉区,430102,2013,8.988465674311579e+307,-2147483648,-0.0000725',
        ',,2014,0,2147483621,1e+21',
        ',-2147483647,2015,,,2.2250738585072014e-308',
        '"Changsha ""quoted"", comma",2147483620,2016,-8.988465674311579e+307,1,',
        'tab\there,0,2017,0.30000000000000004,-2147483647,42',
        'ǅ😀 astral,-1,2018,5e-324,2147483620,9007199254740994',
        '',
      ].join('\n'),
    );
  });

  it('reads every number back to the same double (−0 is written as 0)', () => {
    const lines = tableToCsv(sampleTable).trimEnd().split('\n').slice(1);
    const ntlSum = sampleTable.columns[3].values;
    lines.forEach((line, row) => {
      const field = line.split(',').at(-3) ?? '';
      const want = ntlSum[row];
      expect(field === '' ? null : Number(field)).toBe(want === null ? null : want === 0 ? 0 : want);
    });
  });

  it('writes only the header for a 0-row table', () => {
    expect(tableToCsv(zeroRowTable)).toBe('county,year,ntl\n');
  });

  it('quotes fields with newlines, carriage returns and edge whitespace', () => {
    const table: Table = { columns: [{ name: 'note', type: 'string', values: ['a\nb', 'c\rd', ' lead', 'trail ', 'x"y'] }] };
    expect(tableToCsv(table)).toBe('note\n"a\nb"\n"c\rd"\n" lead"\n"trail "\n"x""y"\n');
  });

  it('rejects NaN, duplicate names and ragged columns with NtlError', () => {
    expect(() => tableToCsv({ columns: [{ name: 'x', type: 'float64', values: [Number.NaN] }] })).toThrow(/column "x", row 1: value is NaN/);
    expect(() =>
      tableToCsv({
        columns: [
          { name: 'x', type: 'int32', values: [1] },
          { name: 'X', type: 'int32', values: [1] },
        ],
      }),
    ).toThrow(/duplicate column names/);
    expect(() =>
      tableToCsv({
        columns: [
          { name: 'x', type: 'int32', values: [1] },
          { name: 'y', type: 'int32', values: [] },
        ],
      }),
    ).toThrow(/"y" has 0 rows but "x" has 1/);
  });

  it('keeps the existing helpers unchanged', () => {
    expect(formatNumber(-0)).toBe('0');
    expect(csvText(['a', 'b'], [[1, 'x,y']])).toBe('a,b\n1,"x,y"\n');
  });
});
