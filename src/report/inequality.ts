/**
 * The Dagum (1997) decomposition over years as a journal table (pure): G = Gw + Gnb + Gt per source × year,
 * read from inequality.csv (whose national columns repeat on every group row), with each part's share of G.
 */
import { fmt, fmtInt } from './format.js';
import type { ReportTable } from './types.js';

export interface InequalityColumns {
  readonly year: readonly number[];
  readonly source: readonly string[];
  readonly group: readonly (string | null)[];
  readonly G: readonly (number | null)[];
  readonly Gw: readonly (number | null)[];
  readonly Gnb: readonly (number | null)[];
  readonly Gt: readonly (number | null)[];
}

export function dagumTable(t: InequalityColumns): ReportTable | null {
  const keyed = new Map<string, { source: string; year: number; first: number; groups: Set<string> }>();
  t.year.forEach((y, i) => {
    const key = `${t.source[i]}\u0000${y}`;
    let e = keyed.get(key);
    if (!e) keyed.set(key, (e = { source: t.source[i]!, year: y, first: i, groups: new Set() }));
    if (t.group[i] !== null) e.groups.add(t.group[i]!);
  });
  if (keyed.size === 0) return null;
  const order = [...new Set(t.source)];
  const entries = [...keyed.values()].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source) || a.year - b.year);
  const share = (part: number | null, g: number | null) => (part === null || g === null || !(g > 0) ? '' : `${fmt((part / g) * 100, 1)}%`);
  return {
    name: 'inequality_dagum',
    caption: 'Dagum Gini decomposition by source and year: within-group, net between-group and transvariation',
    groups: [
      { label: '', span: 3 },
      { label: 'Gini and components', span: 4 },
      { label: 'Share of G', span: 3 },
    ],
    header: ['Source', 'Year', 'Groups', 'G', 'Gw', 'Gnb', 'Gt', 'Gw/G', 'Gnb/G', 'Gt/G'],
    rows: entries.map((e) => {
      const i = e.first;
      const [G, Gw, Gnb, Gt] = [t.G[i]!, t.Gw[i]!, t.Gnb[i]!, t.Gt[i]!];
      return [e.source, String(e.year), fmtInt(e.groups.size), fmt(G, 4), fmt(Gw, 4), fmt(Gnb, 4), fmt(Gt, 4), share(Gw, G), share(Gnb, G), share(Gt, G)];
    }),
    labelColumns: 2,
    note: 'G = Gw + Gnb + Gt (Dagum 1997). Groups: the grouping of inequality.csv (prefectures for county panels).',
  };
}
