/**
 * Colour ramps as small tables of stops, interpolated linearly in sRGB. Stops are chosen so luminance rises
 * monotonically, which is what makes a ramp read as "more" without a legend.
 */
export type Rgb = readonly [number, number, number];

export interface PaletteStop {
  /** Position in [0, 1]; stops are sorted and the first is 0, the last 1. */
  readonly at: number;
  readonly rgb: Rgb;
}

/** Night lights: black → deep blue/purple → magenta → orange → yellow → near-white. */
export const NIGHT_STOPS: readonly PaletteStop[] = [
  { at: 0, rgb: [0, 0, 0] },
  { at: 0.2, rgb: [24, 18, 72] },
  { at: 0.4, rgb: [98, 32, 122] },
  { at: 0.6, rgb: [205, 76, 60] },
  { at: 0.78, rgb: [246, 150, 34] },
  { at: 0.9, rgb: [252, 222, 92] },
  { at: 1, rgb: [255, 255, 228] },
];

/** Sequential light → dark (ColorBrewer YlOrRd), for choropleth classes. */
export const SEQUENTIAL_STOPS: readonly PaletteStop[] = [
  { at: 0, rgb: [255, 255, 204] },
  { at: 0.125, rgb: [255, 237, 160] },
  { at: 0.25, rgb: [254, 217, 118] },
  { at: 0.375, rgb: [254, 178, 76] },
  { at: 0.5, rgb: [253, 141, 60] },
  { at: 0.625, rgb: [252, 78, 42] },
  { at: 0.75, rgb: [227, 26, 28] },
  { at: 0.875, rgb: [189, 0, 38] },
  { at: 1, rgb: [128, 0, 38] },
];

/** Colour at t ∈ [0, 1] (clamped; NaN → 0), rounded to integers. */
export function samplePalette(stops: readonly PaletteStop[], t: number): Rgb {
  const u = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
  let i = 1;
  while (i < stops.length - 1 && stops[i].at < u) i++;
  const a = stops[i - 1],
    b = stops[i];
  const f = b.at > a.at ? (u - a.at) / (b.at - a.at) : 0;
  return [Math.round(a.rgb[0] + (b.rgb[0] - a.rgb[0]) * f), Math.round(a.rgb[1] + (b.rgb[1] - a.rgb[1]) * f), Math.round(a.rgb[2] + (b.rgb[2] - a.rgb[2]) * f)];
}

/** 256-entry RGB lookup table (index = round(t·255)), so per-pixel colouring is one array read. */
export function paletteLut(stops: readonly PaletteStop[]): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(samplePalette(stops, i / 255), i * 3);
  return lut;
}

/** `n` evenly spaced colours from the ramp, first and last at its ends (n = 1 → the top colour). */
export function classColours(stops: readonly PaletteStop[], n: number): Rgb[] {
  if (n <= 1) return [samplePalette(stops, 1)];
  return Array.from({ length: n }, (_, i) => samplePalette(stops, i / (n - 1)));
}

export function rgbHex(c: Rgb): string {
  return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
}
