/** Map file names (maps/<series>_<year>_<kind>.png) grouped for the page: by series, then kind, years ascending. */

export interface MapFile {
  readonly file: string;
  readonly series: string;
  readonly year: number;
  /** 'raster' or the choropleth statistic. */
  readonly kind: string;
}

export interface MapGroup {
  readonly series: string;
  readonly kind: string;
  readonly title: string;
  readonly maps: readonly MapFile[];
}

const NAME = /^(.+)_(\d{4})_([A-Za-z0-9]+(?:_[0-9]+)*)\.png$/;

export function parseMapName(file: string): MapFile | null {
  const m = NAME.exec(file);
  return m ? { file, series: m[1]!, year: Number(m[2]), kind: m[3]! } : null;
}

/** `seriesOrder`: the run's series order (run.json); series not in it follow in order of appearance. */
export function groupMaps(files: readonly string[], seriesOrder: readonly string[] = []): { groups: MapGroup[]; other: string[] } {
  const parsed = files.map((f) => ({ f, m: parseMapName(f) }));
  const other = parsed
    .filter((p) => p.m === null)
    .map((p) => p.f)
    .sort();
  const maps = parsed.flatMap((p) => (p.m ? [p.m] : []));
  const order = [...new Set([...seriesOrder, ...maps.map((m) => m.series)])];
  // Choropleths (the statistic) before the raster quick-looks: they are what a reader compares across years.
  const kindRank = (k: string) => (k === 'raster' ? 1 : 0);
  const keys = [...new Set(maps.map((m) => `${m.series}\u0000${m.kind}`))].map((k) => k.split('\u0000') as [string, string]);
  keys.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]) || kindRank(a[1]) - kindRank(b[1]) || (a[1] < b[1] ? -1 : 1));
  const groups = keys.map(([series, kind]) => ({
    series,
    kind,
    title: kind === 'raster' ? `${series}: raster quick-looks (log colour ramp)` : `${series}: county ${kind}, quantile classes`,
    maps: maps.filter((m) => m.series === series && m.kind === kind).sort((a, b) => a.year - b.year),
  }));
  return { groups, other };
}
