export * from './types.js';
export * from './grid.js';
export { polygonWindow, preparePolygon, type PreparedPolygon } from './prepare.js';
export {
  coverageFractions,
  centreCoverage,
  exactCoverageInto,
  centreCoverageInto,
  exactCoverageSpans,
  spansFromDense,
  CoverageScratch,
  CoverageSpans,
  SegmentCursor,
} from './coverage.js';
export { ZoneAccumulator, weightedQuantile, needsFor, type AccumulatorNeeds, type CellRules } from './stats.js';
export {
  parseStats,
  DEFAULT_STATS,
  STAT_NAMES,
  WEIGHTED_STATS,
  WEIGHTS_ONLY_STATS,
  quantileLevelText,
  statColumn,
  zonalSettings,
  ZONAL_DEFAULTS,
  type ZonalSettingsInput,
} from './spec.js';
export { zonalStatistics, zonalStatisticsLayers, type EngineOptions, type WeightsInput } from './engine.js';
export {
  zonalStatisticsParallel,
  partitionZones,
  chunkRuns,
  ChunkQueue,
  PARALLEL_MIN_CELLS,
  DEFAULT_SPLIT,
  ZonalWorkers,
  type SplitLimits,
} from './parallel.js';
export { commonGrid, preparePolygonCommon, type CommonGrid, type CommonAxis } from './common-grid.js';
export { WeightedAccumulator, type WeightRules } from './stats.js';
