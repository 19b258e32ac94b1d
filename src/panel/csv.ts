/**
 * The one CSV reader: RFC 4180 text (quoted fields with commas, doubled quotes and line breaks; CRLF; BOM) →
 * records, and a header-addressed view of them. Every CSV the project reads goes through here: panels and
 * tables (read-table.ts), crosswalks, the shipped reference and coefficient tables, band-date tables.
 * Writing is src/output/csv.ts.
 */
import { NtlError } from '../errors.js';

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line where the record starts. */
  readonly line: number;
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF, BOM). */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ fields, line: start });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    out.push({ fields, line: start });
  }
  return out;
}

/** A CSV read by header: column lookup by name and the data records (blank lines and '#' comment lines skipped when asked). */
export interface CsvTable {
  readonly header: readonly string[];
  readonly records: readonly CsvRecord[];
  /** Index of a column; an NtlError naming the file and the columns it has when absent. */
  column(name: string): number;
  has(name: string): boolean;
}

export interface CsvTableOptions {
  /** Named in errors, e.g. the file path. */
  readonly source: string;
  /** Skip records whose first field starts with '#' (comment lines of the shipped tables). */
  readonly comments?: boolean;
  /** What to tell the user when a column is missing (default: "check the file"). */
  readonly fix?: string;
}

export function csvTable(text: string, opts: CsvTableOptions): CsvTable {
  const blank = (r: CsvRecord) => r.fields.every((f) => f.trim() === '');
  const comment = (r: CsvRecord) => opts.comments === true && (r.fields[0] ?? '').trimStart().startsWith('#');
  // Leading comment lines are blanked before parsing (a quote in a citation must not open a field); line numbers stay.
  const body = opts.comments === true ? text.replace(/^\uFEFF?(?:[ \t]*(?:#[^\n]*)?\r?\n)*/, (m) => m.replace(/[^\n]/g, '')) : text;
  const records = parseCsv(body).filter((r) => !blank(r) && !comment(r));
  const header = (records[0]?.fields ?? []).map((h) => h.trim());
  const index = new Map(header.map((h, i) => [h, i]));
  return {
    header,
    records: records.slice(1),
    has: (name) => index.has(name),
    column(name) {
      const i = index.get(name);
      if (i === undefined) {
        throw new NtlError(
          `${opts.source}: column "${name}" missing from the header (${header.length > 0 ? `found ${header.join(', ')}` : 'no header'}); ${opts.fix ?? 'check the file'}`,
        );
      }
      return i;
    },
  };
}

/** '#' comment lines of a CSV (the text after '# '), e.g. the citation lines of the shipped coefficient tables. */
export function csvComments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.startsWith('#'))
    .map((l) => l.replace(/^#\s?/, ''));
}
