/** What `ntl run --plan` prints: one line per work unit with its cost estimate, then per-shard totals. */
import type { WorkPlan } from './work.js';

export function formatWorkPlan(w: WorkPlan): string {
  const lines = ['unit\tcells\tbytes\tcost' + (w.shardOf ? '\tshard' : '')];
  w.units.forEach((u, i) => lines.push(`${u.label}\t${u.cells}\t${u.bytes}\t${u.cost}${w.shardOf ? `\t${w.shardOf[i]}` : ''}`));
  const total = w.units.reduce((a, u) => a + u.cost, 0);
  lines.push(`${w.units.length} units, total cost ${total} (cost = covered cells + compressed bytes decoded)`);
  if (w.shardOf) {
    const n = Math.max(0, ...w.shardOf);
    for (let s = 1; s <= n; s++) {
      const mine = w.units.filter((_, i) => w.shardOf![i] === s);
      lines.push(`shard ${s}/${n}: ${mine.length} units, cost ${mine.reduce((a, u) => a + u.cost, 0)}`);
    }
  }
  return lines.join('\n') + '\n';
}
