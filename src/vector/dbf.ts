/**
 * dBASE III (.dbf) reader for shapefile attributes: header, field descriptors, fixed-width records.
 * Text is decoded with the caller's encoding; N/F → number (blank → null), C → trimmed text (blank → null),
 * L → boolean, D → 'YYYY-MM-DD'.
 */
import { NtlError } from '../errors.js';
import type { AttributeValue } from './types.js';
import { decodeBytes, type TextSample } from './encoding.js';

export interface DbfField {
  readonly name: string;
  readonly type: string;
  readonly offset: number; // within the record, after the deletion flag
  readonly length: number;
  readonly decimals: number;
}

export interface DbfTable {
  readonly fields: readonly DbfField[];
  readonly recordCount: number;
  /** Language driver id (header byte 29), e.g. 0x4D = CP936. */
  readonly ldid: number;
  readonly headerLength: number;
  readonly recordLength: number;
  readonly bytes: Uint8Array;
}

export function parseDbfHeader(bytes: Uint8Array, file: string, encoding = 'latin1'): DbfTable {
  if (bytes.length < 32) throw new NtlError(`${file} is not a dBASE file (only ${bytes.length} bytes); re-export the shapefile`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const recordCount = dv.getUint32(4, true);
  const headerLength = dv.getUint16(8, true);
  const recordLength = dv.getUint16(10, true);
  const fields: DbfField[] = [];
  let offset = 1;
  for (let p = 32; p + 32 <= headerLength && bytes[p] !== 0x0d; p += 32) {
    let end = p;
    while (end < p + 11 && bytes[end] !== 0) end++;
    const name = decodeBytes(bytes.subarray(p, end), encoding).trim();
    const length = bytes[p + 16] as number;
    fields.push({ name, type: String.fromCharCode(bytes[p + 11] as number).toUpperCase(), offset, length, decimals: bytes[p + 17] as number });
    offset += length;
  }
  if (fields.length === 0 || headerLength + recordCount * recordLength > bytes.length + 1 || offset > recordLength) {
    throw new NtlError(`${file} is truncated or not a dBASE file (header says ${recordCount} records of ${recordLength} bytes); re-export the shapefile`);
  }
  // a plain Uint8Array view: a Node Buffer's subarrays go through its (slower) subclass constructor
  return {
    fields,
    recordCount,
    ldid: bytes[29] as number,
    headerLength,
    recordLength,
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}

export function isDeleted(t: DbfTable, i: number): boolean {
  return t.bytes[t.headerLength + i * t.recordLength] === 0x2a; // '*'
}

/**
 * The distinct non-ASCII texts of the table — field names and character fields of records not marked deleted —
 * each with where it first occurs: the evidence for deciding the encoding (encoding.ts). `only`: the character
 * fields to look at (all when omitted); field names are always looked at.
 */
export function textSamples(t: DbfTable, only?: ReadonlySet<string>): TextSample[] {
  const out: TextSample[] = [];
  const seen = new Set<string>();
  const add = (bytes: Uint8Array, field: string, record: number | null): void => {
    if (!hasHighByte(bytes)) return;
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ bytes, field, record });
  };
  const h = t.bytes;
  for (let p = 32, k = 0; p + 32 <= t.headerLength && h[p] !== 0x0d && k < t.fields.length; p += 32, k++) {
    let end = p;
    while (end < p + 11 && h[end] !== 0) end++;
    add(h.subarray(p, end), (t.fields[k] as DbfField).name, null);
  }
  const charFields = t.fields.filter((f) => f.type === 'C' && (only === undefined || only.has(f.name)));
  for (let i = 0; i < t.recordCount; i++) {
    if (isDeleted(t, i)) continue;
    const start = t.headerLength + i * t.recordLength;
    for (const f of charFields) {
      // Most values are ASCII: test the raw bytes first and trim only the few that are not.
      if (!hasHighByte(h, start + f.offset, start + f.offset + f.length)) continue;
      add(trimBytes(h.subarray(start + f.offset, start + f.offset + f.length)), f.name, i + 1);
    }
  }
  return out;
}

function hasHighByte(b: Uint8Array, from = 0, to = b.length): boolean {
  for (let i = from; i < to; i++) if ((b[i] as number) >= 0x80) return true;
  return false;
}

/** Whether the header's field names are plain ASCII (then they read the same in every encoding we decode). */
export function asciiFieldNames(t: DbfTable): boolean {
  const h = t.bytes;
  for (let p = 32; p + 32 <= t.headerLength && h[p] !== 0x0d; p += 32) {
    let end = p;
    while (end < p + 11 && h[end] !== 0) end++; // the name ends at its first NUL, as textSamples reads it
    if (hasHighByte(h, p, end)) return false;
  }
  return true;
}

function trimBytes(b: Uint8Array): Uint8Array {
  let s = 0;
  let e = b.length;
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
  while (s < e && b[s] === 0x20) s++;
  return b.subarray(s, e);
}

const ascii = new TextDecoder('latin1');

/**
 * Record i as attribute values; `raw` receives each field's trimmed source text (for ids). `fields`: the fields to
 * decode (all when omitted).
 */
export function readRecord(
  t: DbfTable,
  i: number,
  encoding: string,
  raw?: Record<string, string>,
  fields: readonly DbfField[] = t.fields,
): Record<string, AttributeValue> {
  const b = t.bytes;
  const base = t.headerLength + i * t.recordLength;
  const out: Record<string, AttributeValue> = {};
  for (const f of fields) {
    // trimBytes on the field, by index: one view per value
    let s = base + f.offset;
    let e = Math.min(s + f.length, base + t.recordLength, b.length);
    s = Math.min(s, e);
    while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
    while (s < e && b[s] === 0x20) s++;
    const bytes = b.subarray(s, e);
    const text = f.type === 'C' || f.type === 'M' ? decodeBytes(bytes, encoding) : ascii.decode(bytes);
    if (raw) raw[f.name] = text;
    out[f.name] = convert(f.type, text);
  }
  return out;
}

function convert(type: string, text: string): AttributeValue {
  switch (type) {
    case 'N':
    case 'F': {
      if (text === '' || /^\*+$/.test(text)) return null;
      const v = Number(text);
      return Number.isFinite(v) ? v : null;
    }
    case 'L': {
      const c = text.charAt(0);
      if ('TtYy'.includes(c) && c !== '') return true;
      if ('FfNn'.includes(c) && c !== '') return false;
      return null;
    }
    case 'D':
      return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null;
    default:
      // Blank text is how DBF stores a missing value (GeoJSON's null), as GDAL reads it.
      return text === '' ? null : text;
  }
}
