/**
 * Products that store dark cells as no-data (the 8-bit VIIRS-like copies: no-data 0) hide every dark pixel from
 * SEAM (no lit pixel touches a dark one) and from the continuity rule (a dark next year looks missing). This view
 * reads the no-data value as 0 and reports no no-data value. With no-data 0 the bytes are unchanged; otherwise
 * each band is copied with the no-data cells set to 0.
 */
import type { BandWindow, RasterSource, ReadHint, RowBand } from '../raster/types.js';

export function nodataAsZero(source: RasterSource): RasterSource {
  const nd = source.info.nodata;
  if (nd === null) return source;
  const info = { ...source.info, nodata: null };
  return {
    info,
    async *bands(window?: BandWindow, hint?: ReadHint): AsyncIterable<RowBand> {
      for await (const b of source.bands(window, hint)) {
        // cell by cell: the caller's hint holds here too
        if (nd === 0) {
          yield b;
          continue;
        }
        const data = b.data.slice() as RowBand['data'];
        for (let i = 0; i < data.length; i++) {
          const v = data[i] as number;
          if (v === nd || (nd !== nd && v !== v)) data[i] = 0;
        }
        yield { ...b, data };
      }
    },
    close: () => source.close(),
  };
}
