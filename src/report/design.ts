/**
 * What an estimate rests on (pure): the design counts of a result (`design`: units, periods, never-/always-
 * treated, switchers, cohorts, treated units without a pre-period, singletons dropped), its warnings, and the
 * event-study pre-trend test (`pretrend`: joint F test of the leads). Every field is optional — records written
 * before these fields existed render without them.
 */
import { fmt, fmtInt } from './format.js';
import { arr, numOrNull, obj, str, strings, type JsonObject } from './json.js';
import type { Block } from './types.js';

/** p below which the leads are called jointly significant. */
export const PRETREND_ALPHA = 0.05;

export function designOf(j: JsonObject | null | undefined): JsonObject | null {
  return j ? obj(j.design) : null;
}

/** "2016: 12 · 2017: 10" (cohorts in ascending order of their key). */
export function cohortText(d: JsonObject): string {
  const c = obj(d.cohorts);
  if (!c) return '';
  const keys = Object.keys(c).sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => `${k}: ${fmtInt(numOrNull(c[k]))}`).join(' · ');
}

/** Design counts as facts, under the table; `label` names the column when a table has several designs. */
export function designFacts(d: JsonObject, label?: string): [string, string][] {
  const n = (k: string) => fmtInt(numOrNull(d[k]));
  const out: [string, string][] = [];
  if (label) out.push(['Design of', label]);
  const units = n('units'),
    periods = n('periods');
  if (units || periods) out.push(['Units × periods', `${units || '?'} × ${periods || '?'}`]);
  const rows: [string, string][] = [
    ['Never treated', n('never_treated')],
    ['Always treated', n('always_treated')],
    ['Switchers (treated during the panel)', n('switchers')],
    ['Cohorts (first treated period: units)', cohortText(d)],
    ['Treated without a pre-period', n('treated_without_pre_period')],
    ['Singletons dropped', n('singletons_dropped')],
  ];
  return [...out, ...rows.filter(([, v]) => v !== '')];
}

/** Rows for journal tables (and so for tables/*.md|tex|csv): one cell per column, '' where a column has no design. */
export function designRows(designs: readonly (JsonObject | null)[]): string[][] {
  if (!designs.some((d) => d !== null)) return [];
  const row = (label: string, key: string) => [label, ...designs.map((d) => (d ? fmtInt(numOrNull(d[key])) : ''))];
  return [row('N units', 'units'), row('Switchers', 'switchers'), row('Always treated', 'always_treated'), row('Never treated', 'never_treated')].filter((r) =>
    r.slice(1).some((c) => c !== ''),
  );
}

/** Warnings of a result and of its design, in order, each once. */
export function warningsOf(...records: readonly (JsonObject | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    if (!r) continue;
    for (const w of [...strings(r.warnings), ...strings(designOf(r)?.warnings)]) if (!out.includes(w)) out.push(w);
  }
  return out;
}

export function warningBlock(warnings: readonly string[]): Block[] {
  if (warnings.length === 0) return [];
  return [{ type: 'text', tone: 'warning', text: `⚠ Warning${warnings.length > 1 ? 's' : ''} of this estimate:\n${warnings.map((w) => `• ${w}`).join('\n')}` }];
}

/** "−4, −3, −2" from `leads` (numbers, or strings such as "rel_-3" / "≤ -4"). */
function leadsText(leads: unknown): string {
  return arr(leads)
    .map((l) => (typeof l === 'number' ? String(l) : (str(l) ?? '').replace(/^rel_/, '')))
    .filter((s) => s !== '')
    .join(', ');
}

/** The pre-trend test under the event-study plot; a caution when p < 0.05. */
export function pretrendBlocks(j: JsonObject): Block[] {
  const t = obj(j.pretrend);
  if (!t) return [];
  const F = numOrNull(t.F),
    p = numOrNull(t.p),
    df1 = numOrNull(t.df1),
    df2 = numOrNull(t.df2);
  if (F === null && p === null) return [];
  const leads = leadsText(t.leads);
  const test = `F(${df1 === null ? '?' : fmtInt(df1)}, ${df2 === null ? '?' : fmtInt(df2)}) = ${fmt(F, 3)}, p = ${fmt(p, 4)}`;
  const what = `Pre-trend test: the leads${leads ? ` (${leads})` : ''} jointly zero, ${test}.`;
  if (p !== null && p < PRETREND_ALPHA) {
    return [
      {
        type: 'text',
        tone: 'warning',
        text: `${what}\n⚠ Caution: leads are jointly significant (p < ${PRETREND_ALPHA}): parallel pre-trends are doubtful, and the post-adoption coefficients may carry a pre-existing trend.`,
      },
    ];
  }
  return [{ type: 'text', tone: 'note', text: `${what} No evidence against parallel pre-trends at the ${PRETREND_ALPHA} level (which does not prove them).` }];
}
