/** `ntl report`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const REPORT_FLAGS = {
  quiet: { type: 'boolean', help: 'print nothing on success' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const REPORT_HELP = commandHelp(
  `ntl report — HTML report of a run's output folder

Usage:
  ntl report <outDir> [--quiet]

Reads what the folder holds (run.json, panel.csv, maps/*.png, continuity.csv/.png, inequality.csv,
estimates/*.json with figures/*.png) and writes, atomically as one set (not while a run writes the folder):
  <outDir>/report.html            one self-contained page (images embedded, no scripts, no network)
  <outDir>/tables/<name>.md|tex|csv   every table of the page as Markdown, LaTeX (booktabs) and CSV

Sections appear only when their inputs exist: run summary, panel summary, maps, continuity diagnostics
(totals per year with year-over-year ratios; jumps > 50 % flagged), inequality (Dagum decomposition),
estimates (journal-style tables: coefficient, SE in parentheses, *** p<0.01 ** p<0.05 * p<0.1), provenance.
estimates/<name>.json is the --out JSON of ntl did|eventstudy|placebo|bacon|psm-did|spillover|att plus
"kind" (did, eventstudy, placebo, bacon, psm, spillover, att) and "title"; its figure is figures/<name>.png.
The page has no timestamps: the same folder always gives the same bytes.`,
  REPORT_FLAGS,
  '',
  14,
);
