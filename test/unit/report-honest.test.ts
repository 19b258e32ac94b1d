/**
 * The report says what the estimates rest on (issue 14, parts 1–4), on hand-built JSON fixtures following the
 * estimate layer's contract: estimates open the page (TWFE, event study, placebo, staggered, the rest); design
 * counts under every regression table and in tables/*.md|tex|csv; design warnings shown prominently; the
 * event-study pre-trend test with a caution when p < 0.05 and the periods' labels; the placebo's p-value called
 * randomization-inference only for units/both, a timing placebo's fake-date estimate with its CI and no p-value;
 * every series (harmonised too) with unit and the harmonisation fit; small multiples per series. Records
 * without these fields (older outputs) render without them.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildReport, reportFiles } from '../../src/report/build.js';
import { tempDir } from '../helpers/tmp.js';

const FIX = fileURLToPath(new URL('../fixtures/report/', import.meta.url));

const DESIGN = {
  units: 122,
  periods: 11,
  never_treated: 82,
  always_treated: 0,
  switchers: 40,
  cohorts: { '2017': 10, '2016': 12, '2019': 8, '2018': 10 },
  treated_without_pre_period: 0,
  singletons_dropped: 0,
};

async function fixture(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(FIX, 'estimates', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** A run folder: the shipped estimate fixtures extended with the new fields, a run.json, two tiny maps. */
async function folder(opts: { pretrendP?: number; placebo?: 'units' | 'timing'; old?: boolean } = {}): Promise<string> {
  const dir = tempDir('report-honest');
  await mkdir(join(dir, 'estimates'));
  await cp(join(FIX, 'figures'), join(dir, 'figures'), { recursive: true });
  const put = (name: string, j: unknown) => writeFile(join(dir, 'estimates', `${name}.json`), JSON.stringify(j, null, 2));
  const did = await fixture('did');
  const es = await fixture('eventstudy');
  const placebo = await fixture('placebo');
  if (opts.old) {
    for (const n of ['did', 'eventstudy', 'placebo', 'bacon', 'att', 'spillover']) await put(n, await fixture(n));
  } else {
    await put('did', { ...did, design: DESIGN, warnings: ['3 treated units have no pre-treatment period; they identify nothing in the TWFE comparison'] });
    const periods = (es.periods as { rel: number }[]).map((p, i, all) => ({
      ...p,
      label: i === 0 ? `≤ ${p.rel}` : i === all.length - 1 ? `≥ ${p.rel}` : String(p.rel),
      binned: i === 0 || i === all.length - 1,
    }));
    await put('eventstudy', { ...es, periods, design: DESIGN, pretrend: { F: 4.21, df1: 3, df2: 79, p: opts.pretrendP ?? 0.008, leads: [-4, -3, -2] } });
    const mode = opts.placebo ?? 'units';
    await put(
      'placebo',
      mode === 'units'
        ? { ...placebo, mode: 'units', p_value: 0.015 }
        : // as the estimate layer writes a timing placebo: no draws, inference "fake-date", p_value null
          {
            kind: 'placebo',
            title: placebo.title,
            actual: placebo.actual,
            mode: 'timing',
            y: 'y',
            treat: 'D',
            design: DESIGN,
            inference: 'fake-date',
            p_value: null,
            fake_date: {
              shift: 2,
              coef: 0.0512,
              se: 0.0402,
              p: 0.21,
              lo: -0.0276,
              hi: 0.13,
              n: 960,
              fake_treated_units: 40,
              sample: "observations before each treated unit's true adoption; all periods of never-treated units",
            },
            note: 'timing mode is the fake-date test: a regression on pre-treatment observations, not a permutation test, so it has no randomization p-value',
            model: placebo.model,
            warnings: [],
          },
    );
    await put('bacon', await fixture('bacon'));
    await put('att', { ...(await fixture('att')), design: DESIGN });
    const sp = await fixture('spillover');
    await put('spillover', {
      ...sp,
      spillover: { ...(sp.spillover as object), design: { ...DESIGN, units: 30 } },
      without_neighbours: { ...(sp.without_neighbours as object), design: { ...DESIGN, units: 50 } },
    });
    await put('did_by_stage', { ...did, title: 'DID by stage', design: DESIGN });
  }
  const series = [
    { name: 'viirs_like', sensor: 'harmonized', product: 'chen2021-npp-viirs-like-8bit', label: 'VIIRS-like', unit: 'DN', periods: 2 },
    { name: 'dmsp_like', sensor: 'harmonized', product: 'wu2021-dmsp-like', label: 'DMSP-like', unit: 'DN', periods: 1 },
    ...(opts.old
      ? []
      : [
          {
            name: 'dmsp_scale',
            sensor: 'harmonised',
            harmonised_from: 'viirs_like',
            harmonised_to: 'dmsp_like',
            label: 'VIIRS-like in DMSP-like scale',
            unit: 'DN',
            periods: 2,
          },
        ]),
  ].map((s) => (opts.old ? { name: s.name, sensor: s.sensor, periods: s.periods } : s));
  const harmonisation = {
    from: 'viirs_like',
    to: 'dmsp_like',
    stat: 'sum',
    model: 'power',
    formula: 'DN = a * x^b',
    parameters: { a: 42.15398701062966, b: 0.6812831261120745 },
    r2: 0.8228945966201673,
    rmse: 2192.4228561283244,
    n_pairs: 488,
    overlap_years: [2018, 2019, 2020, 2021],
    dropped_pairs: { total: 0, missing: 0, non_positive: 0 },
    converged: true,
    iterations: 7,
    emitted: { name: 'dmsp_scale', rows: 1342, empty: 0 },
  };
  await writeFile(
    join(dir, 'run.json'),
    JSON.stringify({
      tool: { name: 'ntl-pipeline', version: '0.1.0' },
      pipeline: { name: 'fixture' },
      years: [2012, 2022],
      series,
      harmonisation,
      warnings: [],
    }),
  );
  await mkdir(join(dir, 'maps'));
  const tiny = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .png()
    .toBuffer();
  for (const f of ['viirs_like_2012_sum.png', 'viirs_like_2022_sum.png', 'viirs_like_2012_raster.png', 'viirs_like_2022_raster.png'])
    await writeFile(join(dir, 'maps', f), tiny);
  return dir;
}

const text = (html: string) =>
  html
    .replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const sub = (html: string, id: string) => {
  const i = html.indexOf(`<div class="sub" id="${id}">`);
  if (i < 0) throw new Error(`no subsection ${id}`);
  const j = html.indexOf('<div class="sub" id="', i + 10);
  return html.slice(i, j < 0 ? undefined : j);
};

describe('report: reading order and what the estimates rest on', () => {
  it('opens with the estimates: TWFE, event study, placebo, staggered (CS, Bacon), then the rest', async () => {
    const html = await buildReport(await folder());
    expect([...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1])).toEqual(['Estimates', 'Run summary', 'Series', 'Maps', 'Provenance']);
    const ids = [...html.matchAll(/<div class="sub" id="(est-[^"]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(['est-did', 'est-eventstudy', 'est-placebo', 'est-att', 'est-bacon', 'est-did-by-stage', 'est-spillover']);
    expect(html.indexOf('id="table-est_did"')).toBeLessThan(html.indexOf('id="table-est_eventstudy"'));
  });

  it('shows design counts under each regression table and the warnings above it, prominently', async () => {
    const html = await buildReport(await folder());
    const did = sub(html, 'est-did');
    const warn = did.indexOf('class="callout warning"');
    expect(warn).toBeGreaterThan(0);
    expect(warn).toBeLessThan(did.indexOf('id="table-est_did"'));
    expect(text(did)).toContain('3 treated units have no pre-treatment period');
    const t = text(did.slice(did.indexOf('</figure>')));
    expect(t).toContain('Units × periods 122 × 11');
    expect(t).toContain('Never treated 82 Always treated 0 Switchers (treated during the panel) 40');
    expect(t).toContain('Cohorts (first treated period: units) 2016: 12 · 2017: 10 · 2018: 10 · 2019: 8');
    expect(t).toContain('Treated without a pre-period 0 Singletons dropped 0');
    // in the table itself, so in tables/*: N units, switchers, always-treated, never-treated
    expect(text(did)).toMatch(/N units 122 Switchers 40 Always treated 0 Never treated 82/);
    // spillover: one design per column
    expect(text(sub(html, 'est-spillover'))).toMatch(/N units 30 50 Switchers 40 40/);
  });

  it('writes the design rows into tables/*.md|tex|csv', async () => {
    const files = new Map((await reportFiles(await folder())).map((f) => [f.rel, f.data]));
    const csv = files.get('tables/est_did.csv')!;
    for (const row of ['N units,122', 'Switchers,40', 'Always treated,0', 'Never treated,82']) expect(csv).toContain(row);
    expect(files.get('tables/est_did.md')).toMatch(/\| N units +\| +122 \|/);
    expect(files.get('tables/est_did.tex')).toContain('Never treated & 82 \\\\');
    expect(files.get('tables/est_spillover.csv')).toContain('N units,30,50');
    expect(files.get('tables/est_att.csv')).toContain('Switchers,40,40,40');
  });

  it("event study: the periods' labels, binned endpoints named, the pre-trend caution when p < 0.05", async () => {
    const html = await buildReport(await folder({ pretrendP: 0.008 }));
    const es = sub(html, 'est-eventstudy');
    expect(text(es)).toContain('Period ≤ −4'); // the page prints a typographic minus
    expect(text(es)).toContain('Period ≥ 4');
    expect(text(es)).toContain('the endpoints ≤ -4 and ≥ 4 are binned');
    const after = es.slice(es.indexOf('<figure class="plot"'));
    expect(after).toContain('class="callout warning"');
    expect(text(after)).toContain('Pre-trend test: the leads (-4, -3, -2) jointly zero, F(3, 79) = 4.210, p = 0.0080.');
    expect(text(after)).toContain('leads are jointly significant (p < 0.05): parallel pre-trends are doubtful');
    const calm = sub(await buildReport(await folder({ pretrendP: 0.41 })), 'est-eventstudy');
    expect(text(calm)).toContain('p = 0.4100');
    expect(text(calm)).not.toContain('jointly significant');
  });

  it('placebo: randomization-inference p-value for units; for timing the fake-date estimate with its CI and no p-value', async () => {
    const units = text(sub(await buildReport(await folder({ placebo: 'units' })), 'est-placebo'));
    expect(units).toContain('Randomization-inference p-value 0.0150');
    expect(units).toContain('is the randomization-inference p-value');
    const timing = sub(await buildReport(await folder({ placebo: 'timing' })), 'est-placebo');
    const t = text(timing);
    expect(t).not.toMatch(/randomization-inference p-value 0/i);
    expect(t).not.toContain('Share |placebo|');
    expect(t).toContain(
      'Adoption moved 2 periods earlier Fake-date estimate 0.0512 Standard error 0.0402 95% confidence interval [-0.0276, 0.1300] N 960 Treated units carrying the fake date 40',
    );
    expect(t).not.toContain('Placebo draws');
    expect(t).toContain('Timing placebo: no p-value.');
    expect(t).not.toContain('0.2100'); // the fake-date p is not shown
  });

  it('lists every series, harmonised ones included, with units and the harmonisation fit', async () => {
    const dir = await folder();
    const html = await buildReport(dir);
    const series = text(html.slice(html.indexOf('<section id="series">'), html.indexOf('<section id="maps">')));
    expect(series).toContain('viirs_like VIIRS-like harmonized, chen2021-npp-viirs-like-8bit DN 2');
    expect(series).toContain('dmsp_scale VIIRS-like in DMSP-like scale harmonised: viirs_like in dmsp_like scale DN 2');
    expect(series).toContain('Model dmsp_like ~ power(viirs_like) Formula DN = a * x^b Parameter a 42.1540 Parameter b 0.6813');
    expect(series).toContain('Overlap years 2018–2021 Pairs used 488 R² 0.8229');
    expect((await reportFiles(dir)).map((f) => f.rel)).toContain('tables/harmonisation.csv');
  });

  it('maps: one block per series, every year side by side, saying the scale is shared', async () => {
    const html = await buildReport(await folder());
    const maps = sub(html, 'maps-viirs-like');
    expect(maps).toContain('<h3>VIIRS-like (viirs_like)</h3>');
    expect(text(maps)).toContain('one colour scale (same scale for 2012–2022, values in DN)');
    expect([...maps.matchAll(/<h4>(.*?)<\/h4>/g)].map((m) => m[1])).toEqual([
      'VIIRS-like (viirs_like): county sum of DN (quantile classes of all years pooled), 2012–2022',
      'VIIRS-like (viirs_like): DN per cell (log colour ramp), 2012–2022',
    ]);
    expect(maps.match(/<figure class="map">/g)).toHaveLength(4);
  });

  it('renders older records (no design, labels, pretrend, p_value, fake_date, series labels) without them, never crashing', async () => {
    const dir = await folder({ old: true });
    const html = await buildReport(dir);
    const t = text(html);
    for (const absent of [
      'N units',
      'Switchers (treated',
      'Cohorts (first',
      'Pre-trend test',
      'Randomization-inference p-value 0',
      'Fake-date estimate',
      'Warning of this estimate',
      'Warnings of this estimate',
    ])
      expect(t).not.toContain(absent);
    expect(t).toContain('Period −4');
    // the harmonised series still listed, from harmonisation.emitted
    expect(t).toContain('dmsp_scale harmonised: viirs_like in dmsp_like scale');
    expect(await buildReport(dir)).toBe(html); // deterministic
  });

  it('does not crash on fields of the wrong shape', async () => {
    const dir = await folder({ old: true });
    const es = await fixture('eventstudy');
    await writeFile(
      join(dir, 'estimates', 'eventstudy.json'),
      JSON.stringify({ ...es, design: 5, warnings: 'oops', pretrend: { F: 'x', leads: 3 }, periods: [{ rel: -1, label: 7, binned: 'yes' }] }),
    );
    await writeFile(join(dir, 'estimates', 'placebo.json'), JSON.stringify({ ...(await fixture('placebo')), mode: 'timing', fake_date: {}, p_value: 'n/a' }));
    await writeFile(join(dir, 'estimates', 'did.json'), JSON.stringify({ ...(await fixture('did')), design: { units: null, cohorts: [1, 2] } }));
    const t = text(await buildReport(dir));
    expect(t).toContain('Timing placebo: no p-value.');
    expect(t).not.toContain('Pre-trend test');
  });
});
