/**
 * Stata .dta writer, format 118 (Stata 14+, UTF-8 strings), little-endian, written by hand from
 * Stata's published dta-118 specification because no npm package writes .dta files.
 *
 * Type mapping: string → strN (N = longest UTF-8 value in bytes, at least 1) or strL past 2045
 * bytes; int32 → long, or double when a value lies outside long's non-missing range;
 * float64 → double. null → Stata's system missing "." (numbers) or "" (strings: Stata has no
 * string missing). The timestamp is an argument with a fixed default, so the same Table always
 * gives the same bytes.
 */
import { NtlError } from '../errors.js';
import { MAX_COLUMN_NAME_CHARS, STATA_RESERVED } from './column-names.js';
import { checkTable } from './table-check.js';
import { rowCount, type Column, type NumberColumn, type StringColumn, type Table } from './table.js';

export interface DtaOptions {
  /** Dataset label; Stata keeps at most 80 characters, longer labels are cut at a character boundary. */
  readonly label?: string;
  /** "dd Mon yyyy hh:mm" (e.g. "01 Jan 2000 00:00"), or "" for none. */
  readonly timestamp?: string;
}

export const DEFAULT_DTA_TIMESTAMP = '01 Jan 2000 00:00';

// Stata limits (dta-118 spec and `help limits`).
const MAX_VARIABLES = 32767;
const MAX_STRF_BYTES = 2045;
const MAX_LABEL_CHARS = 80;
const MAX_NAME_CHARS = MAX_COLUMN_NAME_CHARS;

// Type codes of <variable_types>.
const TYPE_STRL = 32768;
const TYPE_DOUBLE = 65526;
const TYPE_LONG = 65528;

// Missing values and non-missing ranges: long "." is 2,147,483,621; double "." is the bytes
// 00 00 00 00 00 00 e0 7f, i.e. 2^1023, and every double of magnitude ≥ 2^1023 is a missing code.
const LONG_MISSING = 2147483621;
const LONG_MIN = -2147483647;
const LONG_MAX = 2147483620;
const DOUBLE_MISSING = 2 ** 1023;

// Stata's reserved words: one list, shared with the column-name sanitiser.
const RESERVED_NAMES = new Set<string>(STATA_RESERVED);

const utf8 = new TextEncoder();

/** Why `name` cannot be a Stata variable name, or null when it can. */
export function stataNameProblem(name: string): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return 'Stata names use only letters A-Z/a-z, digits and _, and do not start with a digit';
  }
  if (name.length > MAX_NAME_CHARS) return `Stata names have at most ${MAX_NAME_CHARS} characters (this one has ${name.length})`;
  if (RESERVED_NAMES.has(name) || /^str[0-9]+$/.test(name)) return 'it is a reserved word in Stata';
  return null;
}

/** First `maxChars` Unicode characters of `s` (never splits a character). */
export function truncateChars(s: string, maxChars: number): string {
  const chars = Array.from(s);
  return chars.length <= maxChars ? s : chars.slice(0, maxChars).join('');
}

/** The whole .dta file for `table`. Throws NtlError for anything Stata cannot hold exactly. */
export function tableToDta(table: Table, opts: DtaOptions = {}): Uint8Array {
  checkTable(table, 'Stata .dta table');
  if (table.columns.length > MAX_VARIABLES) {
    throw new NtlError(`Stata .dta table has ${table.columns.length} columns but Stata allows at most ${MAX_VARIABLES}; write Parquet or a long panel instead`);
  }
  for (const column of table.columns) {
    const problem = stataNameProblem(column.name);
    if (problem) throw new NtlError(`column "${column.name}" is not a valid Stata variable name: ${problem}; rename the column`);
  }
  const n = rowCount(table);
  const vars = table.columns.map((c, i) => planVariable(c, i + 1));
  const timestamp = checkTimestamp(opts.timestamp ?? DEFAULT_DTA_TIMESTAMP);
  const { data, strls } = encodeData(vars, n);

  const k = vars.length;
  const header = concat([
    ascii('<header><release>118</release><byteorder>LSF</byteorder><K>'),
    u16(k),
    ascii('</K><N>'),
    u64(n),
    ascii('</N><label>'),
    lengthPrefixed(utf8.encode(truncateChars(opts.label ?? '', MAX_LABEL_CHARS)), 2),
    ascii('</label><timestamp>'),
    lengthPrefixed(ascii(timestamp), 1),
    ascii('</timestamp></header>'),
  ]);
  // Sections after <map>, in file order; the map records where each one starts.
  const sections: Uint8Array[] = [
    tagged('variable_types', concat(vars.map((v) => u16(v.typeCode)))),
    tagged('varnames', concat(vars.map((v) => fixed(ascii(v.name), 129)))),
    tagged('sortlist', new Uint8Array(2 * (k + 1))), // all zero: no sort order is claimed
    tagged('formats', concat(vars.map((v) => fixed(ascii(v.format), 57)))),
    tagged('value_label_names', new Uint8Array(129 * k)),
    tagged('variable_labels', concat(vars.map((v) => fixed(utf8.encode(truncateChars(v.label, MAX_LABEL_CHARS)), 321)))),
    ascii('<characteristics></characteristics>'),
    tagged('data', data),
    tagged('strls', strls),
    ascii('<value_labels></value_labels>'),
  ];
  const open = ascii('<stata_dta>');
  const close = ascii('</stata_dta>');
  const mapLength = '<map>'.length + 14 * 8 + '</map>'.length;
  const offsets: number[] = [0, open.length + header.length];
  let at = offsets[1] + mapLength;
  for (const s of sections) {
    offsets.push(at);
    at += s.length;
  }
  offsets.push(at, at + close.length); // </stata_dta>, end of file
  const map = concat([ascii('<map>'), ...offsets.map(u64), ascii('</map>')]);
  return concat([open, header, map, ...sections, close]);
}

interface StataVariable {
  readonly name: string;
  readonly label: string;
  readonly typeCode: number;
  /** Bytes per observation in <data>. */
  readonly width: number;
  readonly format: string;
  /** 1-based variable number (strL references). */
  readonly number: number;
  readonly column: Column;
  /** UTF-8 bytes of each string value (string columns only). */
  readonly bytes?: readonly Uint8Array[];
}

function planVariable(column: Column, number: number): StataVariable {
  const base = { name: column.name, label: column.label ?? '', number, column };
  if (column.type === 'string') return planString(column, base);
  return planNumber(column, base);
}

function planString(column: StringColumn, base: Omit<StataVariable, 'typeCode' | 'width' | 'format'>): StataVariable {
  const bytes = column.values.map((v) => utf8.encode(v ?? ''));
  let longest = 1;
  bytes.forEach((b, row) => {
    if (b.includes(0)) {
      throw new NtlError(`column "${column.name}", row ${row + 1}: text contains a NUL character, which Stata strings cannot hold; remove it`);
    }
    if (b.length > longest) longest = b.length;
  });
  if (longest > MAX_STRF_BYTES) return { ...base, bytes, typeCode: TYPE_STRL, width: 8, format: '%9s' };
  return { ...base, bytes, typeCode: longest, width: longest, format: `%${longest}s` };
}

function planNumber(column: NumberColumn, base: Omit<StataVariable, 'typeCode' | 'width' | 'format'>): StataVariable {
  const fitsLong = column.type === 'int32' && column.values.every((v) => v === null || (v >= LONG_MIN && v <= LONG_MAX));
  if (fitsLong) return { ...base, typeCode: TYPE_LONG, width: 4, format: '%12.0g' };
  column.values.forEach((v, row) => {
    if (v !== null && Math.abs(v) >= DOUBLE_MISSING) {
      throw new NtlError(
        `column "${column.name}", row ${row + 1}: ${v} is beyond Stata's largest double (±8.988e+307), so Stata would read it as missing; ` +
          'rescale the column or write Parquet/CSV instead',
      );
    }
  });
  return { ...base, typeCode: TYPE_DOUBLE, width: 8, format: '%10.0g' };
}

function encodeData(vars: readonly StataVariable[], n: number): { data: Uint8Array; strls: Uint8Array } {
  const rowWidth = vars.reduce((sum, v) => sum + v.width, 0);
  const data = new Uint8Array(rowWidth * n);
  const view = new DataView(data.buffer);
  const gsos: Uint8Array[] = [];
  let start = 0;
  for (const v of vars) {
    for (let row = 0; row < n; row++) {
      const at = row * rowWidth + start;
      if (v.typeCode === TYPE_LONG) {
        const x = v.column.values[row] as number | null;
        view.setInt32(at, x === null ? LONG_MISSING : x, true);
      } else if (v.typeCode === TYPE_DOUBLE) {
        const x = v.column.values[row] as number | null;
        view.setFloat64(at, x === null ? DOUBLE_MISSING : x, true);
      } else if (v.typeCode === TYPE_STRL) {
        // Every observation owns a GSO, empty strings included: the spec's (0,0) shorthand for ""
        // is read as NA by readstata13, while an empty GSO (as ReadStat writes) reads as "" everywhere.
        writeStrlRef(view, at, v.number, row + 1);
        gsos.push(gso(v.number, row + 1, v.bytes![row]));
      } else {
        data.set(v.bytes![row], at); // rest of the strN field stays zero-padded
      }
    }
    start += v.width;
  }
  return { data, strls: concat(gsos) };
}

/** dta-118 strL reference in <data>: v in 2 bytes, o in 6 bytes, little-endian. */
function writeStrlRef(view: DataView, at: number, variable: number, observation: number): void {
  view.setUint16(at, variable, true);
  view.setUint16(at + 2, observation % 0x10000, true);
  view.setUint32(at + 4, Math.floor(observation / 0x10000), true);
}

/** A GSO block: "GSO", v (4 bytes), o (8 bytes), type 130 (NUL-terminated text), length, bytes + NUL. */
function gso(variable: number, observation: number, text: Uint8Array): Uint8Array {
  const head = new Uint8Array(3 + 4 + 8 + 1 + 4);
  head.set(ascii('GSO'), 0);
  const view = new DataView(head.buffer);
  view.setUint32(3, variable, true);
  view.setBigUint64(7, BigInt(observation), true);
  view.setUint8(15, 130);
  view.setUint32(16, text.length + 1, true);
  return concat([head, text, new Uint8Array(1)]);
}

function checkTimestamp(ts: string): string {
  const ok = /^(0[1-9]|[12][0-9]|3[01]) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} ([01][0-9]|2[0-3]):[0-5][0-9]$/;
  if (ts !== '' && !ok.test(ts)) {
    throw new NtlError(`Stata timestamp "${ts}" is not of the form "dd Mon yyyy hh:mm" (e.g. "${DEFAULT_DTA_TIMESTAMP}"); fix the timestamp option`);
  }
  return ts;
}

function ascii(s: string): Uint8Array {
  return utf8.encode(s);
}

function tagged(tag: string, body: Uint8Array): Uint8Array {
  return concat([ascii(`<${tag}>`), body, ascii(`</${tag}>`)]);
}

/** `bytes` in a zero-padded field of `width`, keeping at least one terminating NUL. */
function fixed(bytes: Uint8Array, width: number): Uint8Array {
  if (bytes.length >= width) throw new Error(`internal: ${bytes.length} bytes do not fit a ${width}-byte .dta field`);
  const out = new Uint8Array(width);
  out.set(bytes);
  return out;
}

function lengthPrefixed(bytes: Uint8Array, lengthBytes: 1 | 2): Uint8Array {
  const out = new Uint8Array(lengthBytes + bytes.length);
  const view = new DataView(out.buffer);
  if (lengthBytes === 1) view.setUint8(0, bytes.length);
  else view.setUint16(0, bytes.length, true);
  out.set(bytes, lengthBytes);
  return out;
}

function u16(x: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, x, true);
  return out;
}

function u64(x: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(x), true);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
