/**
 * maps/ — quick-look PNGs of pipeline inputs and outputs, dependency-free apart from sharp (PNG encoding and
 * SVG text). `renderRasterMap` streams a raster window under the zones into a night-lights-coloured image with
 * outlines; `renderChoropleth` fills zones by value class. Same input → identical PNG bytes (no metadata).
 */
export {
  renderRasterMap,
  planRasterMap,
  rasterMapHistogram,
  pooledScaleTop,
  RASTER_MAP_COLOURS,
  RASTER_TITLE_HEIGHT,
  RASTER_LEGEND_HEIGHT,
  RASTER_NOTE_HEIGHT,
  OUTLINE_ALPHA,
  type RasterMapOptions,
  type RasterMapPlan,
} from './raster-map.js';
export {
  renderChoropleth,
  planChoropleth,
  CHOROPLETH_COLOURS,
  CHOROPLETH_PAD,
  CHOROPLETH_TITLE_HEIGHT,
  type ChoroplethOptions,
  type ChoroplethPlan,
} from './choropleth.js';
export { quantileClasses, logEqualClasses, classOf, pooledClasses, type Classes } from './classify.js';
export { LogHistogram, type SparseHistogram } from './histogram.js';
export {
  describeSeries,
  describeHarmonised,
  describeStat,
  distinctLabels,
  choroplethTitle,
  rasterTitle,
  periodSpan,
  sharedScaleNote,
  DN_UNIT,
  RADIANCE_UNIT,
  type SeriesFacts,
  type SeriesDescription,
  type StatDescription,
  type GapRef,
} from './units.js';
export { NIGHT_STOPS, SEQUENTIAL_STOPS, samplePalette, paletteLut, classColours, type Rgb, type PaletteStop } from './palette.js';
export { formatNumber } from './text.js';
export { toPixel, type MapView } from './view.js';
