/**
 * The report's document model: sections of blocks (tables, figures, facts, text). Section builders produce
 * it from parsed outputs (pure); page.ts renders it to HTML and table-files.ts writes the tables as files.
 */

/** A table as text cells. Numbers are formatted by the builder so every output format shows the same digits. */
export interface ReportTable {
  /** File stem under tables/ (unique within a report). */
  readonly name: string;
  readonly caption: string;
  readonly header: readonly string[];
  /** Optional spanning labels over the header (first entry usually spans the row-label columns with ''). */
  readonly groups?: readonly { readonly label: string; readonly span: number }[];
  readonly rows: readonly (readonly string[])[];
  /** Per row: 'se' (standard-error line under a coefficient), 'rule' (a rule above: FE/N block), 'flag' (highlight). */
  readonly rowClasses?: readonly (RowClass | undefined)[];
  /** Leading columns that hold labels, not numbers (default 1). */
  readonly labelColumns?: number;
  readonly note?: string;
}

export type RowClass = 'se' | 'rule' | 'flag';

export interface ReportFigure {
  /** A data: URI (PNG). */
  readonly src: string;
  readonly caption: string;
  readonly alt: string;
  readonly width: number;
  readonly height: number;
}

export type Block =
  | { readonly type: 'table'; readonly table: ReportTable }
  | { readonly type: 'figure'; readonly figure: ReportFigure }
  | { readonly type: 'grid'; readonly title: string; readonly figures: readonly ReportFigure[] }
  | { readonly type: 'facts'; readonly facts: readonly (readonly [string, string])[] }
  | { readonly type: 'text'; readonly text: string; readonly tone?: 'note' | 'warning' }
  | { readonly type: 'code'; readonly title: string; readonly text: string }
  | { readonly type: 'subsection'; readonly id: string; readonly title: string; readonly blocks: readonly Block[] };

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface ReportDocument {
  readonly title: string;
  readonly subtitle: string;
  readonly sections: readonly Section[];
}

/**
 * A cell may carry a long form after a tab ("3f2a…\t3f2a9c…"): the page shows the short form with the long
 * one as a tooltip; the table files hold the long form.
 */
export function cellParts(cell: string): { readonly shown: string; readonly full: string | null } {
  const tab = cell.indexOf('\t');
  return tab < 0 ? { shown: cell, full: null } : { shown: cell.slice(0, tab), full: cell.slice(tab + 1) };
}
