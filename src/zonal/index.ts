export * from './types.js';
export * from './grid.js';
export { polygonWindow, preparePolygon, type PreparedPolygon } from './prepare.js';
export {
  coverageFractions, centreCoverage, exactCoverageInto, centreCoverageInto, exactCoverageSpans, spansFromDense,
  CoverageScratch, CoverageSpans, SegmentCursor,
} from './coverage.js';
export { ZoneAccumulator, weightedQuantile, needsFor, type AccumulatorNeeds, type CellRules } from './stats.js';
export { parseStats, DEFAULT_STATS, STAT_NAMES, quantileLevelText, statColumn, zonalSettings, ZONAL_DEFAULTS, type ZonalSettingsInput } from './spec.js';
export { zonalStatistics, type EngineOptions } from './engine.js';
export { zonalStatisticsParallel, partitionZones, PARALLEL_MIN_CELLS } from './parallel.js';
