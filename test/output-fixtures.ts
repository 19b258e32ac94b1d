/**
 * Tables shared by the output tests and scripts/golden/write-output-dta.ts, which writes the
 * committed .dta goldens that scripts/golden/check-dta.R reads back with haven and readstata13.
 */
import type { Column, Table } from '../src/output/table.js';

export const DTA_LABEL = '湖南 county × year night lights (test)';
export const DTA_TIMESTAMP = '01 Jan 2000 00:00';

/** Largest double Stata does not read as missing: 2^1023 − 2^970. */
export const STATA_MAX_DOUBLE = 8.988465674311579e307;

const longLabel = '夜间灯光 sum of radiance over the county polygon, VIIRS DNB annual composite, nW/cm²/sr — a label longer than eighty characters';

export const sampleTable: Table = {
  columns: [
    {
      name: 'county',
      type: 'string',
      label: '县名 county name',
      values: ['长沙市', '芙蓉区', '', null, 'Changsha "quoted", comma', 'tab\there', 'ǅ😀 astral'],
    },
    { name: 'code', type: 'int32', label: 'county code', values: [430100, 430102, null, -2147483647, 2147483620, 0, -1] },
    { name: 'year', type: 'int32', values: [2012, 2013, 2014, 2015, 2016, 2017, 2018] },
    {
      name: 'ntl_sum',
      type: 'float64',
      label: longLabel,
      values: [1e-300, STATA_MAX_DOUBLE, -0, null, -STATA_MAX_DOUBLE, 0.1 + 0.2, 5e-324],
    },
    // Values outside long's non-missing range force a double in Stata.
    { name: 'wide_int', type: 'int32', values: [2147483647, -2147483648, 2147483621, null, 1, -2147483647, 2147483620] },
    { name: 'ntl_mean', type: 'float64', values: [123.456, -7.25e-5, 1e21, 2.2250738585072014e-308, null, 42, 9007199254740994] },
  ],
};

export const zeroRowTable: Table = {
  columns: [
    { name: 'county', type: 'string', values: [] },
    { name: 'year', type: 'int32', values: [] },
    { name: 'ntl', type: 'float64', label: 'nothing here', values: [] },
  ],
};

function manyColumns(count: number): Table {
  const columns: Column[] = [];
  for (let i = 0; i < count; i++) {
    const name = `v${String(i).padStart(3, '0')}`;
    if (i % 3 === 0) columns.push({ name, type: 'string', values: [`s${i}`, '', `县${i}`] });
    else if (i % 3 === 1) columns.push({ name, type: 'int32', label: `int ${i}`, values: [i, -i, null] });
    else columns.push({ name, type: 'float64', values: [i / 7, null, -i * 1e10] });
  }
  return { columns };
}

export const manyColumnsTable: Table = manyColumns(300);

/** A string column with a value past strN's 2045-byte limit, so it becomes strL. */
export const strlTable: Table = {
  columns: [
    { name: 'id', type: 'int32', values: [1, 2, 3, 4] },
    { name: 'note', type: 'string', label: 'long text', values: ['长沙'.repeat(400), '', null, 'short'] },
  ],
};

/** One edge per column: each out-of-range value alone must turn its column into a double. */
export const longLimitsTable: Table = {
  columns: [
    { name: 'at_limits', type: 'int32', values: [2147483620, -2147483647, null] },
    { name: 'over_max', type: 'int32', values: [0, 2147483621, null] },
    { name: 'int32_max', type: 'int32', values: [2147483647, 1, null] },
    { name: 'int32_min', type: 'int32', values: [-2147483648, -1, null] },
  ],
};

export const dtaGoldens = {
  sample: sampleTable,
  'zero-rows': zeroRowTable,
  'many-columns': manyColumnsTable,
  strl: strlTable,
  'long-limits': longLimitsTable,
} as const satisfies Record<string, Table>;
