/**
 * Seeded pseudo-random numbers for placebo draws: splitmix32 to derive a stream seed from (seed, draw index),
 * xoshiro128** for the stream. 32-bit integer arithmetic only (Math.imul), so identical on every platform and
 * independent of how draws are split across workers.
 */

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

export class Xoshiro128 {
  private s: Uint32Array;
  constructor(seed: number, stream = 0) {
    // mix the stream index into the seed, then expand to 128 bits of state
    let st = (Math.imul(seed | 0, 0x2545f491) ^ Math.imul((stream | 0) + 0x7f4a7c15, 0x9e3779b9)) | 0;
    this.s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      let v: number;
      [st, v] = splitmix32(st);
      this.s[i] = v;
    }
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias (rejection). */
  nextInt(n: number): number {
    const limit = Math.floor(4294967296 / n) * n;
    let v: number;
    do v = this.nextUint32();
    while (v >= limit);
    return v % n;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** mulberry32: a tiny seeded uniform [0, 1) generator for test data, fuzzing and benchmarks (not for placebo draws). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
