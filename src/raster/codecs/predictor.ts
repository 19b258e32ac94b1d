/**
 * Undo TIFF predictors in place, one block at a time. Rows are `rowSamples` = blockWidth × samplesPerPixel
 * values long; differencing runs with a stride of samplesPerPixel (each sample channel separately).
 */

/** Predictor 2 (horizontal differencing) on native-order values of `bytesPerSample` width. */
export function undoHorizontal(block: Uint8Array, bytesPerSample: number, rowSamples: number, spp: number): void {
  const rows = Math.floor(block.byteLength / (rowSamples * bytesPerSample));
  if (bytesPerSample === 8) {
    undoHorizontal64(block, rows, rowSamples, spp);
    return;
  }
  const a =
    bytesPerSample === 1
      ? block
      : bytesPerSample === 2
        ? new Uint16Array(block.buffer, block.byteOffset, rows * rowSamples)
        : new Uint32Array(block.buffer, block.byteOffset, rows * rowSamples);
  // Typed-array stores wrap modulo 2^bits, which is exactly the integer arithmetic of the encoder.
  for (let r = 0; r < rows; r++) {
    const base = r * rowSamples;
    const end = base + rowSamples;
    if (spp === 1) {
      let acc = a[base];
      for (let i = base + 1; i < end; i++) {
        acc = acc + a[i];
        a[i] = acc;
        acc = a[i];
      }
    } else {
      for (let i = base + spp; i < end; i++) a[i] = a[i] + a[i - spp];
    }
  }
}

function undoHorizontal64(block: Uint8Array, rows: number, rowSamples: number, spp: number): void {
  const a = new BigUint64Array(block.buffer, block.byteOffset, rows * rowSamples);
  for (let r = 0; r < rows; r++) {
    const base = r * rowSamples;
    for (let i = base + spp; i < base + rowSamples; i++) a[i] = a[i] + a[i - spp];
  }
}

/**
 * Predictor 3 (floating point, Adobe TN3): bytes are differenced across the row, after the samples were
 * split into byte planes, most significant plane first. Output is little-endian native values.
 */
export function undoFloatingPoint(block: Uint8Array, bytesPerSample: number, rowSamples: number, spp: number): void {
  const rowBytes = rowSamples * bytesPerSample;
  const rows = Math.floor(block.byteLength / rowBytes);
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = block.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = spp; i < rowBytes; i++) row[i] = (row[i] + row[i - spp]) & 0xff;
    tmp.set(row);
    for (let p = 0; p < bytesPerSample; p++) {
      const plane = (bytesPerSample - 1 - p) * rowSamples; // plane of byte p (LSB first in output)
      for (let k = 0, o = p; k < rowSamples; k++, o += bytesPerSample) row[o] = tmp[plane + k];
    }
  }
}

/** Swap big-endian values to little-endian in place. */
export function swapBytes(block: Uint8Array, bytesPerSample: number): void {
  const n = block.length - (block.length % bytesPerSample);
  if (bytesPerSample === 2) {
    for (let i = 0; i < n; i += 2) {
      const t = block[i];
      block[i] = block[i + 1];
      block[i + 1] = t;
    }
  } else if (bytesPerSample === 4 || bytesPerSample === 8) {
    const h = bytesPerSample >> 1;
    for (let i = 0; i < n; i += bytesPerSample) {
      for (let k = 0; k < h; k++) {
        const t = block[i + k];
        block[i + k] = block[i + bytesPerSample - 1 - k];
        block[i + bytesPerSample - 1 - k] = t;
      }
    }
  }
}
