/**
 * Honest inference: design diagnostics, the pre-trend test (vs lm + sandwich::vcovCL, scripts/golden/
 * eventstudy-pretrend.R), randomization p-values that are centred where they should be, the fake-date test,
 * binned labels and outcome transforms — on hand-built panels whose right answer is known.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runModel, type ModelSpec } from '../../src/estimate/api.js';
import { designOf } from '../../src/estimate/design.js';
import { readTable, tableOf, type Cell } from '../../src/panel/read-table.js';

const spec = (over: Partial<ModelSpec> = {}): ModelSpec => ({
  y: 'y',
  unit: 'unit',
  time: 'year',
  treat: 'D',
  controls: [],
  fe: ['unit', 'year'],
  cluster: ['unit'],
  vcov: 'CR1',
  ssc: 'nested',
  ...over,
});

const golden = Object.fromEntries(
  readFileSync('test/goldens/did-pretrend.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [c, F, df1, df2, p] = l.split(',');
      return [c!, { F: Number(F), df1: Number(df1), df2: Number(df2), p: Number(p) }];
    }),
);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** A panel built in code: 40 units × 2001–2010, cohorts by unit, y = unit + year effects + extras. */
function panel(cohortOf: (u: number) => number, y: (u: number, t: number, g: number) => number, units = 40) {
  const rows: Cell[][] = [];
  for (let u = 1; u <= units; u++) {
    const g = cohortOf(u);
    for (let t = 2001; t <= 2010; t++) rows.push([u, t, g, g > 0 && t >= g ? 1 : 0, Math.sin(u * 7.1) + Math.cos(t * 1.3) + y(u, t, g)]);
  }
  return tableOf('hand-built panel', ['unit', 'year', 'cohort', 'D', 'y'], rows);
}
/** Deterministic noise in [-0.5, 0.5). */
const noise = (u: number, t: number) => ((Math.sin(u * 12.9898 + t * 78.233) * 43758.5453) % 1) - 0.5 * Math.sign(Math.sin(u * 12.9898 + t * 78.233));

describe('pre-trend test', () => {
  it.each([
    ['staggered_-4_4', 'test/fixtures/did/staggered.csv', [-4, 4]],
    ['trending_-3_3', 'test/fixtures/did/pretrend-trending.csv', [-3, 3]],
    ['flat_-3_3', 'test/fixtures/did/pretrend-flat.csv', [-3, 3]],
  ] as const)('%s: F and p equal lm + sandwich::vcovCL + hand Wald', async (name, file, window) => {
    const r = await runModel(
      'eventstudy',
      await readTable(file),
      spec({ treat: undefined, cohort: 'cohort', ssc: 'full', eventstudy: { window: [window[0], window[1]], ref: -1 } }),
    );
    const pt = r.record.pretrend as { F: number; df1: number; df2: number; p: number; leads: string[] };
    const g = golden[name]!;
    expect([pt.df1, pt.df2]).toEqual([g.df1, g.df2]);
    expect(rel(pt.F, g.F)).toBeLessThan(1e-9);
    expect(rel(pt.p, g.p)).toBeLessThan(1e-7);
    expect(pt.leads[0]).toBe(`rel_${window[0]}`);
  });
  it('rejects on a trending panel with a caution; silent on a flat one', async () => {
    const es = { window: [-3, 3] as [number, number], ref: -1 };
    const trending = await runModel(
      'eventstudy',
      await readTable('test/fixtures/did/pretrend-trending.csv'),
      spec({ treat: undefined, cohort: 'cohort', eventstudy: es }),
    );
    expect((trending.record.pretrend as { p: number }).p).toBeLessThan(0.05);
    expect(trending.warnings.join('\n')).toMatch(/pre-trend test: .* jointly significant/);
    const flat = await runModel(
      'eventstudy',
      await readTable('test/fixtures/did/pretrend-flat.csv'),
      spec({ treat: undefined, cohort: 'cohort', eventstudy: es }),
    );
    expect((flat.record.pretrend as { p: number }).p).toBeGreaterThan(0.05);
    expect(flat.warnings.join('\n')).not.toMatch(/pre-trend/);
  });
  it('binned endpoints are labelled ≤ lo / ≥ hi only where periods are pooled', async () => {
    const t = await readTable('test/fixtures/did/pretrend-flat.csv');
    const narrow = await runModel('eventstudy', t, spec({ treat: undefined, cohort: 'cohort', eventstudy: { window: [-3, 3], ref: -1 } }));
    const periods = narrow.record.periods as { rel: number; label: string; binned: boolean }[];
    expect(periods[0]).toMatchObject({ rel: -3, label: '≤ -3', binned: true });
    expect(periods.at(-1)).toMatchObject({ rel: 3, label: '≥ 3', binned: true });
    expect(periods[1]).toMatchObject({ rel: -2, label: '-2', binned: false });
    // cohorts 2005 / 2007 in 2001–2010: relative periods −6 … 5, so a −6..5 window pools nothing
    const wide = await runModel('eventstudy', t, spec({ treat: undefined, cohort: 'cohort', eventstudy: { window: [-6, 5], ref: -1 } }));
    expect((wide.record.periods as { binned: boolean }[]).some((p) => p.binned)).toBe(false);
  });
});

describe('design diagnostics', () => {
  it('counts never / always / switchers / cohorts on the estimation sample and warns', () => {
    // units 0–3 never, 4–8 always (cohort 2001 = first period), 9–10 switch in 2005
    const U = 11;
    const unit = Int32Array.from({ length: U * 5 }, (_, k) => Math.floor(k / 5));
    const time = Float64Array.from({ length: U * 5 }, (_, k) => 2001 + (k % 5));
    const g = Float64Array.from({ length: U }, (_, u) => (u < 4 ? Number.NaN : u < 9 ? 2001 : 2005));
    const { design, warnings } = designOf(unit, U, time, g, null, 3);
    expect(design).toMatchObject({
      units: 11,
      periods: 5,
      never_treated: 4,
      always_treated: 5,
      switchers: 2,
      cohorts: { 2001: 5, 2005: 2 },
      treated_without_pre_period: 5,
      cohorts_without_pre_period: [2001],
      singletons_dropped: 3,
    });
    const text = warnings.join('\n');
    expect(text).toMatch(/5 of 7 treated units are treated in the first period/);
    expect(text).toMatch(/only 2 units switch/);
    expect(text).toMatch(/cohort 2001 has no pre-treatment period/);
  });
  it('every DID-family record carries design and warnings; a clean design has none', async () => {
    const t = panel(
      (u) => (u <= 15 ? 0 : u <= 28 ? 2005 : 2007),
      (u, tt, g) => (g > 0 && tt >= g ? 1 : 0) + noise(u, tt),
    );
    for (const kind of ['did', 'placebo', 'bacon', 'att'] as const) {
      const r = await runModel(kind, t, spec({ cohort: 'cohort', placebo: { draws: 20, seed: 1, mode: 'units', shift: 2 } }), { threads: 1 });
      expect(r.record.design, kind).toMatchObject({ units: 40, never_treated: 15, always_treated: 0, switchers: 25, cohorts: { 2005: 13, 2007: 12 } });
      expect(r.warnings, kind).toEqual([]);
    }
  });
  it('most treated units always-treated: the did warns and names the switchers', async () => {
    const t = panel(
      (u) => (u <= 20 ? 0 : u <= 36 ? 2001 : 2006),
      (u, tt, g) => (g > 0 && tt >= g ? 1 : 0) + noise(u, tt),
    );
    const r = await runModel('did', t, spec());
    expect(r.record.design).toMatchObject({ always_treated: 16, switchers: 4 });
    expect(r.warnings.join('\n')).toMatch(/16 of 20 treated units .* identified by the 4 switchers/);
    expect(r.warnings.join('\n')).toMatch(/only 4 units switch/);
  });
});

describe('randomization inference and the fake-date test', () => {
  // no effect at all, but treated units trend up: TWFE finds a "effect" that is the trend
  const trend = panel(
    (u) => (u <= 20 ? 0 : 2006),
    (u, t, g) => (g > 0 ? 0.3 * (t - 2001) : 0) + noise(u, t),
  );
  it("units: the label permutation is centred at 0 (not at the trending treated group's β); p from the draws", async () => {
    const r = await runModel('placebo', trend, spec({ placebo: { draws: 199, seed: 3, mode: 'units', shift: 2 } }), { threads: 1 });
    const rec = r.record as { actual: { coef: number }; mean: number; p_value: number; at_least_as_large: number; draws_ok: number; inference: string };
    expect(rec.actual.coef).toBeGreaterThan(0.5);
    expect(Math.abs(rec.mean)).toBeLessThan(0.2 * rec.actual.coef);
    expect(rec.p_value).toBe((1 + rec.at_least_as_large) / (1 + rec.draws_ok));
    expect(rec.p_value).toBeLessThan(0.05);
    expect(rec.inference).toBe('randomization');
  });
  it('both: random units with dates from the observed cohorts; same seed, same draws', async () => {
    const a = await runModel('placebo', trend, spec({ placebo: { draws: 30, seed: 9, mode: 'both', shift: 2 } }), { threads: 1 });
    const b = await runModel('placebo', trend, spec({ placebo: { draws: 30, seed: 9, mode: 'both', shift: 2 } }), { threads: 2 });
    expect(a.record.draws).toEqual(b.record.draws);
    expect(typeof a.record.p_value).toBe('number');
  });
  it('timing = fake-date test: significant under a pre-trend, not without; no permutation p-value', async () => {
    const r = await runModel('placebo', trend, spec({ placebo: { draws: 500, seed: 1, mode: 'timing', shift: 2 } }));
    const rec = r.record as { p_value: null; inference: string; fake_date: { coef: number; p: number; lo: number; hi: number; shift: number } };
    expect(rec.p_value).toBeNull();
    expect(rec.inference).toBe('fake-date');
    expect(rec.fake_date.shift).toBe(2);
    expect(rec.fake_date.p).toBeLessThan(0.05);
    expect(r.warnings.join('\n')).toMatch(/fake-date test/);
    expect(r.figure).toMatch(/Fake-date test/); // the fake estimate and its CI, no draws
    const flat = panel(
      (u) => (u <= 20 ? 0 : 2006),
      (u, t, g) => (g > 0 && t >= g ? 1 : 0) + noise(u, t),
    );
    const f = (await runModel('placebo', flat, spec({ placebo: { draws: 500, seed: 1, mode: 'timing', shift: 2 } }))).record as {
      fake_date: { lo: number; hi: number };
    };
    expect(f.fake_date.lo).toBeLessThan(0);
    expect(f.fake_date.hi).toBeGreaterThan(0);
  });
});

describe('outcome transforms', () => {
  const t = panel(
    (u) => (u <= 20 ? 0 : 2006),
    (u, tt, g) => 3 + (g > 0 && tt >= g ? 1 : 0) + noise(u, tt),
  );
  it('log1p / ihs / winsor are applied and recorded; log of a non-positive value is an error naming the row', async () => {
    const plain = await runModel('did', t, spec());
    const l1 = await runModel('did', t, spec({ transform: { transform: 'log1p' } }));
    expect(l1.record.outcome).toEqual({ column: 'y', transform: 'log1p' });
    expect((l1.record.coef as Record<string, number>).D).not.toBeCloseTo((plain.record.coef as Record<string, number>).D, 3);
    const logY = tableOf(
      'logs',
      ['unit', 'year', 'D', 'y'],
      t.text('unit').map((u, i) => [u, t.numbers('year')[i]!, t.numbers('D')[i]!, Math.log1p(t.numbers('y')[i]!)]),
    );
    const same = await runModel('did', logY, spec());
    expect((l1.record.coef as Record<string, number>).D).toBeCloseTo((same.record.coef as Record<string, number>).D, 12);
    const w = await runModel('did', t, spec({ transform: { transform: 'winsor', p: 0.05 } }));
    expect(w.record.outcome).toEqual({ column: 'y', transform: 'winsor', p: 0.05 });
    const zero = tableOf(
      'zeros',
      ['unit', 'year', 'D', 'y'],
      [
        [1, 2001, 0, 1],
        [1, 2002, 1, 0],
        [2, 2001, 0, 2],
        [2, 2002, 0, 3],
      ],
    );
    await expect(runModel('did', zero, spec({ transform: { transform: 'log' } }))).rejects.toThrow(/zeros row 2: y = 0 has no log; use log1p/);
  });
});
