/** Placebo draws: the fast per-draw kernel equals feols; modes do what the help says; PRNG is reproducible. */
import { describe, expect, it } from 'vitest';
import { feols } from '../../src/estimate/feols.js';
import { cohortsByUnit, placeboBeta, placeboCohorts, summarizePlacebo, type PlaceboDrawMode, type PlaceboSetup } from '../../src/estimate/placebo.js';
import { Xoshiro128 } from '../../src/estimate/prng.js';
import { codeFactor } from '../../src/estimate/prepare.js';
import { readTable } from '../../src/panel/read-table.js';

async function setup(mode: PlaceboDrawMode): Promise<PlaceboSetup> {
  const t = await readTable('test/fixtures/did/unbalanced.csv');
  const num = (c: string) => Float64Array.from(t.numbers(c), (v) => v!);
  const unit = codeFactor(t.text('unit').map((v) => v!));
  const year = codeFactor(t.text('year').map((v) => v!));
  const time = num('year');
  return {
    y: num('y'),
    controls: [num('x1')],
    controlNames: ['x1'],
    fe: [unit.codes, year.codes],
    weights: num('w'),
    unit: unit.codes,
    time,
    cohortByUnit: cohortsByUnit(unit.codes, unit.labels.length, time, num('cohort'), null),
    mode,
  };
}

describe('placebo', () => {
  it.each(['units', 'both'] as const)('%s: kernel β equals feols on the same placebo column (1e-11)', async (mode) => {
    const s = await setup(mode);
    for (let draw = 0; draw < 5; draw++) {
      const g = placeboCohorts(s, 3, draw);
      const d = Float64Array.from(s.time, (t, i) => (Number.isFinite(g[s.unit[i]!]!) && t >= g[s.unit[i]!]! ? 1 : 0));
      const r = feols({ y: s.y, x: [d, ...s.controls], xNames: ['p', 'x1'], fe: s.fe, feNames: [], weights: s.weights }, { type: 'iid' });
      const b = placeboBeta(s, 3, draw);
      expect(Math.abs(b - r.coef[0]!) / Math.abs(r.coef[0]!)).toBeLessThan(1e-11);
    }
  });
  it('units permutes the whole label vector (never / always / each cohort counts kept); both draws k units with observed dates', async () => {
    const u = await setup('units');
    const labels = (c: Float64Array) => Array.from(c, (v) => (Number.isFinite(v) ? v : -1)).sort((a, b) => a - b);
    const treated = (c: Float64Array) => Array.from(c.keys()).filter((k) => Number.isFinite(c[k]!));
    for (let draw = 0; draw < 5; draw++) {
      const g = placeboCohorts(u, 1, draw);
      expect(labels(g)).toEqual(labels(u.cohortByUnit));
    }
    expect(treated(placeboCohorts(u, 1, 0))).not.toEqual(treated(u.cohortByUnit));
    const b = await setup('both');
    const observed = new Set(Array.from(b.cohortByUnit).filter(Number.isFinite));
    const gb = placeboCohorts(b, 1, 0);
    expect(treated(gb).length).toBe(treated(b.cohortByUnit).length);
    for (const k of treated(gb)) expect(observed.has(gb[k]!)).toBe(true);
  });
  it('p-value = (1 + #{|β̃| ≥ |β|}) / (1 + successful draws); failed draws left out', () => {
    const s = summarizePlacebo(Float64Array.from([0.5, -2, 3, Number.NaN, 1, -0.1]), 1);
    expect(s.failed).toBe(1);
    expect(s.atLeastAsLarge).toBe(3); // −2, 3, 1 (a tie counts)
    expect(s.pValue).toBe(4 / 6);
    expect(summarizePlacebo(Float64Array.from([0.1, 0.2]), 5).pValue).toBe(1 / 3);
  });
  it('xoshiro128**: same (seed, stream) → same sequence; streams differ; nextInt is in range', () => {
    const a = new Xoshiro128(5, 2);
    const b = new Xoshiro128(5, 2);
    const c = new Xoshiro128(5, 3);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(sa);
    const r = new Xoshiro128(1);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 7000; i++) counts[r.nextInt(7)]++;
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
  });
});
