/** A view of a source restricted to some rows (a pipeline work unit's row band): rows outside are never read. */
import type { BandWindow, RasterSource, ReadHint, RowBand } from './types.js';

export interface RowRange {
  readonly row0: number;
  readonly row1: number;
}

/** The source restricted to rows [row0, row1); closing the view leaves the source open. */
export function rowClippedSource(source: RasterSource, band: RowRange): RasterSource {
  return {
    info: source.info,
    bands(window?: BandWindow, hint?: ReadHint): AsyncIterable<RowBand> {
      const rowStart = Math.max(window?.rowStart ?? 0, band.row0);
      const rowEnd = Math.min(window?.rowEnd ?? source.info.height, band.row1);
      if (rowStart >= rowEnd) return (async function* () {})();
      return source.bands({ ...window, rowStart, rowEnd }, hint);
    },
    close: async () => {},
  };
}
