/**
 * Choropleths of Hunan counties with a synthetic value per county: size and aspect, determinism, the top county
 * in the top class colour, missing values hatched, holes left unfilled, legend text drawn, bad input rejected.
 * Rendered PNGs land in a temp folder removed afterwards; set NTL_MAPS_TEST_OUT to a folder to keep them for
 * viewing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { NtlError } from '../../src/errors.js';
import {
  CHOROPLETH_COLOURS,
  CHOROPLETH_TITLE_HEIGHT,
  classColours,
  planChoropleth,
  renderChoropleth,
  samplePalette,
  SEQUENTIAL_STOPS,
  toPixel,
} from '../../src/maps/index.js';
import { readZones, type Zone } from '../../src/vector/index.js';
import { tempDir } from '../helpers/tmp.js';
import { decodePng, rgbAt } from '../helpers/png.js';

const OUT = process.env.NTL_MAPS_TEST_OUT ?? tempDir('maps-choropleth');
const TOP = { id: '431222', x: 110.455, y: 28.218 }; // deep inside 沅陵县 (≥ 0.08° from its border)
const MISSING = { id: '430923', x: 110.994, y: 28.084 }; // inside 安化县

let zones: readonly Zone[];
let values: Map<string, number | null>;
beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  zones = (await readZones('data/demo/hunan_counties.geojson', { idField: 'Code_County' })).zones;
  // synthetic: a deterministic function of the id; 431222 gets the maximum, 430923 is missing, 430102 absent
  values = new Map();
  for (const z of zones) values.set(z.id, (Number(z.id) % 997) * 13.7);
  values.set(TOP.id, 1e6);
  values.set(MISSING.id, null);
  values.delete('430102');
});

describe('renderChoropleth on Hunan counties', () => {
  const opts = { title: 'Synthetic value by county', legendLabel: 'synthetic (units)', maxSize: 700, geographic: true };

  it('has the planned size and ground aspect, decodes, is byte-identical across runs', async () => {
    const a = await renderChoropleth(zones, values, opts);
    writeFileSync(`${OUT}/hunan-choropleth.png`, a);
    const meta = await sharp(a).metadata();
    expect(meta.format).toBe('png');
    const plan = planChoropleth(zones, values, opts);
    expect(plan.view.height).toBe(700); // taller than wide once x is scaled by cos φ
    const k = Math.cos((27.384 * Math.PI) / 180);
    const ratio = ((114.254898 - 108.786094) * k) / (30.128203 - 24.640218);
    expect((plan.view.width - 12) / (plan.view.height - 12)).toBeCloseTo(ratio, 2);
    expect(meta.width).toBeGreaterThan(plan.view.width + 100); // legend panel to the right
    expect(meta.height).toBe(CHOROPLETH_TITLE_HEIGHT + 700 + 4);
    const b = await renderChoropleth(zones, values, opts);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    // without geographic the map is stretched east–west: a different, wider view
    expect(planChoropleth(zones, values, { ...opts, geographic: false }).view.width).toBeGreaterThan(plan.view.width + 40);
  });

  it('fills the top county with the top class colour and hatches the missing one', async () => {
    const plan = planChoropleth(zones, values, opts);
    expect(plan.classes.upper.length).toBe(7);
    const img = await decodePng(await renderChoropleth(zones, values, opts));
    const at = (p: { x: number; y: number }) => {
      const [x, y] = toPixel(plan.view, p.x, p.y);
      return [plan.left + x, plan.top + y] as const;
    };
    const [tx, ty] = at(TOP);
    const topColour = [...samplePalette(SEQUENTIAL_STOPS, 1)];
    expect([...plan.colours[plan.colours.length - 1]]).toEqual(topColour);
    for (let d = -3; d <= 3; d++) expect(rgbAt(img, tx + d, ty)).toEqual(topColour);
    const [mx, my] = at(MISSING);
    const seen = new Set<string>();
    for (let d = 0; d < 6; d++) seen.add(rgbAt(img, mx + d, my).join());
    expect(seen).toEqual(new Set([CHOROPLETH_COLOURS.missing.join(), CHOROPLETH_COLOURS.missingHatch.join()]));
    // the lowest class colour appears somewhere (the map uses the whole ramp)
    const low = classColours(SEQUENTIAL_STOPS, 7)[0].join();
    let found = false;
    for (let y = plan.top; y < plan.top + plan.view.height && !found; y += 2) {
      for (let x = 0; x < plan.view.width; x += 2)
        if (rgbAt(img, x, y).join() === low) {
          found = true;
          break;
        }
    }
    expect(found).toBe(true);
  });

  it('leaves holes unfilled and draws legend text', async () => {
    // a square with a square hole, in projected units
    const ring = (x0: number, y0: number, x1: number, y1: number, ccw: boolean) =>
      ccw ? Float64Array.of(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0) : Float64Array.of(x0, y0, x0, y1, x1, y1, x1, y0, x0, y0);
    const donut: Zone = { id: 'd', attributes: {}, parts: [[ring(0, 0, 100, 100, true), ring(40, 40, 60, 60, false)]] };
    const side: Zone = { id: 's', attributes: {}, parts: [[ring(100, 0, 200, 100, true)]] };
    const vals = new Map<string, number | null>([
      ['d', 5],
      ['s', 1],
    ]);
    const o = { maxSize: 300, classes: 2 };
    const plan = planChoropleth([donut, side], vals, o);
    const png = await renderChoropleth([donut, side], vals, o);
    writeFileSync(`${OUT}/donut.png`, png);
    const img = await decodePng(png);
    const at = (x: number, y: number) => {
      const [a, b] = toPixel(plan.view, x, y);
      return rgbAt(img, plan.left + a, plan.top + b);
    };
    expect(at(50, 50)).toEqual([...CHOROPLETH_COLOURS.background]); // the hole
    expect(at(20, 20)).toEqual([...samplePalette(SEQUENTIAL_STOPS, 1)]); // donut = top class
    expect(at(150, 50)).toEqual([...samplePalette(SEQUENTIAL_STOPS, 0)]); // side = bottom class
    // the legend column (right of the map) has dark text pixels beyond the swatches
    let dark = 0;
    for (let y = plan.top; y < img.height; y++) {
      for (let x = plan.view.width + 40; x < img.width; x++) if (rgbAt(img, x, y)[0] < 100) dark++;
    }
    expect(dark).toBeGreaterThan(50);
  });

  it('log-scale classes are equal steps in log1p', () => {
    const plan = planChoropleth(zones, values, { ...opts, logScale: true, classes: 4 });
    const l = plan.classes.upper.map((u) => Math.log1p(u));
    const l0 = Math.log1p(plan.classes.min);
    for (let i = 0; i < 4; i++) expect(l[i] - l0).toBeCloseTo(((i + 1) * (l[3] - l0)) / 4, 9);
  });

  it('rejects bad input with NtlError', async () => {
    await expect(renderChoropleth([], values)).rejects.toThrow(NtlError);
    await expect(renderChoropleth(zones, new Map())).rejects.toThrow(/none of the 122 zones has a finite value/);
    await expect(renderChoropleth(zones, values, { classes: 0 })).rejects.toThrow(NtlError);
    const neg = new Map(values);
    neg.set('430103', -5);
    await expect(renderChoropleth(zones, neg, { logScale: true })).rejects.toThrow(/non-negative/);
  });
});
