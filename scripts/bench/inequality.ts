/**
 * Inequality benchmark. Run: npx tsx scripts/bench/inequality.ts [--pixels 1e8]
 *
 * 1. China-sized panel: 2,900 counties × 32 years in ~340 prefectures, every measure per prefecture-year
 *    (inequalityPanel: gini, theil, theil_l, cv, dagum) and the full Dagum decomposition per year (dagumByKey).
 *    Anchor (same script): the from-formula O(n²) Dagum double loop on one year, ×32 — the ratio says what the
 *    O(n log n) forms save.
 * 2. One group of 10⁸ pixel values (Float64Array): Gini via the sorted gap form. Anchor: the bare
 *    Float64Array.prototype.sort of the same values (the floor for any sort-based method).
 * Prints wall times, ratios and peak RSS. Data from a seeded PRNG, so every run sees the same values.
 */
import { dagumByKey, giniSorted, inequalityPanel, sortGroup } from '../../src/inequality/index.js';
import { mulberry32 } from '../../src/estimate/prng.js';

const rng = mulberry32;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const rssMB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

function panelCase(): void {
  const counties = 2900;
  const years = 32;
  const prefectures = 340;
  const r = rng(1);
  const parentOf = Array.from({ length: counties }, (_, i) => String(110000 + (i % prefectures) * 100));
  const level = Array.from({ length: counties }, () => Math.exp(2 * r()));
  const value: number[] = [];
  const group: string[] = [];
  const by: number[] = [];
  for (let c = 0; c < counties; c++) {
    for (let y = 0; y < years; y++) {
      value.push(level[c]! * (1 + 0.05 * y) * Math.exp(0.3 * (r() - 0.5)));
      group.push(parentOf[c]!);
      by.push(1992 + y);
    }
  }
  const input = { value, group, by };
  const t0 = process.hrtime.bigint();
  const panel = inequalityPanel(input, { measures: ['gini', 'theil', 'theil_l', 'cv', 'dagum'], groupName: 'parent_id', byName: 'year' });
  const tPanel = ms(t0);
  const t1 = process.hrtime.bigint();
  const dagum = dagumByKey(input);
  const tDagum = ms(t1);

  // Anchor: straight double-loop Dagum (G_jj, G_jh, d_jh, p_jh) for one year.
  const yv = value.filter((_, i) => by[i] === 1992);
  const yg = group.filter((_, i) => by[i] === 1992);
  const ids = [...new Set(yg)];
  const members = ids.map((id) => yv.filter((_, i) => yg[i] === id));
  const t2 = process.hrtime.bigint();
  let s = 0;
  for (const a of members) for (const b of members) for (const x of a) for (const z of b) s += Math.abs(x - z) + Math.max(x - z, 0);
  const tNaive = ms(t2) * years;
  const rows = panel.table.columns[0]!.values.length;
  console.log(`panel: ${counties} counties × ${years} years, ${prefectures} prefectures (${value.length.toLocaleString()} rows)`);
  console.log(`  inequalityPanel (gini, theil, theil_l, cv, dagum; ${rows} prefecture-years): ${tPanel.toFixed(0)} ms`);
  console.log(`  dagumByKey (full decomposition incl. ${dagum.results[0]!.pairs.length} pairs per year): ${tDagum.toFixed(0)} ms`);
  console.log(`  anchor, O(n²) double loop ×${years} (extrapolated from one year): ${tNaive.toFixed(0)} ms  [checksum ${s.toExponential(3)}]`);
  console.log(`  ratio dagumByKey / anchor: ${(tDagum / tNaive).toFixed(4)}`);
}

function pixelCase(n: number): void {
  const r = rng(2);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = r() < 0.3 ? 0 : Math.exp(3 * r()); // dark pixels + lognormal-ish lights
  console.log(`pixels: one group of ${n.toExponential(0)} values; RSS after generating ${rssMB()} MB`);
  const t0 = process.hrtime.bigint();
  const sorted = Float64Array.from(values).sort();
  const tSort = ms(t0);
  void sorted;
  const t1 = process.hrtime.bigint();
  const g = giniSorted(sortGroup('all', values));
  const tGini = ms(t1);
  console.log(`  anchor, Float64Array copy + sort: ${tSort.toFixed(0)} ms`);
  console.log(`  gini (copy + sort + gap sum): ${tGini.toFixed(0)} ms, G = ${g}`);
  console.log(`  ratio gini / anchor: ${(tGini / tSort).toFixed(3)}; peak RSS ${rssMB()} MB`);
}

const arg = process.argv.indexOf('--pixels');
const pixels = arg > 0 ? Number(process.argv[arg + 1]) : 1e8;
panelCase();
pixelCase(pixels);
