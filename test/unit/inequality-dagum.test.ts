/**
 * Dagum decomposition and Gini: the public example of methods.md §3, a second O(n²) implementation written from
 * the formulas cross-checking the O(n log n) code on random data (weighted and unweighted), the identity,
 * invariances, the closed form Gnb = population-weighted Gini of group means, and the edge cases.
 */
import { describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import { dagum, gini, type DagumResult } from '../../src/inequality/index.js';
import { mulberry32 } from '../../src/estimate/prng.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
const rng = mulberry32;

/** Straight from methods.md §3 with double loops (weights: unit i counts w_i times). No sorting tricks. */
function slowDagum(y: number[], g: string[], w: number[]) {
  const ids = [...new Set(g)];
  const idx = (j: string) => y.map((_, i) => i).filter((i) => g[i] === j);
  const W = w.reduce((s, x) => s + x, 0);
  const mu = y.reduce((s, x, i) => s + x * w[i]!, 0) / W;
  const absSum = (A: number[], B: number[]) => {
    let s = 0;
    for (const i of A) for (const r of B) s += w[i]! * w[r]! * Math.abs(y[i]! - y[r]!);
    return s;
  };
  const posSum = (A: number[], B: number[]) => {
    let s = 0;
    for (const i of A) for (const r of B) s += w[i]! * w[r]! * Math.max(y[i]! - y[r]!, 0);
    return s;
  };
  const all = y.map((_, i) => i);
  const G = absSum(all, all) / (2 * W * W * mu);
  const info = new Map(
    ids.map((j) => {
      const I = idx(j);
      const Wj = I.reduce((s, i) => s + w[i]!, 0);
      const mj = I.reduce((s, i) => s + w[i]! * y[i]!, 0) / Wj;
      return [j, { I, Wj, mj, p: Wj / W, s: (Wj * mj) / (W * mu) }];
    }),
  );
  const Gjj = new Map(
    ids.map((j) => {
      const x = info.get(j)!;
      return [j, x.mj === 0 ? null : absSum(x.I, x.I) / (2 * x.Wj * x.Wj * x.mj)];
    }),
  );
  let Gw = 0;
  for (const j of ids) Gw += (Gjj.get(j) ?? 0) * info.get(j)!.p * info.get(j)!.s;
  const ranked = [...ids].sort((a, b) => info.get(a)!.mj - info.get(b)!.mj);
  let Gnb = 0;
  let Gt = 0;
  const pairs = new Map<string, { G_jh: number; D_jh: number }>();
  for (let a = 1; a < ranked.length; a++) {
    for (let b = 0; b < a; b++) {
      const J = info.get(ranked[a]!)!;
      const H = info.get(ranked[b]!)!;
      const Gjh = absSum(J.I, H.I) / (J.Wj * H.Wj * (J.mj + H.mj));
      const d = posSum(J.I, H.I) / (J.Wj * H.Wj);
      const p = posSum(H.I, J.I) / (J.Wj * H.Wj);
      const D = (d - p) / (d + p);
      const c = J.p * H.s + H.p * J.s;
      Gnb += Gjh * c * D;
      Gt += Gjh * c * (1 - D);
      pairs.set(`${ranked[a]}|${ranked[b]}`, { G_jh: Gjh, D_jh: D });
    }
  }
  return { G, Gw, Gnb, Gt, Gjj, pairs };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

function expectIdentity(r: DagumResult): void {
  expect(rel(r.Gw! + r.Gnb! + r.Gt!, r.G!)).toBeLessThan(1e-12);
  expect(r.Gnb!).toBeGreaterThanOrEqual(0);
  for (const p of r.pairs) {
    if (p.D_jh === null) continue;
    expect(p.D_jh).toBeGreaterThanOrEqual(0);
    expect(p.D_jh).toBeLessThanOrEqual(1);
  }
}

function randomPanel(seed: number, n: number, k: number, opts: { ties?: boolean; weighted?: boolean } = {}) {
  const r = rng(seed);
  const y: number[] = [];
  const g: string[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const grp = Math.floor(r() * k);
    g.push(`g${String(grp).padStart(2, '0')}`);
    // Lognormal-ish, with a group effect so the groups overlap only partly.
    const v = Math.exp(grp * 0.3 + 1.2 * (r() + r() + r() - 1.5));
    y.push(opts.ties ? Math.round(v) : v);
    w.push(opts.weighted ? 0.5 + r() * 20 : 1);
  }
  return { y, g, w };
}

describe('Dagum decomposition', () => {
  it('reproduces the public example of methods.md §3 exactly', () => {
    const r = dagum([1, 2, 3, 4], ['A', 'A', 'B', 'B']);
    expect(r.G).toBe(0.25);
    expect(r.Gw).toBe(0.05);
    expect(r.Gnb).toBe(0.2);
    expect(r.Gt).toBe(0);
    expect(r.groups).toEqual([
      { id: 'A', n: 2, mean: 1.5, G_jj: 1 / 6 },
      { id: 'B', n: 2, mean: 3.5, G_jj: 1 / 14 },
    ]);
    expect(r.pairs).toEqual([{ j: 'B', h: 'A', G_jh: 0.4, D_jh: 1 }]);
    expect(r.shares).toEqual({ Gw: 20, Gnb: 80, Gt: 0 });
  });

  for (const [name, opts] of [
    ['continuous values', {}],
    ['many ties', { ties: true }],
    ['non-integer population weights', { weighted: true }],
    ['ties and weights', { ties: true, weighted: true }],
  ] as const) {
    it(`agrees with the O(n²) from-formula implementation on random data (${name})`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const n = 20 + seed * 17;
        const { y, g, w } = randomPanel(seed, n, 2 + (seed % 7), opts);
        const fast = dagum(y, g, 'weighted' in opts ? w : null);
        const slow = slowDagum(y, g, w);
        expect(rel(fast.G!, slow.G)).toBeLessThan(1e-12);
        expect(rel(fast.Gw!, slow.Gw)).toBeLessThan(1e-12);
        expect(rel(fast.Gnb!, slow.Gnb)).toBeLessThan(1e-12);
        expect(Math.abs(fast.Gt! - slow.Gt)).toBeLessThan(1e-12 * slow.G);
        for (const grp of fast.groups) expect(rel(grp.G_jj!, slow.Gjj.get(grp.id)!)).toBeLessThan(1e-12);
        expect(fast.pairs.length).toBe(slow.pairs.size);
        for (const p of fast.pairs) {
          const s = slow.pairs.get(`${p.j}|${p.h}`)!;
          expect(s, `pair ${p.j}|${p.h} must be ordered richer first`).toBeDefined();
          expect(rel(p.G_jh!, s.G_jh)).toBeLessThan(1e-12);
          expect(Math.abs(p.D_jh! - s.D_jh)).toBeLessThan(1e-12);
        }
        expectIdentity(fast);
      }
    });
  }

  it('Gnb equals the population-weighted Gini of the group means (closed form)', () => {
    for (let seed = 100; seed < 110; seed++) {
      const { y, g, w } = randomPanel(seed, 300, 9, { weighted: seed % 2 === 0 });
      const weights = seed % 2 === 0 ? w : null;
      const r = dagum(y, g, weights);
      const W = r.groups.map((x) => x.weight ?? x.n);
      expect(
        rel(
          r.Gnb!,
          gini(
            r.groups.map((x) => x.mean),
            W,
          )!,
        ),
      ).toBeLessThan(1e-12);
    }
  });

  it('integer weights give exactly the result of replicating the units', () => {
    const r = rng(7);
    const y: number[] = [];
    const g: string[] = [];
    const w: number[] = [];
    for (let i = 0; i < 80; i++) {
      y.push(Math.round(r() * 1000) / 8);
      g.push(`c${i % 6}`);
      w.push(1 + Math.floor(r() * 5));
    }
    const weighted = dagum(y, g, w);
    const ry: number[] = [];
    const rg: string[] = [];
    y.forEach((v, i) => {
      for (let c = 0; c < w[i]!; c++) {
        ry.push(v);
        rg.push(g[i]!);
      }
    });
    const replicated = dagum(ry, rg);
    for (const key of ['G', 'Gw', 'Gnb', 'Gt', 'mean'] as const) expect(rel(weighted[key]!, replicated[key]!)).toBeLessThan(1e-14);
    weighted.groups.forEach((x, i) => expect(rel(x.G_jj!, replicated.groups[i]!.G_jj!)).toBeLessThan(1e-14));
    weighted.pairs.forEach((p, i) => {
      expect([p.j, p.h]).toEqual([replicated.pairs[i]!.j, replicated.pairs[i]!.h]);
      expect(rel(p.G_jh!, replicated.pairs[i]!.G_jh!)).toBeLessThan(1e-14);
      expect(Math.abs(p.D_jh! - replicated.pairs[i]!.D_jh!)).toBeLessThan(1e-14);
    });
  });

  it('is invariant to the order of the rows (bit for bit) and to the scale of the values', () => {
    const { y, g } = randomPanel(42, 500, 12);
    const base = dagum(y, g);
    const r = rng(9);
    const order = y.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    expect(
      dagum(
        order.map((i) => y[i]!),
        order.map((i) => g[i]!),
      ),
    ).toEqual(base);
    const scaled = dagum(
      y.map((v) => v * 37.25),
      g,
    );
    for (const key of ['G', 'Gw', 'Gnb', 'Gt'] as const) expect(rel(scaled[key]!, base[key]!)).toBeLessThan(1e-13);
    scaled.pairs.forEach((p, i) => expect(Math.abs(p.D_jh! - base.pairs[i]!.D_jh!)).toBeLessThan(1e-13));
  });

  it('gives G_jj null for a group of one unit (0 only with minGroupSize 1) and 0 for a constant group', () => {
    const r = dagum([5, 1, 2, 3, 3, 3], ['solo', 'x', 'x', 'c', 'c', 'c']);
    expect(r.groups.find((x) => x.id === 'solo')).toEqual({ id: 'solo', n: 1, mean: 5, G_jj: null });
    expect(r.groups.find((x) => x.id === 'c')!.G_jj).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/1 group\(s\) have a single unit.*: solo; .*undefined/);
    expectIdentity(r);
    const old = dagum([5, 1, 2, 3, 3, 3], ['solo', 'x', 'x', 'c', 'c', 'c'], null, { minGroupSize: 1 });
    expect(old.groups.find((x) => x.id === 'solo')!.G_jj).toBe(0);
    expect(old.warnings.join('\n')).toMatch(/0 by construction/);
    expect([old.G, old.Gw, old.Gnb, old.Gt]).toEqual([r.G, r.Gw, r.Gnb, r.Gt]);
  });

  it('reports an all-zero group with G_jj null and a warning, and still counts it in G', () => {
    const r = dagum([0, 0, 1, 3, 2, 6], ['dark', 'dark', 'a', 'a', 'b', 'b']);
    expect(r.groups.find((x) => x.id === 'dark')).toEqual({ id: 'dark', n: 2, mean: 0, G_jj: null });
    expect(r.warnings.join('\n')).toMatch(/dark.*G_jj is undefined/);
    expect(r.G).toBeCloseTo(gini([0, 0, 1, 3, 2, 6])!, 15);
    expectIdentity(r);
    expect(r.pairs.find((p) => p.h === 'dark')!.D_jh).toBe(1);
  });

  it('returns null (never NaN) when every value is 0, and D_jh null for two identical constant groups', () => {
    const zero = dagum([0, 0, 0], ['a', 'a', 'b']);
    expect([zero.G, zero.Gw, zero.Gnb, zero.Gt]).toEqual([null, null, null, null]);
    expect(zero.warnings.join()).toMatch(/every value is 0/);
    const same = dagum([2, 2, 2, 2], ['a', 'a', 'b', 'b']);
    expect(same.G).toBe(0);
    expect(same.pairs[0]).toEqual({ j: 'b', h: 'a', G_jh: 0, D_jh: null });
    expect(same.shares).toEqual({ Gw: null, Gnb: null, Gt: null });
  });

  it('rejects negative values with the reason', () => {
    expect(() => dagum([1, -2], ['a', 'b'])).toThrow(NtlError);
    expect(() => dagum([1, -2], ['a', 'b'])).toThrow(/negative \(-2\).*nonnegative/);
    expect(() => gini([3, -1])).toThrow(/negative/);
  });

  it('sorts groups by id in the output and names the richer group j', () => {
    const r = dagum([9, 9, 1, 1, 5], ['z', 'z', 'b', 'b', 'm']);
    expect(r.groups.map((x) => x.id)).toEqual(['b', 'm', 'z']);
    expect(r.pairs.map((p) => `${p.j}>${p.h}`)).toEqual(['m>b', 'z>b', 'z>m']);
  });
});

describe('gini', () => {
  it('matches the textbook values', () => {
    expect(gini([1, 1, 1])).toBe(0);
    expect(gini([0, 0, 0, 1])).toBe(0.75); // one unit holds everything: (n − 1)/n
    expect(gini([7])).toBe(0);
    expect(gini([0, 0])).toBeNull();
  });

  it('keeps full precision for nearly equal values (no cancellation)', () => {
    // y_i = 1 + i·2⁻⁴⁰ (exact in float64): G ≈ 1e-10, where the Σ(2i − n − 1) y form keeps only ~6 digits.
    const n = 1000;
    const e = 2 ** -40;
    const y = Array.from({ length: n }, (_, i) => 1 + i * e);
    // Exact: Σ_{i<r} (r − i) e / (n Σ y), Σ_{i<r} (r − i) = (n³ − n)/6.
    const exact = (((n ** 3 - n) / 6) * e) / (n * (n + (e * n * (n - 1)) / 2));
    expect(rel(gini(y)!, exact)).toBeLessThan(1e-12);
  });
});
