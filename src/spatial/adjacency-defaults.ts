/** Adjacency defaults, apart from adjacency.ts so `ntl adjacency --help` can state them without loading the geometry. */
/**
 * Default snap, 1 m. On the 2,901 mapchina counties every snap from 1 cm to 10 m gives the same 8,246 queen
 * pairs (50 m adds 2, 100 m 4, 500 m 19), so 1 m loses nothing there while exceeding the rounding of
 * 6-decimal GeoJSON (≤ 0.08 m) and of 5-decimal exports (≤ 0.8 m). It also keeps rook clean: with 1 m,
 * point contacts measure ≤ 8.5 m of "shared" border and true shared borders ≥ 21.6 m (snap 10 m: 85 m vs
 * 43.7 m, overlapping). Files with wider gaps need --snap (e.g. 50); see src/spatial/README.md.
 */
export const DEFAULT_SNAP_M = 1;
/** Rook's default minimum shared border is this many snaps (10 m at the default snap): see DEFAULT_SNAP_M. */
export const DEFAULT_MIN_SHARED_SNAPS = 10;
