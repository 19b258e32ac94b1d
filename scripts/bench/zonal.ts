/**
 * Zonal engine benchmark at China scale without touching the disk reader: the 2,901 mapchina counties
 * over a lazily generated 13,713 × 11,072 uint8 raster on the Chen et al. grid (bands made on the fly).
 * Reports the band-generation time alone and the full zonal time; the difference is zonal work.
 *
 *   npx tsx scripts/bench/zonal.ts [--stats count,sum,mean,min,max] [--band 128] [--rule exact] [--zones FILE --id FIELD]
 *
 * Zones default to the committed data/china/mapchina_counties shapefile (id county_cd).
 */
import { parseArgs } from 'node:util';
import type { GeoTransform, PixelArray } from '../../src/raster/types.js';
import type { Zone } from '../../src/vector/types.js';
import { gridFromTransform, parseStats, preparePolygon, zonalStatistics, type CoverageRule } from '../../src/zonal/index.js';
import { readZones } from '../../src/vector/index.js';
import { memoryRaster } from '../../test/helpers/memory-raster.js';
import { CHINA_COUNTIES } from './inputs.js';

const { values } = parseArgs({
  options: {
    stats: { type: 'string', default: 'count,sum,mean,min,max' },
    band: { type: 'string', default: '128' },
    rule: { type: 'string', default: 'exact' },
    zones: { type: 'string', default: CHINA_COUNTIES },
    id: { type: 'string', default: 'county_cd' },
  },
});

const W = 13713,
  H = 11072;
const GT: GeoTransform = [73.495590048398043, 0.004491576421, 0, 53.561069744176137, 0, -0.004491576421];

async function toZones(path: string, idField: string): Promise<{ zones: readonly Zone[]; vertices: number }> {
  const set = await readZones(path, { idField });
  let vertices = 0;
  for (const z of set.zones) for (const p of z.parts) for (const r of p) vertices += r.length / 2;
  return { zones: set.zones, vertices };
}

/** Deterministic pixels (values 0..63, 0 = no-data), copied from a random pool so generation stays cheap. */
const POOL = new Uint8Array(1 << 20);
{
  let s = 12345;
  for (let i = 0; i < POOL.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    POOL[i] = (s >>> 24) & 0x3f;
  }
}
function generate(row0: number, rows: number, col0: number, width: number, out: PixelArray): void {
  const o = out as Uint8Array;
  for (let r = 0; r < rows; r++) {
    const start = ((row0 + r) * 7919 + col0) % (POOL.length - width);
    o.set(POOL.subarray(start, start + width), r * width);
  }
}

const bandHeight = Number(values.band);
const t0 = performance.now();
const { zones, vertices } = await toZones(values.zones!, values.id!);
const t1 = performance.now();

// Generation alone (same bands, same window as the engine will ask for: the whole raster here).
const gen = memoryRaster({ width: W, height: H, geoTransform: GT, dtype: 'uint8', nodata: 0, bandHeight, generate });
let checksum = 0;
for await (const b of gen.bands()) checksum += b.data[0];
const t2 = performance.now();

const src = memoryRaster({ width: W, height: H, geoTransform: GT, dtype: 'uint8', nodata: 0, bandHeight, generate });
const cpu0 = process.cpuUsage();
const res = await zonalStatistics(src, zones, {
  stats: parseStats(values.stats!),
  rule: values.rule as CoverageRule,
  nodataAsZero: false,
  litThreshold: 0,
  geographic: true,
});
const t3 = performance.now();
const cpu = process.cpuUsage(cpu0);

let windowCells = 0;
for (const z of zones) {
  const w = preparePolygon(z.parts, gridFromTransform(GT, W, H)).window;
  windowCells += Math.max(0, w.row1 - w.row0) * Math.max(0, w.col1 - w.col0);
}
let cells = 0;
for (const r of res.rows) cells += r.values[0] ?? 0;
const zonalS = (t3 - t2) / 1000 - (t2 - t1) / 1000;
console.log(
  JSON.stringify(
    {
      zones: zones.length,
      vertices,
      raster: `${W}x${H}`,
      bandHeight,
      stats: values.stats,
      rule: values.rule,
      parseZonesS: +((t1 - t0) / 1000).toFixed(3),
      generateOnlyS: +((t2 - t1) / 1000).toFixed(3),
      zonalTotalS: +((t3 - t2) / 1000).toFixed(3),
      zonalCpuS: +((cpu.user + cpu.system) / 1e6).toFixed(3), // CPU time: robust when other processes share the machine
      zonalMinusGenerateS: +zonalS.toFixed(3),
      coveredCells: Math.round(cells),
      zoneWindowCells: windowCells,
      windowCellsPerS: Math.round(windowCells / zonalS),
      rasterCellsPerS: Math.round((W * H) / ((t3 - t2) / 1000)),
      warnings: res.warnings.length,
      checksum,
    },
    null,
    1,
  ),
);
