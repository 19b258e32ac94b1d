/** PackBits (Apple/TIFF run-length) decoder. Returns bytes written into dst. */
export function packbitsDecode(src: Uint8Array, dst: Uint8Array): number {
  const n = src.length;
  const cap = dst.length;
  let ip = 0;
  let op = 0;
  while (ip < n && op < cap) {
    const h = src[ip++];
    if (h < 128) {
      // literal run of h+1 bytes
      const end = Math.min(ip + h + 1, n);
      const take = Math.min(end - ip, cap - op);
      dst.set(src.subarray(ip, ip + take), op);
      op += take;
      ip = end;
    } else if (h > 128) {
      // repeat the next byte 257-h times
      if (ip >= n) break;
      const v = src[ip++];
      const end = Math.min(op + 257 - h, cap);
      dst.fill(v, op, end);
      op = end;
    } // 128: no-op
  }
  return op;
}
