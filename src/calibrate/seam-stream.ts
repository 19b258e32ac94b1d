/**
 * SEAM (seam.ts) streamed in horizontal strips with bounded memory, bitwise identical to `seamCorrect`.
 *
 * What an output cell depends on (h = (window − 1) / 2):
 *   - R_i: input rows within ±h; PLP flag: input rows within ±1;
 *   - the fit it applies: the OLS sums of every PLP in its block *and* of the whole raster (a block with fewer
 *     than minPlp PLPs falls back to the global fit) — so the fits need one full pass first;
 *   - the 3×3 smoothing: corrected values (hence R) on rows ±1, i.e. input rows within ±(h + 1);
 *   - renormalise: the total of the whole corrected output.
 * Hence: pass 1 streams strips (plus h + 1 halo rows each side) accumulating the OLS sums and the input total in
 * the same row-major order as the whole-grid loop (so the float sums are the same bits); the fits are resolved
 * exactly as in seamCorrect; pass 2 streams again, corrects, smooths and writes each strip. With `renormalise`
 * pass 2 only sums the output and a third pass writes it rescaled. The strip height does not change any result
 * (strips need not align with the fit blocks: each cell looks its block up by its own row and column); it only
 * bounds memory: (strip + 2h + 2 + one source band) rows of input and ~21 bytes per cell of the strip's working
 * arrays.
 */
import { NtlError } from '../errors.js';
import { addOls, checkSeamParams, neighbourLight, newOls, pseudoLightPixels, resolveFits, smoothLit, type SeamParams, type SeamResult } from './seam.js';

/** Opens a fresh pass over the raster: row bands (any heights) top to bottom, NaN = no-data. */
export type RowStream = () => AsyncIterable<{ readonly data: ArrayLike<number>; readonly rows: number }>;

export type SeamStreamResult = Omit<SeamResult, 'image'> & { readonly passes: number };

export const SEAM_STRIP_ROWS = 256;

/** A sliding window of consecutive rows fed by a row-band iterator; requests must not move backwards. */
class RowWindow {
  private buf = new Float32Array(0);
  private start = 0;
  private end = 0;
  private readonly it: AsyncIterator<{ readonly data: ArrayLike<number>; readonly rows: number }>;
  constructor(
    src: AsyncIterable<{ readonly data: ArrayLike<number>; readonly rows: number }>,
    private readonly width: number,
  ) {
    this.it = src[Symbol.asyncIterator]();
  }

  async rows(a: number, b: number): Promise<Float32Array> {
    const w = this.width;
    if (a < this.start) throw new NtlError(`internal: SEAM strip asked for row ${a} after dropping rows before ${this.start}`);
    const drop = Math.min(a, this.end) - this.start;
    if (drop > 0) {
      this.buf.copyWithin(0, drop * w, (this.end - this.start) * w);
      this.start += drop;
    }
    while (this.end < b) {
      const r = await this.it.next();
      if (r.done) throw new NtlError(`internal: SEAM input ended at row ${this.end}, before row ${b}`);
      const band = r.value;
      const held = this.end - this.start;
      const need = (held + band.rows) * w;
      if (need > this.buf.length) {
        const nb = new Float32Array(Math.max(need, 2 * this.buf.length));
        nb.set(this.buf.subarray(0, held * w));
        this.buf = nb;
      }
      this.buf.set(band.data as ArrayLike<number>, held * w);
      this.end += band.rows;
      if (this.start < a) {
        // only when a band arrives wholly before the window (a > previous end)
        const d = Math.min(a, this.end) - this.start;
        this.buf.copyWithin(0, d * w, (this.end - this.start) * w);
        this.start += d;
      }
    }
    return this.buf.subarray((a - this.start) * w, (b - this.start) * w);
  }

  /** After the last row: run the source to its end (so it closes itself); on an error path: return it. */
  async close(complete: boolean): Promise<void> {
    if (complete) {
      for (;;) {
        const r = await this.it.next();
        if (r.done) return;
        if (r.value.rows > 0) throw new NtlError(`internal: SEAM input has rows after row ${this.end}`);
      }
    }
    await this.it.return?.();
  }
}

async function forEachStrip(
  open: RowStream,
  width: number,
  height: number,
  halo: number,
  strip: number,
  fn: (sub: Float32Array, a: number, subH: number, s: number, e: number) => Promise<void> | void,
): Promise<void> {
  const win = new RowWindow(open(), width);
  let complete = false;
  try {
    for (let s = 0; s < height; s += strip) {
      const e = Math.min(height, s + strip),
        a = Math.max(0, s - halo),
        b = Math.min(height, e + halo);
      await fn(await win.rows(a, b), a, b - a, s, e);
    }
    complete = true;
  } finally {
    await win.close(complete);
  }
}

/**
 * seamCorrect over a streamed raster: `open` is called once per pass (2, or 3 with renormalise) and must yield
 * the same rows each time; `write` receives the output rows top to bottom (the array is reused after it resolves).
 */
export async function seamStream(
  open: RowStream,
  width: number,
  height: number,
  p: SeamParams,
  write: (rows: Float32Array, n: number) => Promise<void>,
  stripRows = SEAM_STRIP_ROWS,
): Promise<SeamStreamResult> {
  checkSeamParams(p);
  if (!(stripRows >= 1 && Number.isInteger(stripRows))) throw new NtlError(`internal: SEAM strip height ${stripRows}`);
  const halo = ((p.window - 1) >> 1) + 1;
  const bw = p.region > 0 ? Math.ceil(width / p.region) : 1,
    bh = p.region > 0 ? Math.ceil(height / p.region) : 1;
  const blockOf = (r: number, c: number) => (p.region > 0 ? Math.floor(r / p.region) * bw + Math.floor(c / p.region) : 0);
  const g = newOls();
  const blockOls = Array.from({ length: bw * bh }, newOls);
  let plpCount = 0,
    totalIn = 0;
  // pass 1: the fits' sufficient statistics, in the whole-grid loop's order
  await forEachStrip(open, width, height, halo, stripRows, (sub, a, subH, s, e) => {
    const R = neighbourLight(sub, width, subH, p.window);
    const plp = pseudoLightPixels(sub, width, subH);
    for (let r = s; r < e; r++) {
      for (let c = 0; c < width; c++) {
        const i = (r - a) * width + c,
          v = sub[i] as number;
        if (v === v) totalIn += v;
        if (plp[i] !== 1) continue;
        plpCount++;
        addOls(g, R[i] as number, v);
        addOls(blockOls[blockOf(r, c)]!, R[i] as number, v);
      }
    }
  });
  const { global, blocks, coef } = resolveFits(g, blockOls, bw, p);
  const smooth = p.smooth && coef.some((k) => k.a > 0);
  // pass 2 (and 3): correct, smooth, clamp; f = renormalisation factor of the final pass
  const apply = async (emit: boolean, f: number | null): Promise<number> => {
    let total = 0;
    await forEachStrip(open, width, height, halo, stripRows, async (sub, a, subH, s, e) => {
      const R = neighbourLight(sub, width, subH, p.window);
      const corrected = new Float32Array(sub.length);
      for (let r = a; r < a + subH; r++) {
        for (let c = 0; c < width; c++) {
          const i = (r - a) * width + c,
            v = sub[i] as number;
          if (!(v > 0)) {
            corrected[i] = v;
            continue;
          }
          const k = coef[blockOf(r, c)]!;
          corrected[i] = k.a > 0 ? v - k.b - k.a * (R[i] as number) : v;
        }
      }
      const out = smooth ? smoothLit(corrected, sub, width, subH, (i) => coef[blockOf(a + Math.floor(i / width), i % width)]!.a > 0) : corrected;
      const o = out.subarray((s - a) * width, (e - a) * width);
      for (let i = 0; i < o.length; i++) {
        if ((o[i] as number) < 0) o[i] = 0;
        if (f !== null) o[i] = (o[i] as number) * f;
        if (o[i] === o[i]) total += o[i] as number;
      }
      if (emit) await write(o, e - s);
    });
    return total;
  };
  let totalOut: number, passes: number;
  if (!p.renormalise) {
    totalOut = await apply(true, null);
    passes = 2;
  } else {
    const t = await apply(false, null);
    totalOut = await apply(true, t > 0 ? totalIn / t : null);
    passes = 3;
  }
  return { global, blocks, plpCount, totalIn, totalOut, passes };
}
