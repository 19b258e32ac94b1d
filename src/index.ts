/**
 * The public library API of ntl-pipeline: the engine without the CLI, for Node scripts and notebooks.
 * Every `ntl` command and the pipeline runner are built on these same functions.
 *
 *   import { openRaster, runZonalJob, readTable, runModel, dagum, adjacency, readZones } from 'ntl-pipeline';
 *
 * Example (docs/library.md has a runnable one): zonal statistics of a raster over polygons, then a DID.
 */
export { NtlError, isNtlError } from './errors.js';

// rasters: streaming GeoTIFF/BigTIFF reader and the tiled GeoTIFF writer
export { openRaster, readRasterInfo, shutdownDecodePool, GeoTiffWriter, writeGeoTiff } from './raster/index.js';
export type { RasterInfo, RasterSource, RowBand, GeoTransform, PixelDtype, OpenRasterOptions, GeoTiffSpec, RemoteOptions } from './raster/index.js';
// NASA Black Marble VNP46A3/A4 HDF5 tiles of one date as one EPSG:4326 raster (h5wasm, loaded on first use)
export { openBlackMarble, type BlackMarbleSource, type OpenBlackMarbleOptions } from './raster/blackmarble/index.js';

// boundaries
export { readZones, reprojectZones, geodesicAreaKm2 } from './vector/index.js';
export type { Zone, ZoneSet, ReadZonesOptions } from './vector/index.js';

// exact zonal statistics
export { runZonalJob, type ZonalJobInput, type ZonalJobResult, type ZonalSettings } from './jobs/zonal-job.js';
export { zonalStatistics, parseStats, STAT_NAMES, DEFAULT_STATS } from './zonal/index.js';

// tables (CSV / Parquet / in memory)
export { readTable, tableOf, type LoadedTable, type Cell } from './panel/read-table.js';

// inequality
export { dagum, gini, theilT, theilL, coefficientOfVariation, inequalityPanel, gapColumn } from './inequality/index.js';
export type { DagumResult, DagumOptions } from './inequality/index.js';

// spatial relations
export { adjacency, exposurePanel, type AdjacencyOptions, type AdjacencyResult } from './spatial/index.js';

// estimation: the DID family through one API, and the regression core
export { runModel, resultTable, MODEL_KINDS, type ModelKind, type ModelSpec, type ModelResult } from './estimate/api.js';
export { feols, feolsFit, feolsVcov, type FeolsFit } from './estimate/feols.js';
export type { RegressionData, RegressionResult, VcovSpec } from './estimate/types.js';
export { designOf, type Design } from './estimate/design.js';

// calibration: the library under `ntl calibrate <verb>` and the pipeline's calibrate stage
export { calibrateFile, type CalibrateFileOptions, type CalibrateFileResult } from './calibrate/calibrate-file.js';
export { buildCalibrateChain, parseCalibrateSteps, type CalibrateStep } from './calibrate/chain.js';
export { writeCalibratedRaster, type RasterRef, type CalibratedOutput } from './calibrate/write-calibrated.js';
export { writeContinuityFolder } from './calibrate/continuity-stream.js';
export { annualBands, writeAnnualComposite } from './calibrate/monthly.js';
export { fitHarmonisation, HARMONISE_MODELS, type HarmoniseModel, type HarmoniseFit } from './calibrate/harmonise.js';
export { fitHarmonisationFiles, harmonisationStep } from './calibrate/harmonise-fit.js';
export { fitIntercalibrationOverRegion, capFromCorePolygons } from './calibrate/region-fit.js';
export { writeContinuityReport } from './calibrate/report.js';
