/** The HTML report of a run's output folder (issue 8): see build.ts. */
export { buildReport, writeReport, reportFiles, assembleReport } from './build.js';
export { renderPage } from './page.js';
export { renderTableHtml } from './html-table.js';
export { tableText, type TableFileFormat } from './table-files.js';
export type { ReportDocument, ReportTable, Section, Block, ReportFigure } from './types.js';
