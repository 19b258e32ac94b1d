/** `ntl adjacency`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { DEFAULT_MIN_SHARED_SNAPS, DEFAULT_SNAP_M } from '../../spatial/adjacency-defaults.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const ADJACENCY_FLAGS = {
  zones: { type: 'string', arg: '<file>', help: 'Shapefile or GeoJSON polygons, lon/lat or projected (required)' },
  id: { type: 'string', arg: '<field>', help: 'attribute that identifies each unit; must be unique (required)' },
  rule: {
    type: 'string',
    arg: 'queen|rook',
    default: 'queen',
    help: 'queen: any boundary point in common; rook: a shared border of at least --min-shared metres (two separate touching points are not rook)',
  },
  snap: {
    type: 'string',
    arg: '<metres>',
    default: String(DEFAULT_SNAP_M),
    help: 'boundary points closer than this touch (raise it, e.g. 50, for files with digitising gaps)',
  },
  'min-shared': { type: 'string', arg: '<metres>', default: `${DEFAULT_MIN_SHARED_SNAPS} × snap`, help: 'rook: least shared border length' },
  out: { type: 'string', arg: '<file|->', default: 'CSV on standard output', help: 'edges.csv (id_a,id_b,shared_m; id_a < id_b), x.gal or x.gwt (GeoDa)' },
  encoding: { type: 'string', arg: '<name>', help: 'DBF text encoding when there is no .cpg' },
  'zones-crs': { type: 'string', arg: '<crs>', help: 'CRS of the zones when the file has none (e.g. EPSG:4326)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const ADJACENCY_HELP = commandHelp(
  `ntl adjacency — neighbouring units of a boundary file (contiguity)

Usage:
  ntl adjacency --zones <file.shp|file.geojson> --id <field> [options]`,
  ADJACENCY_FLAGS,
  `shared_m is the length of border the two units share, in metres (geodesic on the ellipsoid for
lon/lat files, planar for projected ones): the mean of each side's boundary length lying within
the snap of the other. A unit with no contact that lies inside another (an enclave behind a gap)
is that unit's neighbour with shared_m 0. The summary (units, pairs, islands, components) goes to
standard output, or to standard error when the edges do.
`,
);
