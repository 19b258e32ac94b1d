/** Spatial relations between boundary units: contiguity (queen/rook with a metric snap), neighbour files, exposure panels. */
export {
  adjacency,
  compareIds,
  DEFAULT_SNAP_M,
  DEFAULT_MIN_SHARED_SNAPS,
  type AdjacencyOptions,
  type AdjacencyResult,
  type ContiguityRule,
  type NeighbourPair,
} from './adjacency.js';
export { connectedComponents, neighbourLists, ringAt, type Edge } from './graph.js';
export { exposurePanel, type ExposureOptions } from './exposure.js';
export { edgesCsv, galText, gwtText, readNeighbourFile, weightsFormatOf, type NeighbourFile, type WeightsFormat } from './weights-io.js';
