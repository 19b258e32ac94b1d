/** Esri's LERC decoder (lerc 3.x, pure JS, CommonJS): the part src/raster/codecs/fallback.ts uses. */
declare module 'lerc' {
  const Lerc: {
    decode(input: ArrayBuffer, options?: { inputOffset?: number; returnPixelInterleavedDims?: boolean }): unknown;
  };
  export default Lerc;
}
