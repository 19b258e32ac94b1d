/**
 * Which shard runs which unit: longest-processing-time-first over the cost estimates (largest unit to the
 * least-loaded shard; ties by unit order and lowest shard), so the assignment is deterministic and balanced.
 */
import { NtlError } from '../../errors.js';

export interface ShardId {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string, flag = '--shard'): ShardId {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN,
    count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1 && index <= count)) {
    throw new NtlError(`${flag} must be i/N with 1 ≤ i ≤ N (e.g. ${flag} 2/8), got "${text}"`);
  }
  return { index, count };
}

/** Shard (1-based) of every unit, in unit order. */
export function assignShards(costs: readonly number[], count: number): number[] {
  const order = costs.map((_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
  const load = new Array<number>(count).fill(0);
  const out = new Array<number>(costs.length).fill(0);
  for (const u of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += costs[u]!;
    out[u] = best + 1;
  }
  return out;
}
