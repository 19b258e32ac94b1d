/**
 * Work units of a plan: (series, period, file, row band), each with its cost estimate (covered cells from the
 * zones' windows, compressed bytes of the blocks it decodes) and a key made like the cache key (input
 * checksums + every setting that changes the numbers + the band's rows).
 */
import { NtlError } from '../../errors.js';
import type { PreparedZones } from '../../jobs/zonal-job.js';
import { openByteSource, readHeader } from '../../raster/open.js';
import type { RasterInfo } from '../../raster/types.js';
import { cacheKey } from '../cache.js';
import { remoteOptionsOf } from '../remote-inputs.js';
import type { PanelPlan, PinnedFile, PlannedInput } from '../plan/types.js';
import { bandCells, rowBands, zoneWindows, type RowRange } from './bands.js';
import { splittable } from './partial.js';
import { openBlackMarble } from '../../raster/blackmarble/index.js';

export interface WorkUnit {
  readonly key: string;
  /** e.g. "viirs_like 2013 rows 0–4096 (1/3)". */
  readonly label: string;
  readonly series: string;
  readonly input: PlannedInput;
  readonly fileIndex: number;
  readonly file: PinnedFile;
  readonly band: RowRange;
  readonly bandIndex: number;
  readonly bandCount: number;
  readonly cells: number;
  readonly bytes: number;
  /** cells + compressed bytes: a unitless estimate used to balance shards. */
  readonly cost: number;
}

export interface PeriodTask {
  readonly series: string;
  readonly input: PlannedInput;
}

export function periodTasks(plan: PanelPlan): PeriodTask[] {
  return plan.series.flatMap((s) => s.inputs.filter((i) => plan.years.includes(i.year)).map((input) => ({ series: s.name, input })));
}

export function periodLabel(series: string, input: PlannedInput): string {
  return `${series} ${input.year}${input.month ? `-${String(input.month).padStart(2, '0')}` : ''}`;
}

export function unitKey(periodKey: string, fileIndex: number, band: RowRange): string {
  return cacheKey({ period: periodKey, file: fileIndex, rows: [band.row0, band.row1] });
}

/** The bands of one opened (or header-read) raster for these zones. */
export function bandsFor(
  info: RasterInfo,
  zones: PreparedZones,
  plan: Pick<PanelPlan, 'zonal'>,
  bandRows: number,
  file?: PinnedFile,
): { bands: RowRange[]; windows: ReturnType<typeof zoneWindows> } {
  if (!info.crs) {
    throw new NtlError(
      `${info.path} has a geotransform but no coordinate system (no GeoKeys); record a raster with a CRS in the manifest (gdal_edit.py -a_srs EPSG:4326)`,
    );
  }
  const windows = zoneWindows(info, zones.inCrs(info.crs).zones);
  // A weighted period is one unit: its weighting raster is streamed beside the values over the whole window.
  return { bands: rowBands(info, windows, bandRows, splittable(plan.zonal.stats) && !file?.weights), windows };
}

/**
 * A file's raster header and the bytes a window of it reads: GeoTIFF block byte counts; for a Black Marble mosaic
 * (header = the tiles' metadata) 2 bytes per cell per layer read, as stored uncompressed — an upper bound.
 */
async function headerOf(
  file: PinnedFile,
): Promise<{ info: RasterInfo; bytesIn: (rs: number, re: number, cs: number, ce: number) => number; close: () => Promise<void> }> {
  const bm = file.blackmarble;
  if (bm) {
    const src = await openBlackMarble(
      bm.tiles.map((t) => t.file),
      { layer: bm.layer, quality: bm.quality, snow: bm.snow },
    );
    const layers = (bm.snow === 'all' ? 2 : 1) * 2;
    return { info: src.info, bytesIn: (rs, re, cs, ce) => (re - rs) * (ce - cs) * layers, close: () => src.close() };
  }
  const src = await openByteSource(file.file, remoteOptionsOf(file));
  try {
    const { info, layout } = await readHeader(src, file.band ?? 1);
    const bytesIn = (rs: number, re: number, cs: number, ce: number): number => {
      let bytes = 0;
      for (let br = Math.floor(rs / layout.blockHeight); br * layout.blockHeight < re; br++) {
        for (let bc = Math.floor(cs / layout.blockWidth); bc * layout.blockWidth < ce; bc++) {
          bytes += layout.counts[layout.firstBlock + br * layout.blocksAcross + bc] ?? 0;
        }
      }
      return bytes;
    };
    return { info, bytesIn, close: () => src.close() };
  } catch (e) {
    await src.close();
    throw e;
  }
}

/** Every unit of the plan, in (series, period, file, band) order. Reads raster headers only. */
export async function planUnits(plan: PanelPlan, zones: PreparedZones, bandRows: number, periodKey: (t: PeriodTask) => string): Promise<WorkUnit[]> {
  const units: WorkUnit[] = [];
  for (const t of periodTasks(plan)) {
    const pk = periodKey(t);
    for (const [fileIndex, file] of t.input.files.entries()) {
      const { info, bytesIn, close } = await headerOf(file);
      try {
        const { bands, windows } = bandsFor(info, zones, plan, bandRows, file);
        let cs = Infinity,
          ce = -Infinity;
        for (const w of windows) {
          cs = Math.min(cs, w.col0);
          ce = Math.max(ce, w.col1);
        }
        bands.forEach((band, bandIndex) => {
          let rs = band.row1,
            re = band.row0;
          for (const w of windows) {
            const a = Math.max(w.row0, band.row0),
              b = Math.min(w.row1, band.row1);
            if (a < b) {
              rs = Math.min(rs, a);
              re = Math.max(re, b);
            }
          }
          const bytes = rs < re ? bytesIn(rs, re, cs, ce) : 0;
          const cells = bandCells(windows, band);
          const fileTag = t.input.files.length > 1 ? ` file ${fileIndex + 1}/${t.input.files.length}` : '';
          units.push({
            key: unitKey(pk, fileIndex, band),
            label: `${periodLabel(t.series, t.input)}${fileTag} rows ${band.row0}–${band.row1} (${bandIndex + 1}/${bands.length})`,
            series: t.series,
            input: t.input,
            fileIndex,
            file,
            band,
            bandIndex,
            bandCount: bands.length,
            cells,
            bytes,
            cost: cells + bytes,
          });
        });
      } finally {
        await close();
      }
    }
  }
  return units;
}
