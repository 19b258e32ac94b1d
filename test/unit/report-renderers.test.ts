/** Pure report renderers: journal tables (HTML and files), the totals / year-over-year table, estimate views. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { estimateView, journalTable, regressionColumn } from '../../src/report/estimates.js';
import { renderTableHtml } from '../../src/report/html-table.js';
import { isObject, type JsonObject } from '../../src/report/json.js';
import { totalsRows, totalsTable, type PanelColumns } from '../../src/report/panel-summary.js';
import { buildReport } from '../../src/report/build.js';
import { tableText } from '../../src/report/table-files.js';
import { groupMaps } from '../../src/report/maps.js';
import { tempDir } from '../helpers/tmp.js';

const FIX = new URL('../fixtures/report/', import.meta.url);
const fixture = async (name: string): Promise<JsonObject> => {
  const j: unknown = JSON.parse(await readFile(new URL(`estimates/${name}.json`, FIX), 'utf8'));
  if (!isObject(j)) throw new Error(`fixture ${name} is not an object`);
  return j;
};

describe('journal regression table', () => {
  it('prints coefficient with stars, SE in parentheses, FE rows, N, R², clusters (did fixture)', async () => {
    const j = await fixture('did');
    const t = journalTable('est_did', 'DID', [regressionColumn('(1) y', j)!]);
    const html = renderTableHtml(t, 1);
    // Stars and the closing parenthesis sit in the suffix box, so the digits align on the decimal point.
    expect(html).toContain('<td class="num">0.808<span class="sfx">***</span></td>');
    expect(html).toContain('<tr class="se"><th scope="row"></th><td class="num">(0.121<span class="sfx">)</span></td></tr>');
    expect(html).toMatch(/<tr class="rule"><th scope="row">unit FE<\/th><td class="ctr">Yes<\/td><\/tr>/);
    expect(html).toMatch(/<th scope="row">N<\/th><td class="num">960<span class="sfx"><\/span><\/td>/);
    expect(html).toMatch(/<th scope="row">R²<\/th><td class="num">0.861/);
    expect(html).toMatch(/<th scope="row">Clusters<\/th><td class="num">80/);
    expect(html).toContain('<span class="label">Table 1.</span> DID');
  });

  it('star thresholds: *** p<0.01, ** p<0.05, * p<0.1, none above; negative numbers get a typographic minus', () => {
    const col = regressionColumn('m', {
      coef: { a: 1, b: -2, c: 3, d: 4 },
      se: { a: 0.1, b: 0.2, c: 0.3, d: 0.4 },
      p: { a: 0.005, b: 0.03, c: 0.07, d: 0.2 },
      n: 10,
      clusters: null,
      r2: 0.5,
      r2_within: null,
      fe: [],
    })!;
    const t = journalTable('x', 'x', [col], { digits: 2 });
    expect(t.rows.filter((_, i) => i % 2 === 0 && i < 8).map((r) => r[1])).toEqual(['1.00***', '-2.00**', '3.00*', '4.00']);
    expect(t.rows.map((r) => r[0])).not.toContain('Within R²'); // an all-empty statistic row is dropped
    expect(t.rows.map((r) => r[0])).not.toContain('Clusters');
    expect(renderTableHtml(t, 2)).toContain('−2.00<span class="sfx">**</span>');
  });

  it('writes the same cells as Markdown, LaTeX (booktabs, superscript stars, rule above FE) and CSV', async () => {
    const j = await fixture('spillover');
    const s = j.spillover as JsonObject;
    const w = j.without_neighbours as JsonObject;
    const t = journalTable('est_spillover', 'Spillover', [regressionColumn('(1) Spillover', s)!, regressionColumn('(2) No neighbours', w)!]);
    const md = tableText(t, 'md');
    expect(md).toMatch(/\| D +\| +\| +0\.717\*\*\* \|/);
    expect(md).toContain('(0.169)');
    const tex = tableText(t, 'tex');
    expect(tex).toContain('\\begin{tabular}{lrr}');
    expect(tex).toContain('0.717$^{***}$');
    expect(tex).toMatch(/\\midrule\nunit FE & Yes & Yes \\\\/);
    expect(tex).toContain('$R^2$ & 0.888 & 0.783');
    const csv = tableText(t, 'csv').split('\n');
    expect(csv[0]).toBe(',(1) Spillover,(2) No neighbours');
    expect(csv).toContain('N,360,600');
  });
});

describe('totals per year with year-over-year ratios', () => {
  // Two units, viirs_like 2012–2014 (a ×3 jump into 2013) and dmsp_like 2018–2019 (steady).
  const rows: [string, number, string, number][] = [
    ['a', 2012, 'viirs_like', 10],
    ['b', 2012, 'viirs_like', 30],
    ['a', 2013, 'viirs_like', 40],
    ['b', 2013, 'viirs_like', 80],
    ['a', 2014, 'viirs_like', 42],
    ['b', 2014, 'viirs_like', 84],
    ['a', 2018, 'dmsp_like', 500],
    ['b', 2018, 'dmsp_like', 500],
    ['a', 2019, 'dmsp_like', 520],
    ['b', 2019, 'dmsp_like', 510],
  ];
  const panel: PanelColumns = {
    unitId: rows.map((r) => r[0]),
    unitName: null,
    year: rows.map((r) => r[1]),
    source: rows.map((r) => r[2]),
    stats: new Map([['sum', rows.map((r) => r[3])]]),
  };

  it('flags the viirs_like 2012 → 2013 jump and nothing else; no ratio across sources', () => {
    const t = totalsRows(panel);
    expect(t.map((r) => [r.source, r.year, r.total, r.ratio === null ? null : Number(r.ratio.toFixed(4)), r.jump])).toEqual([
      ['viirs_like', 2012, 40, null, false],
      ['viirs_like', 2013, 120, 3, true],
      ['viirs_like', 2014, 126, 1.05, false],
      ['dmsp_like', 2018, 1000, null, false],
      ['dmsp_like', 2019, 1030, 1.03, false],
    ]);
    const table = totalsTable(t)!;
    expect(table.rows[1]).toEqual(['viirs_like', '2013', '2', '120.0', '3.000', '+200.0%', 'jump > 50%']);
    expect(table.rowClasses).toEqual([undefined, 'flag', undefined, undefined, undefined]);
    const html = renderTableHtml(table, 4);
    expect(html).toMatch(/<tr class="flag"><th scope="row">viirs_like<\/th><th scope="row">2013<\/th>.*jump &gt; 50%/);
    expect(html.match(/class="flag"/g)).toHaveLength(1);
  });

  it('flags a fall by more than a third as a drop', () => {
    const p: PanelColumns = { ...panel, stats: new Map([['sum', rows.map((r) => (r[1] === 2014 ? r[3] / 10 : r[3]))]]) };
    const t = totalsRows(p);
    expect(t.filter((r) => r.jump).map((r) => r.year)).toEqual([2013, 2014]);
    expect(totalsTable(t)!.rows[2]![6]).toBe('drop > 33%');
  });
});

describe('estimate views and maps', () => {
  it('gives every fixture kind at least one table, and an unknown kind the generic JSON view', async () => {
    for (const name of ['did', 'eventstudy', 'placebo', 'bacon', 'psm', 'spillover', 'att']) {
      const v = estimateView(name, await fixture(name));
      expect(v.generic, name).toBe(false);
      expect(v.tables.length, name).toBeGreaterThan(0);
    }
    const es = estimateView('eventstudy', await fixture('eventstudy'));
    expect(es.tables[0]!.rows.map((r) => r[0])).toContain('Period -4');
    const bacon = estimateView('bacon', await fixture('bacon'));
    expect(bacon.tables[0]!.rows.at(-1)).toEqual(['TWFE (weighted sum)', '9', '1.0000', '0.8499']);
    const u = estimateView('x', { kind: 'quantile-did', title: 'Q', beta: 1 });
    expect(u).toMatchObject({ generic: true, tables: [], title: 'Q', kind: 'quantile-did' });
  });

  it('groups maps by series (run order), choropleths before rasters, years ascending', () => {
    const { groups, other } = groupMaps(
      ['dmsp_like_2019_sum.png', 'viirs_like_2013_raster.png', 'viirs_like_2012_sum.png', 'dmsp_like_2018_sum.png', 'viirs_like_2012_raster.png', 'legend.png'],
      ['viirs_like', 'dmsp_like'],
    );
    expect(groups.map((g) => [g.series, g.kind, g.maps.map((m) => m.year)])).toEqual([
      ['viirs_like', 'sum', [2012]],
      ['viirs_like', 'raster', [2012, 2013]],
      ['dmsp_like', 'sum', [2018, 2019]],
    ]);
    expect(other).toEqual(['legend.png']);
  });
});

describe('bad input', () => {
  it('is one NtlError naming the problem', async () => {
    const dir = tempDir('report-bad');
    await expect(buildReport(join(dir, 'missing'))).rejects.toThrow(NtlError);
    await expect(buildReport(dir)).rejects.toThrow(/has none of run\.json, panel\.csv/);
    await mkdir(join(dir, 'estimates'));
    await writeFile(join(dir, 'estimates', 'broken.json'), '{"kind": "did",');
    await expect(buildReport(dir)).rejects.toThrow(/broken\.json is not valid JSON/);
  });
});
