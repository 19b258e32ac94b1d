/** The neighbour graph: components, neighbour lists, rings of order k. */

export interface Edge {
  readonly a: string;
  readonly b: string;
}

/** Connected components by union-find; every id is a node, so an island is a component of its own. */
export function connectedComponents(ids: readonly string[], edges: readonly Edge[]): { count: number; of: Map<string, number> } {
  const index = new Map(ids.map((id, i) => [id, i]));
  const parent = new Int32Array(ids.length).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const e of edges) {
    const i = index.get(e.a),
      j = index.get(e.b);
    if (i === undefined || j === undefined) continue;
    const ri = find(i),
      rj = find(j);
    if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  }
  // Components numbered 0, 1, … in order of their first id, so the numbering is deterministic.
  const label = new Map<number, number>();
  const of = new Map<string, number>();
  ids.forEach((id, i) => {
    const r = find(i);
    if (!label.has(r)) label.set(r, label.size);
    of.set(id, label.get(r)!);
  });
  return { count: label.size, of };
}

/** Neighbour lists (sorted, no self, no duplicates) for every id in `ids` and every id an edge names. */
export function neighbourLists(ids: readonly string[], edges: readonly Edge[]): Map<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const id of ids) sets.set(id, new Set());
  const add = (x: string, y: string) => {
    let s = sets.get(x);
    if (s === undefined) sets.set(x, (s = new Set()));
    if (x !== y) s.add(y);
  };
  for (const e of edges) {
    add(e.a, e.b);
    add(e.b, e.a);
  }
  const out = new Map<string, string[]>();
  for (const [id, s] of sets)
    out.set(
      id,
      [...s].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
  return out;
}

/** Units at graph distance exactly `order` from `id` (breadth-first), sorted. */
export function ringAt(lists: ReadonlyMap<string, readonly string[]>, id: string, order: number): string[] {
  const seen = new Set([id]);
  let frontier = [id];
  for (let k = 0; k < order; k++) {
    const next: string[] = [];
    for (const u of frontier) {
      for (const v of lists.get(u) ?? []) {
        if (!seen.has(v)) {
          seen.add(v);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return frontier.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}
