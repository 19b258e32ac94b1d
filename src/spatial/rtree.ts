/**
 * A static packed R-tree over axis-aligned boxes (Hilbert packing, 16 entries per node).
 * Written here rather than taken from flatbush (not installed): ~100 lines, built once per boundary file and
 * only queried afterwards, which is all adjacency needs. Query cost is O(log n + hits).
 */
const NODE_SIZE = 16;

export class PackedRTree {
  /** Boxes of every node, level by level from the leaves up: minX, minY, maxX, maxY. */
  private readonly boxes: Float64Array;
  /** For a leaf entry: the caller's item index; for an inner node: the position of its first child. */
  private readonly refs: Int32Array;
  /** levelStart[k] = position of level k's first node; the last entry is the root. */
  private readonly levelStart: number[];
  readonly size: number;
  /** Reused by search: (node, level) pairs still to visit. */
  private readonly stack: number[] = [];

  /** `itemBoxes` holds 4 numbers per item (minX, minY, maxX, maxY). */
  constructor(itemBoxes: Float64Array) {
    const n = itemBoxes.length / 4;
    if (!Number.isInteger(n)) throw new Error('PackedRTree: item boxes must come in fours');
    this.size = n;
    const order = hilbertOrder(itemBoxes, n);
    // Count nodes per level to allocate once.
    const counts: number[] = [n];
    while (counts[counts.length - 1]! > 1) counts.push(Math.ceil(counts[counts.length - 1]! / NODE_SIZE));
    if (n === 0) counts.push(0);
    const total = counts.reduce((s, c) => s + c, 0);
    this.boxes = new Float64Array(total * 4);
    this.refs = new Int32Array(total);
    this.levelStart = [];
    let pos = 0;
    for (let i = 0; i < n; i++, pos++) {
      const it = order[i]!;
      this.boxes.set(itemBoxes.subarray(it * 4, it * 4 + 4), pos * 4);
      this.refs[pos] = it;
    }
    this.levelStart.push(0);
    let levelBegin = 0;
    let levelCount = n;
    while (levelCount > 1) {
      this.levelStart.push(pos);
      for (let c = 0; c < levelCount; c += NODE_SIZE, pos++) {
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        const end = Math.min(levelCount, c + NODE_SIZE);
        for (let k = c; k < end; k++) {
          const b = (levelBegin + k) * 4;
          if (this.boxes[b]! < x0) x0 = this.boxes[b]!;
          if (this.boxes[b + 1]! < y0) y0 = this.boxes[b + 1]!;
          if (this.boxes[b + 2]! > x1) x1 = this.boxes[b + 2]!;
          if (this.boxes[b + 3]! > y1) y1 = this.boxes[b + 3]!;
        }
        this.boxes[pos * 4] = x0; this.boxes[pos * 4 + 1] = y0; this.boxes[pos * 4 + 2] = x1; this.boxes[pos * 4 + 3] = y1;
        this.refs[pos] = levelBegin + c;
      }
      levelBegin += levelCount;
      levelCount = Math.ceil(levelCount / NODE_SIZE);
    }
  }

  /** Replaces the contents of `out` with every item whose box intersects [minX, maxX] × [minY, maxY] (closed). */
  search(minX: number, minY: number, maxX: number, maxY: number, out: number[]): number[] {
    out.length = 0;
    if (this.size === 0) return out;
    const top = this.levelStart.length - 1;
    // Stack of (node position, level).
    const stack = this.stack;
    stack.length = 0;
    stack.push(this.boxes.length / 4 - 1, top);
    while (stack.length > 0) {
      const level = stack.pop()!;
      const node = stack.pop()!;
      const b = node * 4;
      if (this.boxes[b]! > maxX || this.boxes[b + 1]! > maxY || this.boxes[b + 2]! < minX || this.boxes[b + 3]! < minY) continue;
      if (level === 0) {
        out.push(this.refs[node]!);
        continue;
      }
      const first = this.refs[node]!;
      const levelEnd = this.levelStart[level]!;
      const end = Math.min(first + NODE_SIZE, levelEnd);
      for (let c = first; c < end; c++) stack.push(c, level - 1);
    }
    return out;
  }
}

/**
 * Hilbert-curve order of the box centres (as flatbush packs): near boxes end up in the same node. Keys are
 * hilbert·2²¹ + index in one Float64Array so the native numeric sort does the work (a comparator sort of
 * 400k items took 0.4 s) and ties fall back to the index, keeping the tree deterministic.
 */
function hilbertOrder(boxes: Float64Array, n: number): Int32Array {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const cx = boxes[i * 4]! + boxes[i * 4 + 2]!, cy = boxes[i * 4 + 1]! + boxes[i * 4 + 3]!;
    if (cx < x0) x0 = cx; if (cx > x1) x1 = cx; if (cy < y0) y0 = cy; if (cy > y1) y1 = cy;
  }
  const max = 0xffff;
  const sx = x1 > x0 ? max / (x1 - x0) : 0, sy = y1 > y0 ? max / (y1 - y0) : 0;
  const keys = new Float64Array(n);
  const shift = 2 ** 21;
  const order = new Int32Array(n);
  if (n >= shift) {
    const h = new Float64Array(n);
    for (let i = 0; i < n; i++) h[i] = hilbert(Math.floor((boxes[i * 4]! + boxes[i * 4 + 2]! - x0) * sx), Math.floor((boxes[i * 4 + 1]! + boxes[i * 4 + 3]! - y0) * sy));
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => h[a]! - h[b]! || a - b);
  }
  for (let i = 0; i < n; i++) {
    const hx = Math.floor((boxes[i * 4]! + boxes[i * 4 + 2]! - x0) * sx);
    const hy = Math.floor((boxes[i * 4 + 1]! + boxes[i * 4 + 3]! - y0) * sy);
    keys[i] = hilbert(hx, hy) * shift + i;
  }
  keys.sort();
  for (let i = 0; i < n; i++) order[i] = keys[i]! % shift;
  return order;
}

/** Position of (x, y) ∈ [0, 2¹⁶)² along the Hilbert curve (the bit-twiddling form used by flatbush). */
function hilbert(x: number, y: number): number {
  let a = x ^ y;
  let b = 0xffff ^ a;
  let c = 0xffff ^ (x | y);
  let d = x & (y ^ 0xffff);
  let A = a | (b >> 1), B = (a >> 1) ^ a, C = ((c >> 1) ^ (b & (d >> 1))) ^ c, D = ((a & (c >> 1)) ^ (d >> 1)) ^ d;
  a = A; b = B; c = C; d = D;
  A = (a & (a >> 2)) ^ (b & (b >> 2)); B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
  C ^= (a & (c >> 2)) ^ (b & (d >> 2)); D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));
  a = A; b = B; c = C; d = D;
  A = (a & (a >> 4)) ^ (b & (b >> 4)); B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  C ^= (a & (c >> 4)) ^ (b & (d >> 4)); D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));
  a = A; b = B; c = C; d = D;
  C ^= (a & (c >> 8)) ^ (b & (d >> 8)); D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));
  a = C ^ (C >> 1); b = D ^ (D >> 1);
  let i0 = x ^ y, i1 = b | (0xffff ^ (i0 | a));
  i0 = (i0 | (i0 << 8)) & 0x00ff00ff; i0 = (i0 | (i0 << 4)) & 0x0f0f0f0f; i0 = (i0 | (i0 << 2)) & 0x33333333; i0 = (i0 | (i0 << 1)) & 0x55555555;
  i1 = (i1 | (i1 << 8)) & 0x00ff00ff; i1 = (i1 | (i1 << 4)) & 0x0f0f0f0f; i1 = (i1 | (i1 << 2)) & 0x33333333; i1 = (i1 | (i1 << 1)) & 0x55555555;
  return ((i1 << 1) | i0) >>> 0;
}
