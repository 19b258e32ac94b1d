import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isNtlError } from '../../src/errors.js';
import { stataNameProblem, tableToDta, truncateChars } from '../../src/output/dta.js';
import type { Column, Table } from '../../src/output/table.js';
import { DTA_LABEL, DTA_TIMESTAMP, dtaGoldens, sampleTable } from '../output-fixtures.js';

/** What scripts/golden/check-dta.R recorded for one reader (doubles as "%.17g" text). */
interface ReaderView {
  reader: string;
  nrow: number;
  datalabel: string;
  timestamp?: string;
  version?: number;
  columns: { name: string; rtype: string; stata_type?: number; format: string; label: string; values: (string | number | null)[] }[];
}
interface DtaGolden {
  file: string;
  haven: ReaderView;
  readstata13: ReaderView;
}

const goldenDir = new URL('../goldens/', import.meta.url);
const readGolden = (name: string): DtaGolden => JSON.parse(readFileSync(new URL(`output-dta-${name}.json`, goldenDir), 'utf8'));
const goldenBytes = (name: string): Buffer => readFileSync(new URL(`output-${name}.dta`, goldenDir));
const write = (table: Table) => tableToDta(table, { label: DTA_LABEL, timestamp: DTA_TIMESTAMP });

/** What a Stata reader must hand back for a value: strings have no missing (null → ""). */
function expectedValue(column: Column, v: string | number | null): string | number | null {
  return column.type === 'string' ? (v ?? '') : v;
}

const show = (v: unknown): string => (Object.is(v, -0) ? '-0' : String(v));

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Stata type code the writer must choose for a column. */
function expectedStataType(column: Column): number {
  if (column.type !== 'string') {
    if (column.type === 'float64') return 65526;
    return column.values.every((v) => v === null || (v >= -2147483647 && v <= 2147483620)) ? 65528 : 65526;
  }
  const longest = Math.max(1, ...column.values.map((v) => utf8Length(v ?? '')));
  return longest > 2045 ? 32768 : longest;
}

describe.each(Object.entries(dtaGoldens))('Stata .dta golden "%s"', (name, table) => {
  const golden = readGolden(name);

  it('regenerates byte-identical to the committed file that R read', () => {
    expect(Buffer.from(write(table)).equals(goldenBytes(name))).toBe(true);
  });

  it.each(['haven', 'readstata13'] as const)('decodes to the Table with %s', (reader) => {
    const view = golden[reader];
    const n = table.columns[0].values.length;
    // readstata13 0.10.1 reads any 0-observation file (haven's own too) as one garbage row; names/types still count.
    const checkValues = !(reader === 'readstata13' && n === 0);
    if (checkValues) expect(view.nrow).toBe(n);
    expect(view.datalabel).toBe(DTA_LABEL);
    expect(view.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
    table.columns.forEach((column, i) => {
      const got = view.columns[i];
      expect(got.label, `label of ${column.name}`).toBe(truncateChars(column.label ?? '', 80));
      if (reader === 'readstata13') expect(got.stata_type, `type of ${column.name}`).toBe(expectedStataType(column));
      if (!checkValues) return;
      column.values.forEach((v, row) => {
        const want = expectedValue(column, v);
        const raw = got.values[row];
        // Doubles arrive as "%.17g" text, longs (readstata13) as numbers.
        const have = column.type === 'string' || raw === null ? raw : Number(raw);
        expect(Object.is(have, want), `${reader} ${column.name}[${row}]: got ${show(raw)}, want ${show(want)}`).toBe(true);
      });
    });
  });

  it('was read as format 118 with the fixed timestamp', () => {
    expect(golden.readstata13.version).toBe(118);
    expect(golden.readstata13.timestamp).toBe(DTA_TIMESTAMP);
  });
});

describe('tableToDta file layout', () => {
  const bytes = Buffer.from(write(sampleTable));

  it('has a <map> whose 14 offsets point at the sections in order', () => {
    const mapAt = bytes.indexOf('<map>') + 5;
    const offsets = Array.from({ length: 14 }, (_, i) => Number(bytes.readBigUInt64LE(mapAt + 8 * i)));
    const tags = [
      '<stata_dta>',
      '<map>',
      '<variable_types>',
      '<varnames>',
      '<sortlist>',
      '<formats>',
      '<value_label_names>',
      '<variable_labels>',
      '<characteristics>',
      '<data>',
      '<strls>',
      '<value_labels>',
      '</stata_dta>',
    ];
    tags.forEach((tag, i) => expect(bytes.subarray(offsets[i], offsets[i] + tag.length).toString('latin1'), tag).toBe(tag));
    expect(offsets[13]).toBe(bytes.length);
  });

  it('writes K as 2 bytes, N as 8 bytes and the label with a 2-byte length', () => {
    const k = bytes.indexOf('<K>') + 3;
    expect(bytes.readUInt16LE(k)).toBe(sampleTable.columns.length);
    const n = bytes.indexOf('<N>') + 3;
    expect(bytes.readBigUInt64LE(n)).toBe(7n);
    const label = bytes.indexOf('<label>') + 7;
    expect(bytes.readUInt16LE(label)).toBe(utf8Length(DTA_LABEL));
  });

  it('is byte-identical across runs, and the default timestamp is fixed', () => {
    expect(Buffer.from(tableToDta(sampleTable)).equals(Buffer.from(tableToDta(sampleTable)))).toBe(true);
    expect(Buffer.from(tableToDta(sampleTable)).includes('01 Jan 2000 00:00')).toBe(true);
    const other = Buffer.from(tableToDta(sampleTable, { timestamp: '15 Mar 2024 09:30' }));
    expect(other.includes('15 Mar 2024 09:30')).toBe(true);
    expect(other.length).toBe(tableToDta(sampleTable).length);
  });

  it('cuts long variable labels at 80 characters without splitting UTF-8', () => {
    const label = '灯'.repeat(100);
    const table: Table = { columns: [{ name: 'x', type: 'float64', label, values: [1] }] };
    const out = Buffer.from(tableToDta(table));
    const at = out.indexOf('<variable_labels>') + '<variable_labels>'.length;
    const field = out.subarray(at, at + 321);
    const text = field.subarray(0, field.indexOf(0)).toString('utf8');
    expect(text).toBe('灯'.repeat(80));
    expect(out.subarray(at + 321, at + 321 + 18).toString()).toBe('</variable_labels>');
  });
});

describe('tableToDta rejects what Stata cannot hold', () => {
  const one = (column: Column): Table => ({ columns: [column] });
  const expectNtlError = (fn: () => unknown, pattern: RegExp) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(isNtlError(err), `expected an NtlError matching ${pattern}`).toBe(true);
    expect((err as Error).message).toMatch(pattern);
  };

  it.each(['1abc', 'ntl-sum', 'ntl sum', '县名', 'long', 'strL', 'str12', '_n', 'a'.repeat(33), ''])('invalid Stata name %j', (name) => {
    expectNtlError(
      () => tableToDta(one({ name, type: 'int32', values: [1] })),
      name === '' ? /empty name/ : new RegExp(`column "${name}" is not a valid Stata variable name`),
    );
  });

  it('accepts valid names up to 32 characters', () => {
    for (const name of ['a'.repeat(32), '_x', 'ntl_2012', 'str', 'Long', 'strLx']) expect(stataNameProblem(name), name).toBeNull();
  });

  it('rejects duplicate column names', () => {
    const table: Table = {
      columns: [
        { name: 'gdp', type: 'float64', values: [1] },
        { name: 'gdp', type: 'float64', values: [2] },
      ],
    };
    expectNtlError(() => tableToDta(table), /duplicate column names "gdp" and "gdp"/);
  });

  it('rejects NaN and ±Infinity (they must never reach an output)', () => {
    expectNtlError(() => tableToDta(one({ name: 'ntl', type: 'float64', values: [1, Number.NaN] })), /column "ntl", row 2: value is NaN/);
    expectNtlError(() => tableToDta(one({ name: 'ntl', type: 'float64', values: [-Infinity] })), /row 1: value is -Infinity/);
    expectNtlError(() => tableToDta(one({ name: 'n', type: 'int32', values: [Number.NaN] })), /value is NaN/);
  });

  it('rejects doubles Stata would read as missing (|x| ≥ 2^1023)', () => {
    expectNtlError(() => tableToDta(one({ name: 'big', type: 'float64', values: [1.7976931348623157e308] })), /column "big", row 1: .*largest double/);
    expectNtlError(() => tableToDta(one({ name: 'big', type: 'float64', values: [-(2 ** 1023)] })), /largest double/);
  });

  it('rejects non-integers and out-of-range values in int32 columns', () => {
    expectNtlError(() => tableToDta(one({ name: 'year', type: 'int32', values: [2012.5] })), /2012.5 is not a 32-bit integer/);
    expectNtlError(() => tableToDta(one({ name: 'year', type: 'int32', values: [2 ** 31] })), /not a 32-bit integer/);
  });

  it('rejects NUL characters, unpaired surrogates, ragged columns and bad timestamps', () => {
    expectNtlError(() => tableToDta(one({ name: 's', type: 'string', values: ['a\u0000b'] })), /NUL character/);
    expectNtlError(() => tableToDta(one({ name: 's', type: 'string', values: ['bad \uD800'] })), /unpaired UTF-16 surrogate/);
    const ragged: Table = {
      columns: [
        { name: 'a', type: 'int32', values: [1, 2] },
        { name: 'b', type: 'int32', values: [1] },
      ],
    };
    expectNtlError(() => tableToDta(ragged), /column "b" has 1 rows but "a" has 2/);
    expectNtlError(() => tableToDta(sampleTable, { timestamp: '2000-01-01 00:00' }), /dd Mon yyyy hh:mm/);
  });

  it('rejects a table with no columns or more than 32767 columns', () => {
    expectNtlError(() => tableToDta({ columns: [] }), /no columns/);
    const wide: Table = { columns: Array.from({ length: 32768 }, (_, i) => ({ name: `v${i}`, type: 'int32' as const, values: [] })) };
    expectNtlError(() => tableToDta(wide), /at most 32767/);
  });
});
