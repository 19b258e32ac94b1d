/**
 * Decoded blocks kept between reads of one source, for a reader that walks neighbouring windows in turn (a zonal
 * worker reading one group of zones after another): blocks on the border of two windows are decoded once.
 * Kept: the blocks used in the current round and the one before (a round = one window, started by nextRound),
 * up to maxBytes; past that, new blocks are not kept (evicting in use order would drop the top rows the next
 * window reads first).
 */
export class BlockCache {
  private readonly blocks = new Map<number, { data: Uint8Array; round: number }>();
  private bytes = 0;
  private round = 0;

  constructor(readonly maxBytes: number) {}

  get(index: number): Uint8Array | undefined {
    const e = this.blocks.get(index);
    if (!e) return undefined;
    e.round = this.round;
    return e.data;
  }

  put(index: number, data: Uint8Array): void {
    if (this.blocks.has(index) || this.bytes + data.byteLength > this.maxBytes) return;
    this.blocks.set(index, { data, round: this.round });
    this.bytes += data.byteLength;
  }

  /** Start a new round: drop the blocks the round before the one ending did not use either. */
  nextRound(): void {
    for (const [k, e] of this.blocks) {
      if (e.round < this.round) {
        this.blocks.delete(k);
        this.bytes -= e.data.byteLength;
      }
    }
    this.round++;
  }

  /** Blocks held and their bytes (tests). */
  get size(): { blocks: number; bytes: number } {
    return { blocks: this.blocks.size, bytes: this.bytes };
  }
}
