/** Inequality measures over any panel: Gini, Dagum decomposition, Theil T/L, CV, and the county gap. */
export { gini, giniSorted, halfAbsDiffSum } from './gini.js';
export { dagum, dagumFromGroups, splitGroups, type DagumOptions, type DagumResult, type DagumGroupResult, type DagumPairResult } from './dagum.js';
export { dagumByKey, type DagumByKeyOptions, type DagumByResult, type DagumRun } from './dagum-results.js';
export { MIN_GROUP_SIZE_DEFAULT, minGroupSizeSchema, parseMinGroupSize, SmallGroups, type SmallGroup, type SmallPeriod } from './group-size.js';
export { pairSums, type PairSums } from './pair.js';
export { sortGroup, groupMean, type SortedGroup } from './sorted-group.js';
export { theilT, theilL, coefficientOfVariation, theilDecomposition, type TheilDecomposition, type GroupValues } from './theil.js';
export { quantileSorted, medianSorted } from './quantile.js';
export { gapColumn, referenceLevel, GAP_REFERENCES, type GapReference, type GapResult } from './gap.js';
export {
  inequalityPanel,
  isInequalityMeasure,
  sizeRuleColumns,
  smallGroupWarnings,
  INEQUALITY_MEASURES,
  type InequalityMeasure,
  type InequalityPanelOptions,
  type InequalityPanelResult,
} from './panel.js';
export { prepareInput, type InequalityInput } from './prepare.js';
export { inequalityFromPanel, withGapColumn, type PanelInequalityOptions, type PanelGapOptions } from './from-table.js';
