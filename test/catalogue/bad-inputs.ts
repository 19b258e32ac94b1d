/**
 * The catalogue of bad inputs (issue 15): every case is one `ntl <command> …` run on a bad input, the exit code,
 * a fragment of the one `ntl: error:` line it must print (what went wrong, where, what to do), and the files that
 * must be untouched or absent afterwards. test/unit/bad-input-catalogue.test.ts runs every case in-process;
 * scripts/docs/bad-inputs.ts turns the table into docs/bad-input.md.
 *
 * Placeholders in argv and setup texts: {tmp} (the case's own temp folder), {demo} (data/demo), {fixtures}
 * (test/fixtures), {server} (a loopback HTTP server the test starts), {sha256:repo/path} (that file's sha256).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BadInputCase, SetupFile } from './types.js';

export type { BadInputCase } from './types.js';

/** A shipped text file, to edit into a case's setup. */
const readFixture = (path: string): string => readFileSync(join(import.meta.dirname, '..', '..', path), 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// Inputs the cases share (all small: the catalogue runs in seconds)

const DEMO_TIF = 'data/demo/viirs_like/2012_8bit_hunan.tif';
const RASTER: SetupFile = { copy: DEMO_TIF };
const ZONES: SetupFile = { copy: 'test/fixtures/vector/changsha.geojson' };
const DID_PANEL: SetupFile = { copy: 'test/fixtures/did/balanced.csv' };
const SPILL_PANEL: SetupFile = { copy: 'test/fixtures/did/spillover.csv' };
const BACON_PANEL: SetupFile = { copy: 'test/fixtures/staggered/bacon.csv' };
const CS_PANEL: SetupFile = { copy: 'test/fixtures/staggered/cs.csv' };
const EDGES = 'id_a,id_b,shared_m\na,b,1000\nb,c,1000\nc,d,1000\n';
const TREATED = 'code,first_year\nb,2010\n';

/** A small county × year panel for dagum / inequality / gap: 3 prefectures × 3 counties × 3 years. */
function ineqPanel(rows?: (lines: string[]) => string[]): string {
  const lines: string[] = [];
  for (const year of [2012, 2013, 2014]) {
    for (const [g, base] of [['4301', 1], ['4302', 4], ['4303', 9]] as const) {
      for (let k = 1; k <= 3; k++) lines.push(`${g}0${k},${g},${year},${(base * k + (year - 2012) * 0.5).toFixed(2)}`);
    }
  }
  return ['unit_id,parent_id,year,mean', ...(rows ? rows(lines) : lines)].join('\n') + '\n';
}
const INEQ_PANEL = ineqPanel();

/** A small did panel (text): 4 units × 4 years, two treated from 2003. */
function didPanel(edit?: (lines: string[]) => string[]): string {
  const lines: string[] = [];
  for (const unit of [1, 2, 3, 4]) {
    for (const year of [2001, 2002, 2003, 2004]) {
      const d = unit <= 2 && year >= 2003 ? 1 : 0;
      lines.push(`${unit},${year},${d},${(unit + year / 1000 + d * 0.7 + ((unit * year) % 7) / 10).toFixed(3)}`);
    }
  }
  return ['unit,year,D,y', ...(edit ? edit(lines) : lines)].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// The commands in their working form: the base every systematic case varies

interface CommandBase {
  readonly argv: readonly string[];
  readonly setup: Readonly<Record<string, SetupFile>>;
  /** Flags whose absence is an error, in the order the command checks them. */
  readonly required: readonly string[];
  /** The command as its messages name it, when not just `command` (a verb: `calibrate intercalibrate`). */
  readonly label?: string;
  /** The flag naming the output file (and its value in argv), when there is one. */
  readonly out?: { readonly flag: string; readonly inputFlag: string; readonly input: string; readonly message?: RegExp };
}

const did = (extra: readonly string[] = []): readonly string[] => ['--panel', '{tmp}/P.csv', '--y', 'y', '--treat', 'D', '--unit', 'unit', '--time', 'year', ...extra];

const BASES: Record<string, CommandBase> = {
  zonal: {
    argv: ['--raster', '{tmp}/r.tif', '--zones', '{tmp}/zones.geojson', '--id', 'Code_County', '--out', '{tmp}/out.csv'],
    setup: { 'r.tif': RASTER, 'zones.geojson': ZONES },
    required: ['--raster', '--zones', '--id'],
    out: { flag: '--out', inputFlag: '--raster', input: '{tmp}/r.tif' },
  },
  panel: {
    argv: ['--zones', '{tmp}/zones.geojson', '--id', 'Code_County', '--raster', '2012={tmp}/r.tif', '--out', '{tmp}/out'],
    setup: { 'r.tif': RASTER, 'zones.geojson': ZONES },
    required: ['--zones', '--id', '--out'],
  },
  calibrate: {
    argv: ['intercalibrate', '--input', '{tmp}/r.tif', '--satellite', 'F18', '--year', '2012', '--out', '{tmp}/out.tif'],
    setup: { 'r.tif': RASTER },
    label: 'calibrate intercalibrate',
    required: ['--out'],
    out: { flag: '--out', inputFlag: '--input', input: '{tmp}/r.tif' },
  },
  dagum: {
    argv: ['--panel', '{tmp}/P.csv', '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--out', '{tmp}/out.json'],
    setup: { 'P.csv': INEQ_PANEL },
    required: ['--panel', '--y', '--group'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  inequality: {
    argv: ['--panel', '{tmp}/P.csv', '--y', 'mean', '--group', 'parent_id', '--time', 'year', '--out', '{tmp}/out.csv'],
    setup: { 'P.csv': INEQ_PANEL },
    required: ['--panel', '--y'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  gap: {
    argv: ['--panel', '{tmp}/P.csv', '--y', 'mean', '--time', 'year', '--out', '{tmp}/out.csv'],
    setup: { 'P.csv': INEQ_PANEL },
    required: ['--panel', '--y', '--time'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  adjacency: {
    argv: ['--zones', '{tmp}/zones.geojson', '--id', 'Code_County', '--out', '{tmp}/edges.csv'],
    setup: { 'zones.geojson': ZONES },
    required: ['--zones', '--id'],
    // The extension check answers first: a .geojson is no edge list (the guard by path is in safety-outputs.test.ts).
    out: { flag: '--out', inputFlag: '--zones', input: '{tmp}/zones.geojson', message: /ntl adjacency: --out \S+zones\.geojson: use a \.csv, \.gal or \.gwt file name/ },
  },
  exposure: {
    argv: ['--edges', '{tmp}/edges.csv', '--treated', '{tmp}/treated.csv', '--unit', 'code', '--time', 'first_year', '--out', '{tmp}/exposure.csv'],
    setup: { 'edges.csv': EDGES, 'treated.csv': TREATED },
    required: ['--edges', '--treated', '--unit'],
    out: { flag: '--out', inputFlag: '--treated', input: '{tmp}/treated.csv' },
  },
  did: {
    argv: did(['--out', '{tmp}/did.json']),
    setup: { 'P.csv': DID_PANEL },
    required: ['--unit', '--time', '--panel', '--y', '--treat'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  eventstudy: {
    argv: ['--panel', '{tmp}/P.csv', '--y', 'y', '--unit', 'unit', '--time', 'year', '--cohort', 'cohort', '--out', '{tmp}/es.json'],
    setup: { 'P.csv': DID_PANEL },
    required: ['--unit', '--time', '--panel', '--y', '--cohort'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  placebo: {
    argv: did(['--draws', '20', '--threads', '1', '--out', '{tmp}/placebo.json']),
    setup: { 'P.csv': DID_PANEL },
    required: ['--unit', '--time', '--panel', '--y', '--treat'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  'psm-did': {
    argv: did(['--covariates', 'x1,x2', '--out', '{tmp}/psm.json']),
    setup: { 'P.csv': DID_PANEL },
    required: ['--unit', '--time', '--panel', '--y', '--treat', '--covariates'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  spillover: {
    argv: did(['--exposure', 'exposure', '--out', '{tmp}/spill.json']),
    setup: { 'P.csv': SPILL_PANEL },
    required: ['--unit', '--time', '--panel', '--y', '--treat', '--exposure'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  bacon: {
    argv: ['--panel', '{tmp}/P.csv', '--y', 'y', '--treat', 'd', '--unit', 'id', '--time', 'year', '--out', '{tmp}/bacon.json'],
    setup: { 'P.csv': BACON_PANEL },
    required: ['--panel', '--y', '--treat', '--unit', '--time'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  att: {
    argv: ['--panel', '{tmp}/P.csv', '--y', 'y', '--unit', 'id', '--time', 'year', '--cohort', 'first_treat', '--out', '{tmp}/att.json'],
    setup: { 'P.csv': CS_PANEL },
    required: ['--panel', '--y', '--unit', '--time', '--cohort'],
    out: { flag: '--out', inputFlag: '--panel', input: '{tmp}/P.csv' },
  },
  init: {
    argv: ['--zones', '{tmp}/zones.geojson', '--id', 'Code_County', '--rasters', '{tmp}/rasters/*.tif', '--out', '{tmp}/pipelines/mine.yaml', '--manifest', '{tmp}/data-manifests/mine.yaml'],
    setup: { 'ntl-project.yaml': '', 'zones.geojson': ZONES, 'rasters/lights_2012.tif': RASTER },
    required: ['--zones', '--id', '--rasters'],
  },
};

/** Remove a flag and its value from argv. */
function without(argv: readonly string[], flag: string): string[] {
  const i = argv.indexOf(flag);
  return i < 0 ? [...argv] : [...argv.slice(0, i), ...argv.slice(i + 2)];
}

/** Replace the value of a flag (or add the flag). */
function withFlag(argv: readonly string[], flag: string, value: string): string[] {
  const i = argv.indexOf(flag);
  return i < 0 ? [...argv, flag, value] : [...argv.slice(0, i + 1), value, ...argv.slice(i + 2)];
}

/** The extension of a path, with its dot. */
const ext = (p: string): string => /\.[a-z]+$/.exec(p)?.[0] ?? '';

/** The output files of a base (for `absent`). */
function outputsOf(b: CommandBase): string[] {
  return b.out ? [b.argv[b.argv.indexOf(b.out.flag) + 1]!] : [];
}

const cases: BadInputCase[] = [];
const add = (...cs: BadInputCase[]): void => void cases.push(...cs);

// ---------------------------------------------------------------------------------------------------------------
// Systematic: every command × {unknown flag, each required flag missing, output = input, output is a folder}

for (const [command, b] of Object.entries(BASES)) {
  const label = b.label ?? command;
  add({
    id: `${command}/unknown-flag`,
    class: 'usage',
    command,
    argv: [...b.argv, '--bogus-flag'],
    setup: b.setup,
    expectCode: 1,
    message: new RegExp(`ntl ${label}: Unknown option '--bogus-flag'.*see \`ntl ${label} --help\``),
    absent: outputsOf(b),
    doc: 'a flag the command does not know',
  });
  for (const flag of b.required) {
    add({
      id: `${command}/missing${flag}`,
      class: 'usage',
      command,
      argv: without(b.argv, flag),
      setup: b.setup,
      expectCode: 1,
      message: new RegExp(command === 'init' ? `ntl init: missing ${flag}; e\\.g\\. \`ntl init --zones` : `ntl ${label}: ${flag} is required`),
      absent: outputsOf(b),
      doc: `required ${flag} not given`,
    });
  }
  if (b.out) {
    add({
      id: `${command}/out-is-input`,
      class: 'output-is-input',
      command,
      argv: withFlag(b.argv, b.out.flag, b.out.input),
      setup: b.setup,
      expectCode: 1,
      message: b.out.message ?? new RegExp(`ntl ${label}: ${b.out.flag} \\S+ is the input ${b.out.inputFlag} \\S+ \\(same file\\); choose another output path`),
      doc: `${b.out.flag} names the ${b.out.inputFlag} file`,
    });
    add({
      id: `${command}/out-is-folder`,
      class: 'output-path',
      command,
      argv: withFlag(b.argv, b.out.flag, `{tmp}/existing${ext(outputsOf(b)[0]!)}`),
      setup: { ...b.setup, [`existing${ext(outputsOf(b)[0]!)}`]: { dir: true } },
      expectCode: 1,
      message: new RegExp(`ntl ${label}: ${b.out.flag} \\S+existing\\.\\w+ is a folder; give a file name such as`),
      doc: `${b.out.flag} names an existing folder`,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Files: not found, empty, of the wrong kind

const Z = BASES.zonal!;
const HTML = '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/login">Log in to download</form></body></html>\n';
const JSON_TEXT = '{"type": "result", "coef": {"D": 0.5}}\n';

add(
  { id: 'zonal/raster-not-found', class: 'not-found', command: 'zonal', argv: withFlag(Z.argv, '--raster', '{tmp}/nope.tif'), setup: Z.setup, expectCode: 1,
    message: /raster file not found: \S+nope\.tif\. Check the path/, absent: ['{tmp}/out.csv'], doc: '--raster names a file that does not exist' },
  { id: 'zonal/zones-not-found', class: 'not-found', command: 'zonal', argv: withFlag(Z.argv, '--zones', '{tmp}/nope.geojson'), setup: Z.setup, expectCode: 1,
    message: /zones file \S+nope\.geojson does not exist; check the path/, absent: ['{tmp}/out.csv'], doc: '--zones names a file that does not exist' },
  { id: 'zonal/raster-empty', class: 'empty', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'r.tif': '' }, expectCode: 1,
    message: /r\.tif is not a GeoTIFF \(the file is empty, 0 bytes: an interrupted download or export\)/, absent: ['{tmp}/out.csv'], doc: '--raster is an empty (0-byte) file' },
  { id: 'zonal/zones-empty', class: 'empty', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'zones.geojson': '' }, expectCode: 1,
    message: /zones\.geojson is empty; it must hold the zone polygons/, absent: ['{tmp}/out.csv'], doc: '--zones is an empty (0-byte) file' },
  { id: 'zonal/raster-is-csv', class: 'wrong-format', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'r.tif': INEQ_PANEL }, expectCode: 1,
    message: /r\.tif is not a GeoTIFF \(it does not start with the TIFF byte-order mark/, absent: ['{tmp}/out.csv'], doc: 'a CSV table saved as the .tif given to --raster' },
  { id: 'zonal/raster-is-html', class: 'wrong-format', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'r.tif': HTML }, expectCode: 1,
    message: /r\.tif is not a GeoTIFF \(it does not start with the TIFF byte-order mark II or MM; it is an HTML page — a login, error or landing page saved in place of the raster; download the file itself again/i, absent: ['{tmp}/out.csv'], doc: 'an HTML login page saved as .tif (a download that went wrong)' },
  { id: 'zonal/raster-is-json', class: 'wrong-format', command: 'zonal', argv: withFlag(Z.argv, '--raster', '{tmp}/r.json'), setup: { ...Z.setup, 'r.json': JSON_TEXT }, expectCode: 1,
    message: /r\.json is not a GeoTIFF \(it does not start with the TIFF byte-order mark II or MM; it looks like JSON text\)/, absent: ['{tmp}/out.csv'], doc: 'a JSON file given to --raster' },
  { id: 'zonal/zones-is-geotiff', class: 'wrong-format', command: 'zonal', argv: withFlag(Z.argv, '--zones', '{tmp}/zones.tif'), setup: { ...Z.setup, 'zones.tif': RASTER }, expectCode: 1,
    message: /zones file \S+zones\.tif: unsupported type "\.tif"; use a Shapefile \(\.shp\) or GeoJSON \(\.geojson\/\.json\)/, absent: ['{tmp}/out.csv'], doc: 'a GeoTIFF given to --zones' },
  { id: 'zonal/zones-geotiff-as-geojson', class: 'wrong-format', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'zones.geojson': RASTER }, expectCode: 1,
    message: /zones\.geojson is a GeoTIFF raster, not GeoJSON; zones are polygons/, absent: ['{tmp}/out.csv'], doc: 'a GeoTIFF renamed .geojson given to --zones' },
  { id: 'zonal/zones-is-csv', class: 'wrong-format', command: 'zonal', argv: withFlag(Z.argv, '--zones', '{tmp}/zones.csv'), setup: { ...Z.setup, 'zones.csv': INEQ_PANEL }, expectCode: 1,
    message: /zones file \S+zones\.csv: unsupported type "\.csv"; use a Shapefile \(\.shp\) or GeoJSON/, absent: ['{tmp}/out.csv'], doc: 'a CSV table given to --zones' },
  { id: 'zonal/zones-json-syntax', class: 'wrong-format', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'zones.geojson': '{"type": "FeatureCollection", "features": [\n' }, expectCode: 1,
    message: /zones\.geojson is not valid JSON \(Unexpected end of JSON input\); check the file is complete GeoJSON/, absent: ['{tmp}/out.csv'], doc: 'a truncated GeoJSON file' },
  { id: 'zonal/zones-not-featurecollection', class: 'wrong-format', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'zones.geojson': JSON_TEXT }, expectCode: 1,
    message: /zones\.geojson: GeoJSON type "result" is not a FeatureCollection or Feature/, absent: ['{tmp}/out.csv'], doc: 'JSON that is not GeoJSON given to --zones' },
  { id: 'zonal/zones-no-features', class: 'empty', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'zones.geojson': '{"type": "FeatureCollection", "features": []}\n' }, expectCode: 1,
    message: /zones\.geojson has no features; it must contain the zone polygons/, absent: ['{tmp}/out.csv'], doc: 'a GeoJSON FeatureCollection without features' },
  { id: 'zonal/zones-points', class: 'wrong-format', command: 'zonal', argv: withFlag(withFlag(Z.argv, '--zones', '{tmp}/points.shp'), '--id', 'id'),
    setup: { ...Z.setup, 'points.shp': { copy: 'test/fixtures/vector/points.shp' }, 'points.shx': { copy: 'test/fixtures/vector/points.shx' }, 'points.dbf': { copy: 'test/fixtures/vector/points.dbf' }, 'points.prj': { copy: 'test/fixtures/vector/points.prj' } },
    expectCode: 1, message: /points\.shp: the file holds Point geometry, but zones must be polygons; use a polygon boundary file/, absent: ['{tmp}/out.csv'], doc: 'a point shapefile given as zones' },
);

// ---------------------------------------------------------------------------------------------------------------
// GeoTIFF damage (test/fixtures/raster/bad, lon 100–109.25, lat 37.125–40): zonal over a box inside that grid

const BOX = (id = 'box', x0 = 100.1, y0 = 37.2, x1 = 109.1, y1 = 39.9): string =>
  JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: id }, geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] } }] }) + '\n';
const boxZonal = ['--raster', '{tmp}/bad.tif', '--zones', '{tmp}/box.geojson', '--id', 'code', '--threads', '1', '--out', '{tmp}/out.csv'];
const rasterCase = (name: string, fixture: string, message: RegExp, doc: string, extra: readonly string[] = [], box = BOX()): BadInputCase => ({
  id: `zonal/raster-${name}`, class: 'raster', command: 'zonal', argv: [...boxZonal, ...extra],
  setup: { 'bad.tif': { copy: `test/fixtures/raster/${fixture}` }, 'box.geojson': box }, expectCode: 1, message, absent: ['{tmp}/out.csv'], doc,
});
add(
  rasterCase('truncated', 'bad/truncated.tif', /bad\.tif is truncated: tile \(\d+,\d+\) needs bytes \d+\.\.\d+ but the file ends at byte \d+\. The download or export is incomplete; fetch or write the file again/,
    'a GeoTIFF cut short (an interrupted download)', ['--raster-crs', 'EPSG:4326'], BOX('box', 100.1, 24.1, 115.9, 39.9)),
  rasterCase('truncated-header', 'bad/truncated_header.tif', /bad\.tif is not a GeoTIFF \(only 6 bytes long, too short for a TIFF header\)/, 'a 6-byte file named .tif'),
  rasterCase('not-a-tiff', 'bad/not_a_tiff.tif', /bad\.tif is not a GeoTIFF \(it does not start with the TIFF byte-order mark II or MM; it is text starting/, 'a text file named .tif'),
  rasterCase('lzma', 'bad/codec_lzma.tif', /bad\.tif is compressed with LZMA \(TIFF compression 34925\), which this tool does not decode\. Re-encode it: gdal_translate -co COMPRESS=DEFLATE/, 'an LZMA-compressed GeoTIFF'),
  rasterCase('webp', 'bad/codec_webp.tif', /bad\.tif is compressed with WebP .* Re-encode it: gdal_translate/, 'a WebP-compressed GeoTIFF'),
  rasterCase('ycbcr-jpeg', 'bad/codec_ycbcr.tif', /bad\.tif is compressed with YCbCr JPEG .* Re-encode it: gdal_translate/, 'a YCbCr JPEG GeoTIFF (colours GDAL would convert differently)'),
  rasterCase('corrupt-deflate', 'bad/corrupt_deflate.tif', /corrupt DEFLATE data in tile \(1,1\) of \S+bad\.tif \(invalid block type\)\. The file is damaged; fetch or write it again/, 'a GeoTIFF whose DEFLATE block is damaged'),
  { id: 'calibrate/raster-corrupt-lzw', class: 'raster', command: 'calibrate', argv: ['saturation', '--input', '{tmp}/bad.tif', '--threads', '0', '--out', '{tmp}/mask.tif'],
    setup: { 'bad.tif': { copy: 'test/fixtures/raster/bad/corrupt_lzw.tif' } }, expectCode: 1,
    message: /corrupt LZW data in tile \(1,1\) of \S+bad\.tif \(.*\)\. The file is damaged; fetch or write it again/, absent: ['{tmp}/mask.tif'], doc: 'a GeoTIFF whose LZW block is damaged' },
  rasterCase('nbits4', 'bad/nbits4.tif', /bad\.tif stores 4-bit unsigned samples, which are not supported .* gdal_translate -ot Float32/, 'a 4-bit GeoTIFF'),
  rasterCase('no-georef', 'bad/no_georef.tif', /bad\.tif has no georeferencing .* Assign the grid with gdal_translate -a_ullr/, 'a TIFF without georeferencing'),
  rasterCase('gcps-only', 'bad/gcps_only.tif', /bad\.tif is georeferenced only by ground control points .* gdalwarp -t_srs EPSG:4326/, 'a TIFF georeferenced by control points only'),
  rasterCase('no-crs', 'crs_none.tif', /bad\.tif has a geotransform but no coordinate system \(no GeoKeys\); pass --raster-crs EPSG:4326/, 'a GeoTIFF whose GeoKeys name no CRS'),
  rasterCase('band-too-high', 'uint8_deflate_strip_p1.tif', /bad\.tif has 1 band; band 3 does not exist \(bands are numbered 1\.\.1\)/, 'a band number the raster does not have', ['--band', '3']),
  { id: 'zonal/raster-cut-in-half', class: 'raster', command: 'zonal', argv: Z.argv, setup: { ...Z.setup, 'r.tif': { copy: DEMO_TIF, slice: [0, 12000] } }, expectCode: 1,
    message: /r\.tif is truncated: tile \(\d+,\d+\) needs bytes \d+\.\.\d+ but the file ends at byte 12000\. The download or export is incomplete/, absent: ['{tmp}/out.csv'], doc: 'the demo raster cut after 12,000 bytes' },
);

// ---------------------------------------------------------------------------------------------------------------
// Geography: zones and rasters that do not fit, CRS problems, incomplete shapefiles

const SHP = (dir: string, parts: readonly string[]): Record<string, SetupFile> =>
  Object.fromEntries(parts.map((e) => [`shp/changsha.${e}`, { copy: `test/fixtures/vector/${dir}/changsha.${e}` }]));
const shpZonal = withFlag(Z.argv, '--zones', '{tmp}/shp/changsha.shp');
const P_ARGV = BASES.panel!.argv;
add(
  { id: 'zonal/zones-outside-raster', class: 'geo', command: 'zonal', argv: withFlag(withFlag(Z.argv, '--zones', '{tmp}/box.geojson'), '--id', 'code'), setup: { ...Z.setup, 'box.geojson': BOX() }, expectCode: 1,
    message: /no zone of .*box\.geojson touches the raster .*r\.tif.*the raster covers x .* and the zones x .*--allow-empty/, absent: ['{tmp}/out.csv'], doc: 'zones that lie entirely outside the raster (both extents printed, --allow-empty keeps empty rows)' },
  { id: 'zonal/zones-xy-swapped', class: 'geo', command: 'zonal', argv: withFlag(withFlag(Z.argv, '--zones', '{tmp}/box.geojson'), '--id', 'code'), setup: { ...Z.setup, 'box.geojson': BOX('box', 28.0, 112.8, 28.4, 113.2) }, expectCode: 1,
    message: /no zone of \S+box\.geojson touches the raster \S+r\.tif, .*likely cause: the zones' x and y look exchanged: with x and y swapped they would overlap the raster .*were latitude and longitude written in the wrong order\?/, absent: ['{tmp}/out.csv'], doc: 'zones written with latitude and longitude exchanged' },
  { id: 'panel/zones-outside-raster', class: 'geo', command: 'panel', argv: withFlag(withFlag(P_ARGV, '--zones', '{tmp}/box.geojson'), '--id', 'code'), setup: { 'r.tif': RASTER, 'box.geojson': BOX() }, expectCode: 1,
    message: /series ntl, year 2012, file \S+r\.tif: no zone of \S+box\.geojson touches the raster \S+r\.tif, so every row would be empty: the raster covers x 108\.3997 to 114\.7014, .*; pass --allow-empty/, absent: ['{tmp}/out'], doc: 'ntl panel with zones that lie entirely outside the raster' },
  { id: 'zonal/zones-crs-unknown-epsg', class: 'geo', command: 'zonal', argv: [...Z.argv, '--zones-crs', 'EPSG:99999'], setup: Z.setup, expectCode: 1,
    message: /EPSG:99999 is not one of the built-in codes \(4326, 4490, .*3857, .*\); pass its proj4 string or WKT instead/, absent: ['{tmp}/out.csv'], doc: '--zones-crs names an EPSG code that does not exist' },
  { id: 'zonal/zones-crs-garbage', class: 'geo', command: 'zonal', argv: [...Z.argv, '--zones-crs', 'wgs-eighty-four'], setup: Z.setup, expectCode: 1,
    message: /cannot read the CRS "wgs-eighty-four": pass an EPSG code \(EPSG:4326\), a proj4 string \(\+proj=\.\.\.\) or WKT/, absent: ['{tmp}/out.csv'], doc: '--zones-crs is not a CRS' },
  { id: 'zonal/raster-crs-unknown-epsg', class: 'geo', command: 'zonal', argv: [...boxZonal, '--raster-crs', 'EPSG:99999'], setup: { 'bad.tif': { copy: 'test/fixtures/raster/crs_none.tif' }, 'box.geojson': BOX() }, expectCode: 1,
    message: /EPSG:99999 is not one of the built-in codes .*; pass its proj4 string or WKT instead/, absent: ['{tmp}/out.csv'], doc: '--raster-crs names an EPSG code that does not exist' },
  { id: 'zonal/shapefile-no-shx', class: 'geo', command: 'zonal', argv: shpZonal, setup: { ...Z.setup, ...SHP('utf8-cpg', ['shp', 'dbf', 'prj', 'cpg']) }, expectCode: 1,
    message: /changsha\.shp: the \.shx file \(record index\) is missing next to it; a shapefile needs its \.shp, \.shx and \.dbf/, absent: ['{tmp}/out.csv'], doc: 'a shapefile without its .shx' },
  { id: 'zonal/shapefile-no-dbf', class: 'geo', command: 'zonal', argv: shpZonal, setup: { ...Z.setup, ...SHP('utf8-cpg', ['shp', 'shx', 'prj', 'cpg']) }, expectCode: 1,
    message: /changsha\.shp: the \.dbf file \(attribute table\) is missing next to it/, absent: ['{tmp}/out.csv'], doc: 'a shapefile without its .dbf (no attributes, so no --id)' },
  { id: 'zonal/shapefile-no-prj', class: 'geo', command: 'zonal', argv: shpZonal, setup: { ...Z.setup, ...SHP('noprj', ['shp', 'shx', 'dbf', 'cpg']) }, expectCode: 1,
    message: /changsha\.shp has no \.prj: its coordinate system is unknown; pass --zones-crs EPSG:4326/, absent: ['{tmp}/out.csv'], doc: 'a shapefile without .prj and no --zones-crs' },
  { id: 'zonal/shapefile-dbf-truncated', class: 'geo', command: 'zonal', argv: shpZonal, setup: { ...Z.setup, ...SHP('utf8-cpg', ['shp', 'shx', 'prj', 'cpg']), 'shp/changsha.dbf': { copy: 'test/fixtures/vector/utf8-cpg/changsha.dbf', slice: [0, 200] } }, expectCode: 1,
    message: /changsha\.dbf is truncated or not a dBASE file \(header says 9 records of 609 bytes\); re-export the shapefile/, absent: ['{tmp}/out.csv'], doc: 'a shapefile whose .dbf is cut short' },
  { id: 'zonal/shapefile-shp-truncated', class: 'geo', command: 'zonal', argv: shpZonal, setup: { ...Z.setup, ...SHP('utf8-cpg', ['shx', 'dbf', 'prj', 'cpg']), 'shp/changsha.shp': { copy: 'test/fixtures/vector/utf8-cpg/changsha.shp', slice: [0, 3000] } }, expectCode: 1,
    message: /changsha\.shp: record \d+ lies beyond the end of the file \(truncated \.shp or wrong \.shx\); re-export the shapefile/, absent: ['{tmp}/out.csv'], doc: 'a .shp cut short' },
  { id: 'zonal/id-field-unknown', class: 'unknown-column', command: 'zonal', argv: withFlag(Z.argv, '--id', 'county_code'), setup: Z.setup, expectCode: 1,
    message: /zones\.geojson has no field "county_code" for zone ids; available fields: Code_County, .*; pass one of them as the id field/, absent: ['{tmp}/out.csv'], doc: '--id names a field the zones do not have (the message lists the fields)' },
  { id: 'zonal/id-not-unique', class: 'geo', command: 'zonal', argv: withFlag(Z.argv, '--id', 'Code_Perfecture'), setup: Z.setup, expectCode: 1,
    message: /zones\.geojson: the id field "Code_Perfecture" has duplicate values: 4301; ids must be unique — choose another id field/, absent: ['{tmp}/out.csv'], doc: '--id names a field whose values repeat' },
  { id: 'adjacency/zones-not-found', class: 'not-found', command: 'adjacency', argv: withFlag(BASES.adjacency!.argv, '--zones', '{tmp}/nope.shp'), setup: BASES.adjacency!.setup, expectCode: 1,
    message: /zones file \S+nope\.shp does not exist; check the path/, absent: ['{tmp}/edges.csv'], doc: '--zones names a file that does not exist' },
  { id: 'adjacency/zones-is-geotiff', class: 'wrong-format', command: 'adjacency', argv: withFlag(BASES.adjacency!.argv, '--zones', '{tmp}/zones.tif'), setup: { 'zones.tif': RASTER }, expectCode: 1,
    message: /zones file \S+zones\.tif: unsupported type "\.tif"/, absent: ['{tmp}/edges.csv'], doc: 'a GeoTIFF given to --zones' },
  { id: 'adjacency/zones-crs-unknown', class: 'geo', command: 'adjacency', argv: [...withFlag(BASES.adjacency!.argv, '--zones', '{tmp}/shp/changsha.shp'), '--zones-crs', 'EPSG:99999'], setup: SHP('noprj', ['shp', 'shx', 'dbf', 'cpg']), expectCode: 1,
    message: /EPSG:99999 is not one of the built-in codes/, absent: ['{tmp}/edges.csv'], doc: '--zones-crs names an EPSG code that does not exist' },
  { id: 'adjacency/out-extension', class: 'output-path', command: 'adjacency', argv: withFlag(BASES.adjacency!.argv, '--out', '{tmp}/edges.txt'), setup: BASES.adjacency!.setup, expectCode: 1,
    message: /ntl adjacency: --out \S+edges\.txt: use a \.csv, \.gal or \.gwt file name/, absent: ['{tmp}/edges.txt'], doc: '--out with an extension the command does not write' },
  { id: 'adjacency/snap-negative', class: 'bad-value', command: 'adjacency', argv: [...BASES.adjacency!.argv, '--snap', '-5'], setup: BASES.adjacency!.setup, expectCode: 1,
    message: /ntl adjacency: --snap must be a positive number of metres, got "-5"/, absent: ['{tmp}/edges.csv'], doc: '--snap below zero' },
  { id: 'adjacency/snap-text', class: 'bad-number', command: 'adjacency', argv: [...BASES.adjacency!.argv, '--snap', 'ten'], setup: BASES.adjacency!.setup, expectCode: 1,
    message: /ntl adjacency: --snap must be a positive number of metres, got "ten"/, absent: ['{tmp}/edges.csv'], doc: '--snap is not a number' },
  { id: 'adjacency/rule-unknown', class: 'bad-value', command: 'adjacency', argv: [...BASES.adjacency!.argv, '--rule', 'bishop'], setup: BASES.adjacency!.setup, expectCode: 1,
    message: /ntl adjacency: --rule must be queen or rook, got "bishop"/, absent: ['{tmp}/edges.csv'], doc: '--rule is neither queen nor rook' },
);

// ---------------------------------------------------------------------------------------------------------------
// Panels: duplicated unit × period rows, periods that are not numbers / not whole, header-only, unknown columns

const dupRow = (lines: string[]): string[] => [...lines.slice(0, 5), lines[4]!.replace(/,[\d.]+$/, ',9.99'), ...lines.slice(5)];
const badPeriod = (value: string) => (lines: string[]): string[] => lines.map((l, i) => (i === 7 ? l.replace(',2012,', `,${value},`) : l));
const INEQ_HEADER_ONLY = 'unit_id,parent_id,year,mean\n';
const DID_HEADER_ONLY = 'unit,year,D,y\n';

for (const command of ['dagum', 'inequality', 'gap'] as const) {
  const b = BASES[command]!;
  const out = outputsOf(b);
  add(
    { id: `${command}/duplicate-unit-period`, class: 'panel-content', command, argv: b.argv, setup: { 'P.csv': ineqPanel(dupRow) }, expectCode: 1,
      message: /P\.csv: unit "430202" has two rows for year = 2012 \(line 6 and line 7\); a panel needs one row per unit_id × year — aggregate them to one row or drop the duplicate/,
      absent: out, doc: 'one county twice in the same year' },
    { id: `${command}/period-not-a-number`, class: 'panel-content', command, argv: b.argv, setup: { 'P.csv': ineqPanel(badPeriod('20x2')) }, expectCode: 1,
      message: /P\.csv line 9: period column "year" has the value "20x2", which is not a number/, absent: out, doc: 'a year typed 20x2' },
    { id: `${command}/period-not-whole`, class: 'panel-content', command, argv: b.argv, setup: { 'P.csv': ineqPanel(badPeriod('2012.5')) }, expectCode: 1,
      message: /P\.csv line 9: period column "year" has 2012\.5, which is not a whole number; fix the value, or pass --time-type continuous/, absent: out, doc: 'a year 2012.5 read as a whole-number period' },
    { id: `${command}/header-only`, class: 'panel-content', command, argv: b.argv, setup: { 'P.csv': INEQ_HEADER_ONLY }, expectCode: 1,
      message: /P\.csv: the panel has a header but no data rows/, absent: out, doc: 'a panel with a header and no rows' },
    { id: `${command}/empty-panel`, class: 'empty', command, argv: b.argv, setup: { 'P.csv': '' }, expectCode: 1,
      message: /P\.csv is empty: a CSV panel needs a header row and data rows/, absent: out, doc: 'a 0-byte panel file' },
    { id: `${command}/panel-not-found`, class: 'not-found', command, argv: withFlag(b.argv, '--panel', '{tmp}/nope.csv'), setup: b.setup, expectCode: 1,
      message: /cannot read \S+nope\.csv: file not found; check the path/, absent: out, doc: '--panel names a file that does not exist' },
    { id: `${command}/panel-is-json`, class: 'wrong-format', command, argv: withFlag(b.argv, '--panel', '{tmp}/P.json'), setup: { 'P.json': JSON_TEXT }, expectCode: 1,
      message: /P\.json is not a CSV table: it looks like JSON; give the panel as CSV/, absent: out, doc: 'a JSON file given to --panel' },
    { id: `${command}/panel-is-geotiff`, class: 'wrong-format', command, argv: b.argv, setup: { 'P.csv': RASTER }, expectCode: 1,
      message: /P\.csv is not a CSV table: it is a GeoTIFF raster; give a CSV or Parquet panel/, absent: out, doc: 'a GeoTIFF renamed .csv given to --panel' },
    { id: `${command}/y-column-unknown`, class: 'unknown-column', command, argv: withFlag(b.argv, '--y', 'brightness'), setup: b.setup, expectCode: 1,
      message: /P\.csv has no column "brightness"; available columns: unit_id, parent_id, year, mean/, absent: out, doc: '--y names a column the panel does not have' },
    { id: `${command}/time-column-unknown`, class: 'unknown-column', command, argv: withFlag(b.argv, '--time', 'yr'), setup: b.setup, expectCode: 1,
      message: /P\.csv has no column "yr"; available columns: unit_id, parent_id, year, mean/, absent: out, doc: '--time names a column the panel does not have' },
    { id: `${command}/time-type-unknown`, class: 'bad-value', command, argv: [...b.argv, '--time-type', 'quarterly'], setup: b.setup, expectCode: 1,
      message: new RegExp(`ntl ${command}: --time-type must be integer or continuous or text, got "quarterly"`), absent: out, doc: '--time-type that does not exist' },
  );
}
add(
  { id: 'dagum/group-column-unknown', class: 'unknown-column', command: 'dagum', argv: withFlag(BASES.dagum!.argv, '--group', 'prefecture'), setup: BASES.dagum!.setup, expectCode: 1,
    message: /P\.csv has no column "prefecture"; available columns:/, absent: ['{tmp}/out.json'], doc: '--group names a column the panel does not have' },
  { id: 'dagum/negative-value', class: 'panel-content', command: 'dagum', argv: BASES.dagum!.argv, setup: { 'P.csv': ineqPanel((l) => l.map((x, i) => (i === 3 ? x.replace(/,[\d.]+$/, ',-2') : x))) }, expectCode: 1,
    message: /P\.csv line 5: column "mean" is negative \(-2\); the Gini and Dagum measures are defined for nonnegative quantities/, absent: ['{tmp}/out.json'], doc: 'a negative value (Gini needs values ≥ 0)' },
  { id: 'dagum/format-unknown', class: 'bad-value', command: 'dagum', argv: [...BASES.dagum!.argv, '--format', 'xlsx'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /ntl dagum: --format must be json or csv, got "xlsx"/, absent: ['{tmp}/out.json'], doc: '--format xlsx' },
  { id: 'dagum/csv-without-out', class: 'usage', command: 'dagum', argv: [...without(BASES.dagum!.argv, '--out'), '--format', 'csv'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /ntl dagum: --format csv writes three files; give --out <file\.csv>/, doc: '--format csv with no --out' },
  { id: 'dagum/csv-summary-is-input', class: 'output-is-input', command: 'dagum', argv: [...withFlag(BASES.dagum!.argv, '--out', '{tmp}/P.csv'), '--format', 'csv'], setup: { 'P_summary.csv': INEQ_PANEL, 'P.csv': INEQ_PANEL }, expectCode: 1,
    message: /ntl dagum: --out \S+P\.csv is the input --panel/, absent: ['{tmp}/P_pairs.csv'], doc: '--format csv whose --out is the panel' },
  { id: 'dagum/min-group-size-zero', class: 'bad-value', command: 'dagum', argv: [...BASES.dagum!.argv, '--min-group-size', '0'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /ntl dagum: --min-group-size must be a whole number ≥ 1, got "0"/, absent: ['{tmp}/out.json'], doc: '--min-group-size 0' },
  { id: 'dagum/min-group-size-text', class: 'bad-number', command: 'dagum', argv: [...BASES.dagum!.argv, '--min-group-size', 'two'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /ntl dagum: --min-group-size must be a whole number ≥ 1, got "two"/, absent: ['{tmp}/out.json'], doc: '--min-group-size two' },
  { id: 'dagum/time-type-without-time', class: 'usage', command: 'dagum', argv: [...without(BASES.dagum!.argv, '--time'), '--time-type', 'integer'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /ntl dagum: --time-type says how the --time period column is read; give --time <col> \(e\.g\. year\)/, absent: ['{tmp}/out.json'], doc: '--time-type without --time' },
  { id: 'dagum/where-malformed', class: 'bad-value', command: 'dagum', argv: [...BASES.dagum!.argv, '--where', 'source'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /ntl dagum: --where must look like column=value \(e\.g\. source=viirs_like\), got "source"/, absent: ['{tmp}/out.json'], doc: '--where without =value' },
  { id: 'dagum/where-column-unknown', class: 'unknown-column', command: 'dagum', argv: [...BASES.dagum!.argv, '--where', 'sensor=viirs'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /P\.csv has no column "sensor"; available columns: unit_id, parent_id, year, mean/, absent: ['{tmp}/out.json'], doc: '--where on a column the panel does not have' },
  { id: 'dagum/weights-column-unknown', class: 'unknown-column', command: 'dagum', argv: [...BASES.dagum!.argv, '--weights', 'population'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /P\.csv has no column "population"; available columns:/, absent: ['{tmp}/out.json'], doc: '--weights names a column the panel does not have' },
  // old flag names still work, with one deprecation line before the error
  { id: 'dagum/legacy-value-by', class: 'unknown-column', command: 'dagum', argv: ['--panel', '{tmp}/P.csv', '--value', 'brightness', '--group', 'parent_id', '--by', 'year', '--out', '{tmp}/out.json'], setup: BASES.dagum!.setup, expectCode: 1,
    warning: /ntl: warning: --value is deprecated; use --y \(see docs\/flags\.md\)\nntl: warning: --by is deprecated; use --time/,
    message: /P\.csv has no column "brightness"; available columns: unit_id, parent_id, year, mean/, absent: ['{tmp}/out.json'], doc: 'the old names --value and --by (deprecated: a warning each), naming a column the panel does not have' },
  { id: 'dagum/value-and-y', class: 'usage', command: 'dagum', argv: [...BASES.dagum!.argv, '--value', 'mean'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /ntl dagum: --value is the old name of --y; give one of them/, absent: ['{tmp}/out.json'], doc: 'an old flag name and its new name together (--value with --y)' },
  { id: 'inequality/measure-unknown', class: 'bad-value', command: 'inequality', argv: [...BASES.inequality!.argv, '--measures', 'gini,atkinson'], setup: BASES.inequality!.setup, expectCode: 1,
    message: /ntl inequality: unknown measure "atkinson" in --measures; known: gini/, absent: ['{tmp}/out.csv'], doc: '--measures names a measure that does not exist' },
  { id: 'inequality/level-unknown', class: 'bad-value', command: 'inequality', argv: [...BASES.inequality!.argv, '--level', 'county'], setup: BASES.inequality!.setup, expectCode: 1,
    message: /ntl inequality: --level must be group or by, got "county"/, absent: ['{tmp}/out.csv'], doc: '--level county' },
  { id: 'inequality/dagum-without-group', class: 'usage', command: 'inequality', argv: [...without(BASES.inequality!.argv, '--group'), '--measures', 'dagum'], setup: BASES.inequality!.setup, expectCode: 1,
    message: /ntl inequality: the dagum measure decomposes by groups; give --group <col>/, absent: ['{tmp}/out.csv'], doc: 'the dagum measure without --group' },
  { id: 'inequality/out-extension', class: 'output-path', command: 'inequality', argv: withFlag(BASES.inequality!.argv, '--out', '{tmp}/out.xlsx'), setup: BASES.inequality!.setup, expectCode: 1,
    message: /ntl inequality: cannot tell the format of --out \S+out\.xlsx; end it in \.csv, \.parquet or \.dta/, absent: ['{tmp}/out.xlsx'], doc: '--out with an extension the command does not write' },
  { id: 'gap/ref-unknown', class: 'bad-value', command: 'gap', argv: [...BASES.gap!.argv, '--ref', 'p50'], setup: BASES.gap!.setup, expectCode: 1,
    message: /ntl gap: --ref must be median, mean, p90, got "p50"/, absent: ['{tmp}/out.csv'], doc: '--ref p50' },
  { id: 'gap/name-exists', class: 'bad-value', command: 'gap', argv: [...BASES.gap!.argv, '--name', 'mean'], setup: BASES.gap!.setup, expectCode: 1,
    message: /ntl gap: \S+P\.csv already has a column "mean"; choose another with --name/, absent: ['{tmp}/out.csv'], doc: '--name of a column the panel already has' },
  { id: 'gap/mixed-series', class: 'panel-content', command: 'gap', argv: BASES.gap!.argv,
    setup: { 'P.csv': 'unit_id,year,source,mean\n1,2012,viirs,1\n2,2012,viirs,2\n1,2012,dmsp,3\n2,2012,dmsp,4\n' }, expectCode: 1,
    message: /ntl gap: \S+P\.csv holds several series in column "source"; use --by source so each series gets its own reference \(or keep one with --where source=…\)/, absent: ['{tmp}/out.csv'], doc: 'a long panel of two series without --by source' },
  { id: 'gap/out-extension', class: 'output-path', command: 'gap', argv: withFlag(BASES.gap!.argv, '--out', '{tmp}/out.json'), setup: BASES.gap!.setup, expectCode: 1,
    message: /ntl gap: cannot tell the format of --out \S+out\.json; end it in \.csv, \.parquet or \.dta/, absent: ['{tmp}/out.json'], doc: '--out with an extension the command does not write' },
);

// did and the estimators: the same panel problems
const didOut = ['{tmp}/did.json'];
const didArgs = did(['--out', '{tmp}/did.json']);
add(
  { id: 'did/duplicate-unit-period', class: 'panel-content', command: 'did', argv: didArgs, setup: { 'P.csv': didPanel((l) => [...l.slice(0, 3), l[2]!, ...l.slice(3)]) }, expectCode: 1,
    message: /P\.csv: unit "1" has two rows for year = 2003 \(line 4 and line 5\)/, absent: didOut, doc: 'one unit twice in the same year' },
  { id: 'did/period-not-a-number', class: 'panel-content', command: 'did', argv: didArgs, setup: { 'P.csv': didPanel((l) => l.map((x, i) => (i === 5 ? x.replace(',2002,', ',20x2,') : x))) }, expectCode: 1,
    message: /P\.csv line 7: .*"year".*"20x2", which is not a number/, absent: didOut, doc: 'a year typed 20x2' },
  { id: 'did/period-not-whole', class: 'panel-content', command: 'did', argv: didArgs, setup: { 'P.csv': didPanel((l) => l.map((x, i) => (i === 5 ? x.replace(',2002,', ',2002.5,') : x))) }, expectCode: 1,
    message: /P\.csv line 7: .*"year".*2002\.5, which is not a whole number.*--time-type continuous/, absent: didOut, doc: 'a year 2002.5 with the default --time-type integer' },
  { id: 'did/header-only', class: 'panel-content', command: 'did', argv: didArgs, setup: { 'P.csv': DID_HEADER_ONLY }, expectCode: 1,
    message: /P\.csv: the panel has a header but no data rows/, absent: didOut, doc: 'a panel with a header and no rows' },
  { id: 'did/treatment-all-zero', class: 'panel-content', command: 'did', argv: didArgs, setup: { 'P.csv': didPanel((l) => l.map((x) => x.replace(/^(\d+,\d+),1,/, '$1,0,'))) }, expectCode: 1,
    message: /P\.csv: treatment column "D" is 0 in every used row \(16 rows\); check --treat and the --drop filters/, absent: didOut, doc: 'a treatment column that is 0 everywhere' },
  { id: 'did/treatment-text', class: 'panel-content', command: 'did', argv: didArgs, setup: { 'P.csv': didPanel((l) => l.map((x, i) => (i === 3 ? x.replace(/^(\d+,\d+),1,/, '$1,yes,') : x))) }, expectCode: 1,
    message: /P\.csv line 5: column "D" has the non-numeric value "yes"; it must hold numbers/, absent: didOut, doc: 'a treatment value "yes"' },
  { id: 'did/outcome-column-unknown', class: 'unknown-column', command: 'did', argv: withFlag(didArgs, '--y', 'ntl_sum'), setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /P\.csv has no column "ntl_sum"; available columns: unit, year, D, y/, absent: didOut, doc: '--y names a column the panel does not have' },
  { id: 'did/treat-column-unknown', class: 'unknown-column', command: 'did', argv: withFlag(didArgs, '--treat', 'treated'), setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /P\.csv has no column "treated"; available columns: unit, year, D, y/, absent: didOut, doc: '--treat names a column the panel does not have' },
  { id: 'did/controls-column-unknown', class: 'unknown-column', command: 'did', argv: [...didArgs, '--controls', 'gdp'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /P\.csv has no column "gdp"; available columns: unit, year, D, y/, absent: didOut, doc: '--controls names a column the panel does not have' },
  { id: 'did/cluster-column-unknown', class: 'unknown-column', command: 'did', argv: [...didArgs, '--cluster', 'province'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /P\.csv has no column "province"; available columns: unit, year, D, y/, absent: didOut, doc: '--cluster names a column the panel does not have' },
  { id: 'did/panel-not-found', class: 'not-found', command: 'did', argv: withFlag(didArgs, '--panel', '{tmp}/nope.csv'), setup: {}, expectCode: 1,
    message: /cannot read \S+nope\.csv: file not found; check the path/, absent: didOut, doc: '--panel names a file that does not exist' },
  { id: 'did/panel-empty', class: 'empty', command: 'did', argv: didArgs, setup: { 'P.csv': '' }, expectCode: 1,
    message: /P\.csv is empty: a CSV panel needs a header row and data rows/, absent: didOut, doc: 'a 0-byte panel file' },
  { id: 'did/panel-is-json', class: 'wrong-format', command: 'did', argv: withFlag(didArgs, '--panel', '{tmp}/P.json'), setup: { 'P.json': JSON_TEXT }, expectCode: 1,
    message: /P\.json is not a CSV table: it looks like JSON/, absent: didOut, doc: 'JSON given as the panel' },
  { id: 'did/panel-parquet-corrupt', class: 'wrong-format', command: 'did', argv: withFlag(didArgs, '--panel', '{tmp}/P.parquet'), setup: { 'P.parquet': INEQ_PANEL }, expectCode: 1,
    message: /cannot read \S+P\.parquet as Parquet: .*; check that it is a Parquet file/, absent: didOut, doc: 'a CSV renamed .parquet' },
  { id: 'did/vcov-unknown', class: 'bad-value', command: 'did', argv: [...didArgs, '--vcov', 'hc3'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --vcov must be cr1, hc1 or iid, got "hc3"/, absent: didOut, doc: '--vcov hc3' },
  { id: 'did/ssc-unknown', class: 'bad-value', command: 'did', argv: [...didArgs, '--ssc', 'none'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --ssc must be nested or full, got "none"/, absent: didOut, doc: '--ssc none' },
  { id: 'did/cluster-three', class: 'bad-value', command: 'did', argv: [...didArgs, '--cluster', 'unit,year,D'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --cluster takes one or two column names, got "unit,year,D"/, absent: didOut, doc: 'three cluster variables' },
  { id: 'did/drop-malformed', class: 'bad-value', command: 'did', argv: [...didArgs, '--drop', 'unit'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --drop must look like column=value \(e\.g\. source=viirs_like\), got "unit"/, absent: didOut, doc: '--drop without =VAL' },
  { id: 'did/format-unknown', class: 'bad-value', command: 'did', argv: [...didArgs, '--format', 'html'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --format must be json, md, tex or csv, got "html"/, absent: didOut, doc: '--format html' },
  { id: 'did/table-unknown', class: 'bad-value', command: 'did', argv: [...didArgs, '--table', 'html'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    warning: /ntl: warning: --table is deprecated; use --format \(see docs\/flags\.md\)/,
    message: /ntl did: --format must be json, md, tex or csv, got "html"/, absent: didOut, doc: 'the old name --table (deprecated: a warning) with a format that does not exist' },
  { id: 'did/digits-text', class: 'bad-number', command: 'did', argv: [...didArgs, '--digits', 'three'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --digits must be a whole number 0–12, got "three"/, absent: didOut, doc: '--digits three' },
  { id: 'did/digits-too-many', class: 'bad-value', command: 'did', argv: [...didArgs, '--digits', '40'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --digits must be a whole number 0–12, got "40"/, absent: didOut, doc: '--digits 40' },
  { id: 'did/winsor-out-of-range', class: 'bad-value', command: 'did', argv: [...didArgs, '--winsor', '0.7'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --winsor must be < 0\.5, got "0\.7"/, absent: didOut, doc: '--winsor 0.7 (must be below 0.5)' },
  { id: 'did/winsor-text', class: 'bad-number', command: 'did', argv: [...didArgs, '--winsor', 'five'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --winsor must be a number, got "five"/, absent: didOut, doc: '--winsor five' },
  { id: 'did/y-transform-unknown', class: 'bad-value', command: 'did', argv: [...didArgs, '--y-transform', 'sqrt'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --y-transform must be one of none, log, log1p, ihs, winsor, got "sqrt"/, absent: didOut, doc: '--y-transform sqrt' },
  { id: 'did/time-type-text', class: 'bad-value', command: 'did', argv: [...didArgs, '--time-type', 'text'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --time-type text.*estimators order periods/, absent: didOut, doc: '--time-type text (estimators need numeric periods)' },
  { id: 'did/interact-malformed', class: 'bad-value', command: 'did', argv: [...didArgs, '--interact', 'D'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /--interact "D" must look like A:B \(product\) or A:i\.B/, absent: didOut, doc: '--interact without :B' },
  { id: 'did/unexpected-argument', class: 'usage', command: 'did', argv: [...didArgs, 'extra.csv'], setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: unexpected argument "extra\.csv"; see `ntl did --help`/, absent: didOut, doc: 'a stray argument after the flags' },
  { id: 'did/out-is-panel-dotted', class: 'output-is-input', command: 'did', argv: withFlag(didArgs, '--out', '{tmp}/./P.csv'), setup: { 'P.csv': didPanel() }, expectCode: 1,
    message: /ntl did: --out \S+P\.csv is the input --panel \S+P\.csv \(same file\)/, doc: '--out is the panel, written as ./P.csv' },
);

// ---------------------------------------------------------------------------------------------------------------
// Event study, placebo, PSM, spillover, Bacon, ATT: their own flags

const ES = BASES.eventstudy!;
const PL = BASES.placebo!;
const esOut = ['{tmp}/es.json', '{tmp}/es.png'];
add(
  { id: 'eventstudy/window-not-numbers', class: 'bad-number', command: 'eventstudy', argv: [...ES.argv, '--window', 'a,b'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: --window must be two whole numbers lo,hi with lo < hi \(e\.g\. -5,5\), got "a,b"/, absent: esOut, doc: '--window a,b' },
  { id: 'eventstudy/window-one-number', class: 'bad-value', command: 'eventstudy', argv: [...ES.argv, '--window', '5'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: --window must be two whole numbers lo,hi with lo < hi \(e\.g\. -5,5\), got "5"/, absent: esOut, doc: '--window 5 (one number)' },
  { id: 'eventstudy/window-reversed', class: 'bad-value', command: 'eventstudy', argv: [...ES.argv, '--window', '5,-5'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: --window must be two whole numbers lo, hi with lo < hi, got 5, -5/, absent: esOut, doc: '--window 5,-5 (lo > hi)' },
  { id: 'eventstudy/ref-text', class: 'bad-number', command: 'eventstudy', argv: [...ES.argv, '--ref', 'minus-one'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: --ref must be a number, got "minus-one"/, absent: esOut, doc: '--ref minus-one' },
  { id: 'eventstudy/ref-outside-window', class: 'bad-value', command: 'eventstudy', argv: [...ES.argv, '--window', '-2,2', '--ref', '-4'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: --ref must lie inside the window -2, 2, got -4/, absent: esOut, doc: '--ref outside --window' },
  { id: 'eventstudy/plot-gif', class: 'output-path', command: 'eventstudy', argv: [...ES.argv, '--plot', '{tmp}/es.gif'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: --plot \S+es\.gif: figures are written as PNG or SVG only \(not \.gif\); name it \S+es\.png or \S+es\.svg/, absent: ['{tmp}/es.json', '{tmp}/es.gif'], doc: '--plot x.gif' },
  { id: 'eventstudy/plot-is-panel', class: 'output-is-input', command: 'eventstudy', argv: [...withFlag(ES.argv, '--panel', '{tmp}/P.png'), '--plot', '{tmp}/P.png'], setup: { 'P.png': DID_PANEL }, expectCode: 1,
    message: /ntl eventstudy: --plot \S+P\.png is the input --panel \S+P\.png \(same file\)/, absent: ['{tmp}/es.json'], doc: '--plot names the --panel file' },
  { id: 'eventstudy/plot-twin-is-panel', class: 'output-is-input', command: 'eventstudy', argv: [...withFlag(ES.argv, '--panel', '{tmp}/P.svg'), '--plot', '{tmp}/P.png'], setup: { 'P.svg': DID_PANEL }, expectCode: 1,
    message: /ntl eventstudy: the SVG copy of --plot \S+P\.svg is the input --panel \S+P\.svg \(same file\)/, absent: ['{tmp}/es.json', '{tmp}/P.png'], doc: '--plot f.png while the panel is f.svg (figures are written as .png and .svg)' },
  { id: 'eventstudy/plot-twin-is-out', class: 'output-path', command: 'eventstudy', argv: [...withFlag(ES.argv, '--out', '{tmp}/es.svg'), '--plot', '{tmp}/es.png'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: the SVG copy of --plot \S+es\.svg is the same file as --out \S+es\.svg; give them two different file names/, absent: ['{tmp}/es.svg', '{tmp}/es.png'], doc: '--plot f.png and --out f.svg (the figure\'s SVG copy would replace the JSON)' },
  { id: 'eventstudy/plot-same-as-out', class: 'output-path', command: 'eventstudy', argv: [...withFlag(ES.argv, '--out', '{tmp}/es.svg'), '--plot', '{tmp}/es.svg'], setup: ES.setup, expectCode: 1,
    message: /ntl eventstudy: --plot \S+es\.svg is the same file as --out \S+es\.svg; give them two different file names/, absent: ['{tmp}/es.svg'], doc: '--plot and --out name the same file' },
  { id: 'eventstudy/cohort-column-unknown', class: 'unknown-column', command: 'eventstudy', argv: withFlag(ES.argv, '--cohort', 'first_treat'), setup: ES.setup, expectCode: 1,
    message: /P\.csv has no column "first_treat"; available columns: unit, year, cohort/, absent: esOut, doc: '--cohort names a column the panel does not have' },
  { id: 'eventstudy/cohort-not-constant', class: 'panel-content', command: 'eventstudy', argv: ES.argv,
    setup: { 'P.csv': 'unit,year,cohort,y\n1,2001,2003,1\n1,2002,2004,2\n1,2003,2003,3\n2,2001,0,1\n2,2002,0,1.5\n2,2003,0,2\n' }, expectCode: 1,
    message: /column "cohort" must be constant within a unit, but unit "1" has 2003 at \S+P\.csv line 2 and 2004 at \S+P\.csv line 3/, absent: esOut, doc: 'a unit whose --cohort value changes over time' },
  { id: 'placebo/draws-text', class: 'bad-number', command: 'placebo', argv: withFlag(PL.argv, '--draws', 'abc'), setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --draws must be a number, got "abc"/, absent: ['{tmp}/placebo.json'], doc: '--draws abc' },
  { id: 'placebo/draws-zero', class: 'bad-value', command: 'placebo', argv: withFlag(PL.argv, '--draws', '0'), setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --draws must be at least 1, got "0"/, absent: ['{tmp}/placebo.json'], doc: '--draws 0' },
  { id: 'placebo/draws-too-many', class: 'bad-value', command: 'placebo', argv: withFlag(PL.argv, '--draws', '5000000'), setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --draws must be at most 1000000, got "5000000"/, absent: ['{tmp}/placebo.json'], doc: '--draws 5000000 (at most 1000000)' },
  { id: 'placebo/draws-fraction', class: 'bad-value', command: 'placebo', argv: withFlag(PL.argv, '--draws', '2.5'), setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --draws must be a whole number, got "2\.5"/, absent: ['{tmp}/placebo.json'], doc: '--draws 2.5' },
  { id: 'placebo/threads-zero', class: 'bad-value', command: 'placebo', argv: withFlag(PL.argv, '--threads', '0'), setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --threads must be a whole number ≥ 1/, absent: ['{tmp}/placebo.json'], doc: '--threads 0' },
  { id: 'placebo/threads-text', class: 'bad-number', command: 'placebo', argv: withFlag(PL.argv, '--threads', 'all'), setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --threads must be a whole number ≥ 1/, absent: ['{tmp}/placebo.json'], doc: '--threads all' },
  { id: 'placebo/seed-text', class: 'bad-number', command: 'placebo', argv: [...PL.argv, '--seed', 'lucky'], setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --seed must be a (whole )?number, got "lucky"/, absent: ['{tmp}/placebo.json'], doc: '--seed lucky' },
  { id: 'placebo/mode-unknown', class: 'bad-value', command: 'placebo', argv: [...PL.argv, '--mode', 'shuffle'], setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --mode must be one of units, both, timing, got "shuffle"/, absent: ['{tmp}/placebo.json'], doc: '--mode shuffle' },
  { id: 'placebo/draws-with-timing', class: 'usage', command: 'placebo', argv: [...PL.argv, '--mode', 'timing'], setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --draws applies to --mode units and both; timing is one fake-date regression/, absent: ['{tmp}/placebo.json'], doc: '--draws with --mode timing' },
  { id: 'placebo/shift-without-timing', class: 'usage', command: 'placebo', argv: [...PL.argv, '--shift', '2'], setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --shift applies to --mode timing only/, absent: ['{tmp}/placebo.json'], doc: '--shift without --mode timing' },
  { id: 'placebo/interact', class: 'usage', command: 'placebo', argv: [...PL.argv, '--interact', 'D:x1'], setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --interact is not supported; the placebo replaces the treatment only/, absent: ['{tmp}/placebo.json'], doc: '--interact with placebo' },
  { id: 'placebo/plot-gif', class: 'output-path', command: 'placebo', argv: [...PL.argv, '--plot', '{tmp}/density.gif'], setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --plot \S+density\.gif: figures are written as PNG or SVG only \(not \.gif\)/, absent: ['{tmp}/placebo.json', '{tmp}/density.gif'], doc: '--plot x.gif' },
  { id: 'placebo/plot-is-panel', class: 'output-is-input', command: 'placebo', argv: [...withFlag(PL.argv, '--panel', '{tmp}/P.png'), '--plot', '{tmp}/P.png'], setup: { 'P.png': DID_PANEL }, expectCode: 1,
    message: /ntl placebo: --plot \S+P\.png is the input --panel \S+P\.png \(same file\)/, absent: ['{tmp}/placebo.json'], doc: '--plot names the --panel file' },
  { id: 'placebo/default-plot-is-panel', class: 'output-is-input', command: 'placebo', argv: [...withFlag(withFlag(PL.argv, '--panel', '{tmp}/r.png'), '--out', '{tmp}/r.json')], setup: { 'r.png': DID_PANEL }, expectCode: 1,
    message: /ntl placebo: the figure \(next to --out\) \S+r\.png is the input --panel \S+r\.png \(same file\)/, absent: ['{tmp}/r.json'], doc: 'the default figure next to --out would be the --panel file' },
  { id: 'psm-did/match-unknown', class: 'bad-value', command: 'psm-did', argv: [...BASES['psm-did']!.argv, '--match', 'radius'], setup: BASES['psm-did']!.setup, expectCode: 1,
    message: /ntl psm-did: --match must be kernel or nn, got "radius"/, absent: ['{tmp}/psm.json'], doc: '--match radius' },
  { id: 'psm-did/bandwidth-text', class: 'bad-number', command: 'psm-did', argv: [...BASES['psm-did']!.argv, '--bandwidth', 'wide'], setup: BASES['psm-did']!.setup, expectCode: 1,
    message: /ntl psm-did: --bandwidth must be a number, got "wide"/, absent: ['{tmp}/psm.json'], doc: '--bandwidth wide' },
  { id: 'psm-did/bandwidth-negative', class: 'bad-value', command: 'psm-did', argv: [...BASES['psm-did']!.argv, '--bandwidth', '-0.1'], setup: BASES['psm-did']!.setup, expectCode: 1,
    message: /ntl psm-did: --bandwidth must be > 0, got "-0\.1"/, absent: ['{tmp}/psm.json'], doc: '--bandwidth -0.1' },
  { id: 'psm-did/weights', class: 'usage', command: 'psm-did', argv: [...BASES['psm-did']!.argv, '--weights', 'w'], setup: BASES['psm-did']!.setup, expectCode: 1,
    message: /ntl psm-did: --weights cannot be combined with matching weights/, absent: ['{tmp}/psm.json'], doc: '--weights with matching' },
  { id: 'psm-did/covariate-unknown', class: 'unknown-column', command: 'psm-did', argv: withFlag(BASES['psm-did']!.argv, '--covariates', 'x1,gdp'), setup: BASES['psm-did']!.setup, expectCode: 1,
    message: /P\.csv has no column "gdp"; available columns:/, absent: ['{tmp}/psm.json'], doc: '--covariates names a column the panel does not have' },
  { id: 'spillover/exposure-unknown', class: 'unknown-column', command: 'spillover', argv: withFlag(BASES.spillover!.argv, '--exposure', 'neighbour'), setup: BASES.spillover!.setup, expectCode: 1,
    message: /P\.csv has no column "neighbour"; available columns:/, absent: ['{tmp}/spill.json'], doc: '--exposure names a column the panel does not have' },
  { id: 'spillover/exposure-all-zero', class: 'panel-content', command: 'spillover', argv: BASES.spillover!.argv,
    setup: { 'P.csv': 'unit,year,D,y,exposure\n1,2001,0,1,0\n1,2002,1,2,0\n2,2001,0,1,0\n2,2002,0,1.5,0\n3,2001,0,1,0\n3,2002,0,1.2,0\n' }, expectCode: 1,
    message: /P\.csv: exposure "exposure" is 0 for every never-treated unit; nothing to estimate/, absent: ['{tmp}/spill.json'], doc: 'an --exposure column that is 0 for every never-treated unit' },
  { id: 'bacon/treatment-not-binary', class: 'panel-content', command: 'bacon', argv: BASES.bacon!.argv,
    setup: { 'P.csv': 'id,year,y,d\na,2001,1,0\na,2002,2,0.5\nb,2001,1,0\nb,2002,1.5,0\n' }, expectCode: 1,
    message: /P\.csv: treatment of unit "a" at 2002 is 0\.5; it must be 0 or 1 \(column "d"\)/, absent: ['{tmp}/bacon.json'], doc: 'a treatment that is not 0/1' },
  { id: 'bacon/treatment-switches-off', class: 'panel-content', command: 'bacon', argv: BASES.bacon!.argv,
    setup: { 'P.csv': 'id,year,y,d\na,2001,1,0\na,2002,2,1\na,2003,2,0\nb,2001,1,0\nb,2002,1.5,0\nb,2003,1.7,0\n' }, expectCode: 1,
    message: /P\.csv: treatment of unit "a" switches off \(1 at 2002, 0 at 2003\); the decomposition needs an absorbing treatment/, absent: ['{tmp}/bacon.json'], doc: 'a treatment that turns off again (not absorbing)' },
  { id: 'bacon/unbalanced', class: 'panel-content', command: 'bacon', argv: BASES.bacon!.argv,
    setup: { 'P.csv': 'id,year,y,d\na,2001,1,0\na,2002,2,1\na,2003,2,1\nb,2001,1,0\nb,2002,1.5,0\n' }, expectCode: 1,
    message: /unbalanced panel: unit "b" has no row for year = 2003 \(2 units × 3 periods expected\); this estimator needs a balanced panel — drop the unit or fill the period/, absent: ['{tmp}/bacon.json'], doc: 'an unbalanced panel' },
  { id: 'bacon/format-unknown', class: 'bad-value', command: 'bacon', argv: [...BASES.bacon!.argv, '--format', 'xlsx'], setup: BASES.bacon!.setup, expectCode: 1,
    message: /ntl bacon: --format must be json, md, tex or csv, got "xlsx"/, absent: ['{tmp}/bacon.json'], doc: '--format xlsx' },
  { id: 'bacon/digits-text', class: 'bad-number', command: 'bacon', argv: [...BASES.bacon!.argv, '--digits', 'x'], setup: BASES.bacon!.setup, expectCode: 1,
    message: /ntl bacon: --digits must be a whole number 0–12, got "x"/, absent: ['{tmp}/bacon.json'], doc: '--digits x' },
  { id: 'att/method-unknown', class: 'bad-value', command: 'att', argv: [...BASES.att!.argv, '--method', 'did2s'], setup: BASES.att!.setup, expectCode: 1,
    message: /ntl att: --method must be cs or sunab, got "did2s"/, absent: ['{tmp}/att.json'], doc: '--method did2s' },
  { id: 'att/control-unknown', class: 'bad-value', command: 'att', argv: [...BASES.att!.argv, '--control', 'always'], setup: BASES.att!.setup, expectCode: 1,
    message: /ntl att: --control must be never, notyet \(cs\) or last \(sunab\), got "always"/, absent: ['{tmp}/att.json'], doc: '--control always' },
  { id: 'att/anticipation-text', class: 'bad-number', command: 'att', argv: [...BASES.att!.argv, '--anticipation', 'one'], setup: BASES.att!.setup, expectCode: 1,
    message: /ntl att: --anticipation must be a (whole )?number, got "one"/, absent: ['{tmp}/att.json'], doc: '--anticipation one' },
  { id: 'att/aggregate-unknown', class: 'bad-value', command: 'att', argv: [...BASES.att!.argv, '--aggregate', 'simple,yearly'], setup: BASES.att!.setup, expectCode: 1,
    message: /ntl att: --aggregate must be simple, dynamic, group or calendar, got "simple,yearly"/, absent: ['{tmp}/att.json'], doc: '--aggregate yearly' },
  { id: 'att/sunab-with-cs-flags', class: 'usage', command: 'att', argv: [...BASES.att!.argv, '--method', 'sunab', '--anticipation', '1'], setup: BASES.att!.setup, expectCode: 1,
    message: /ntl att: --anticipation, --base and --aggregate apply to --method cs only/, absent: ['{tmp}/att.json'], doc: '--anticipation with --method sunab' },
  { id: 'att/cohort-not-constant', class: 'panel-content', command: 'att', argv: BASES.att!.argv,
    setup: { 'P.csv': 'id,year,y,first_treat\na,2001,1,2002\na,2002,2,2003\nb,2001,1,0\nb,2002,1.5,0\n' }, expectCode: 1,
    message: /column "first_treat" must be constant within a unit, but unit "a" has 2002 at \S+P\.csv line 2 and 2003 at \S+P\.csv line 3/, absent: ['{tmp}/att.json'], doc: 'a cohort that changes within a unit' },
  { id: 'att/cohort-not-whole', class: 'panel-content', command: 'att', argv: BASES.att!.argv,
    setup: { 'P.csv': 'id,year,y,first_treat\na,2001,1,2002.5\na,2002,2,2002.5\nb,2001,1,0\nb,2002,1.5,0\n' }, expectCode: 1,
    message: /2002\.5, which is not a whole number/, absent: ['{tmp}/att.json'], doc: 'a cohort 2002.5 with --time-type integer' },
);

// ---------------------------------------------------------------------------------------------------------------
// exposure

const EX = BASES.exposure!;
add(
  { id: 'exposure/edges-not-found', class: 'not-found', command: 'exposure', argv: withFlag(EX.argv, '--edges', '{tmp}/nope.csv'), setup: EX.setup, expectCode: 1,
    message: /cannot read \S+nope\.csv: file not found; check the path/, absent: ['{tmp}/exposure.csv'], doc: '--edges names a file that does not exist' },
  { id: 'exposure/treated-not-found', class: 'not-found', command: 'exposure', argv: withFlag(EX.argv, '--treated', '{tmp}/nope.csv'), setup: EX.setup, expectCode: 1,
    message: /cannot read \S+nope\.csv: file not found; check the path/, absent: ['{tmp}/exposure.csv'], doc: '--treated names a file that does not exist' },
  { id: 'exposure/edges-wrong-columns', class: 'wrong-format', command: 'exposure', argv: EX.argv, setup: { ...EX.setup, 'edges.csv': INEQ_PANEL }, expectCode: 1,
    message: /edges\.csv has no column "id_a"; available columns: unit_id, parent_id, year, mean/, absent: ['{tmp}/exposure.csv'], doc: 'a panel CSV given as the edge list' },
  { id: 'exposure/edges-is-geojson', class: 'wrong-format', command: 'exposure', argv: withFlag(EX.argv, '--edges', '{tmp}/zones.geojson'), setup: { ...EX.setup, 'zones.geojson': ZONES }, expectCode: 1,
    message: /zones\.geojson: unknown neighbour file type; use an edge list \(\.csv\/\.parquet with id_a,id_b\), \.gal or \.gwt/, absent: ['{tmp}/exposure.csv'], doc: 'the boundary file given as the edge list' },
  { id: 'exposure/treated-empty', class: 'empty', command: 'exposure', argv: EX.argv, setup: { ...EX.setup, 'treated.csv': 'code,first_year\n' }, expectCode: 1,
    message: /treated\.csv lists no treated units; check the file/, absent: ['{tmp}/exposure.csv'], doc: 'a treated list with a header only' },
  { id: 'exposure/time-not-whole', class: 'panel-content', command: 'exposure', argv: EX.argv, setup: { ...EX.setup, 'treated.csv': 'code,first_year\nb,2010.5\n' }, expectCode: 1,
    message: /treated\.csv line 2: column "first_year" has "2010\.5", which is not a year; give the first treated year as a whole year \(2016\) or a date starting with it \(2016-03\)/, absent: ['{tmp}/exposure.csv'], doc: 'a first treated year 2010.5' },
  { id: 'exposure/time-not-a-number', class: 'panel-content', command: 'exposure', argv: EX.argv, setup: { ...EX.setup, 'treated.csv': 'code,first_year\nb,20x0\n' }, expectCode: 1,
    message: /treated\.csv line 2: column "first_year" has "20x0", which is not a year; give the first treated year as a whole year/, absent: ['{tmp}/exposure.csv'], doc: 'a first treated year 20x0' },
  { id: 'exposure/unit-twice', class: 'panel-content', command: 'exposure', argv: EX.argv, setup: { ...EX.setup, 'treated.csv': 'code,first_year\nb,2010\nb,2012\n' }, expectCode: 1,
    message: /treated\.csv line 3: unit b is listed twice with different years \(2010 on line 2, 2012 on line 3\); keep one row per unit, or, if the file is a policy list in waves .*pass --waves to treat each unit from its earliest year/,
    absent: ['{tmp}/exposure.csv'], doc: 'a treated unit listed twice with different years (a policy list in waves: --waves)' },
  { id: 'exposure/time-and-first-year', class: 'usage', command: 'exposure', argv: [...EX.argv, '--first-year', '2010'], setup: EX.setup, expectCode: 1,
    message: /ntl exposure: give either --time <column> \(each unit's first treated year\) or --first-year <year>/, absent: ['{tmp}/exposure.csv'], doc: 'both --time and --first-year' },
  { id: 'exposure/years-malformed', class: 'bad-value', command: 'exposure', argv: [...EX.argv, '--years', '2010..2012'], setup: EX.setup, expectCode: 1,
    message: /ntl exposure: --years must look like 2007-2022 or 2010,2012,2014, got "2010\.\.2012"/, absent: ['{tmp}/exposure.csv'], doc: '--years 2010..2012' },
  { id: 'exposure/years-reversed', class: 'bad-value', command: 'exposure', argv: [...EX.argv, '--years', '2012-2010'], setup: EX.setup, expectCode: 1,
    message: /ntl exposure: --years 2012-2010: the range ends before it starts/, absent: ['{tmp}/exposure.csv'], doc: '--years 2012-2010' },
  { id: 'exposure/order-three', class: 'bad-value', command: 'exposure', argv: [...EX.argv, '--order', '3'], setup: EX.setup, expectCode: 1,
    message: /ntl exposure: --order must be 1 or 2, got "3"/, absent: ['{tmp}/exposure.csv'], doc: '--order 3' },
  { id: 'exposure/first-year-text', class: 'bad-number', command: 'exposure', argv: [...without(EX.argv, '--time'), '--first-year', 'soon'], setup: EX.setup, expectCode: 1,
    message: /ntl exposure: --first-year must be a year, got "soon"/, absent: ['{tmp}/exposure.csv'], doc: '--first-year soon' },
  { id: 'exposure/time-type-continuous', class: 'bad-value', command: 'exposure', argv: [...EX.argv, '--time-type', 'continuous'], setup: EX.setup, expectCode: 1,
    message: /ntl exposure: --time-type continuous is not available here.*whole years/, absent: ['{tmp}/exposure.csv'], doc: '--time-type continuous (exposure builds a panel of whole years)' },
  { id: 'exposure/out-extension', class: 'output-path', command: 'exposure', argv: withFlag(EX.argv, '--out', '{tmp}/exposure.xlsx'), setup: EX.setup, expectCode: 1,
    message: /ntl exposure: --out \S+exposure\.xlsx: use a \.csv, \.parquet or \.dta file name/, absent: ['{tmp}/exposure.xlsx'], doc: '--out with an extension the command does not write' },
  { id: 'exposure/out-is-edges', class: 'output-is-input', command: 'exposure', argv: withFlag(EX.argv, '--out', '{tmp}/edges.csv'), setup: EX.setup, expectCode: 1,
    message: /ntl exposure: --out \S+edges\.csv is the input --edges \S+edges\.csv \(same file\)/, doc: '--out names the --edges file' },
  { id: 'exposure/unit-column-unknown', class: 'unknown-column', command: 'exposure', argv: withFlag(EX.argv, '--unit', 'county'), setup: EX.setup, expectCode: 1,
    message: /treated\.csv has no column "county"; available columns: code, first_year/, absent: ['{tmp}/exposure.csv'], doc: '--unit names a column the treated list does not have' },
);

// ---------------------------------------------------------------------------------------------------------------
// zonal: remote rasters, weighting rasters, --band all, Black Marble tiles

const zonalBad = (id: string, cls: BadInputCase['class'], extra: readonly string[], message: RegExp, doc: string): BadInputCase =>
  ({ id: `zonal/${id}`, class: cls, command: 'zonal', argv: [...Z.argv, ...extra], setup: Z.setup, expectCode: 1, message, absent: ['{tmp}/out.csv'], doc });
const BM_TILE = 'test/fixtures/blackmarble/VNP46A4.A2022001.h29v06.001.2023011214401.h5';
add(
  { id: 'zonal/raster-url-404', class: 'secrets-network', command: 'zonal', argv: withFlag(Z.argv, '--raster', '{server}/gone.tif'), setup: Z.setup, expectCode: 1,
    message: /http:\/\/127\.0\.0\.1:\d+\/gone\.tif: HTTP 404 for bytes 0\.\.16384: not found — check the URL \(the file may have moved\)/, absent: ['{tmp}/out.csv'], doc: '--raster is a URL the server does not have (404)' },
  { id: 'zonal/raster-url-unreachable', class: 'secrets-network', command: 'zonal', argv: withFlag(Z.argv, '--raster', 'http://127.0.0.1:9/r.tif'), setup: Z.setup, expectCode: 1,
    message: /http:\/\/127\.0\.0\.1:9\/r\.tif: reading the TIFF header \(bytes 0\.\.16384\) failed: cannot reach 127\.0\.0\.1:9 \(ECONNREFUSED\) \(gave up after 5 failed attempts\)[^]*download the file with `ntl fetch` \(or curl\)/,
    absent: ['{tmp}/out.csv'], doc: '--raster is a URL whose server cannot be reached (retried with backoff, then one error)' },
  { id: 'zonal/raster-url-no-range', class: 'secrets-network', command: 'zonal', argv: withFlag(Z.argv, '--raster', '{server}/files/2012.tif'), setup: Z.setup, expectCode: 1,
    message: /files\/2012\.tif cannot be read in place: the server ignores HTTP range requests \(it answered with the whole file \(\d+ bytes\)\)\. Download it first [^]*or pass --download-if-no-range/,
    absent: ['{tmp}/out.csv'], doc: '--raster is a URL on a server without Range support (without --download-if-no-range)' },
  { id: 'zonal/weights-elsewhere', class: 'geo', command: 'zonal', argv: [...Z.argv, '--stats', 'sum,weighted_sum,weight_sum', '--weights', '{tmp}/pop.tif'], setup: { ...Z.setup, 'pop.tif': { copy: 'test/fixtures/raster/uint8_deflate_tile_p1.tif' } }, expectCode: 1,
    message: /weighting raster \S+pop\.tif gives no weight to any of the 9 zones with values: it spans x 100\.\.109\.25, y 37\.125\.\.40 \(in the raster's CRS\)[^]*or pass --default-weight <w>/,
    absent: ['{tmp}/out.csv'], doc: '--weights is a raster that does not overlap the zones (every weighted statistic would be empty)' },
  { id: 'zonal/weights-other-crs', class: 'geo', command: 'zonal', argv: [...Z.argv, '--stats', 'weighted_mean', '--weights', '{tmp}/pop.tif'], setup: { ...Z.setup, 'pop.tif': { copy: 'test/fixtures/raster/crs_utm50n.tif' } }, expectCode: 1,
    message: /weighting raster \S+pop\.tif is in EPSG:32650 \(WGS 84 \/ UTM zone 50N\), but \S+r\.tif is in EPSG:4326 \(WGS 84\); [^]*Warp the weights onto the value raster's CRS first/,
    absent: ['{tmp}/out.csv'], doc: '--weights is a raster in another CRS (refused: warping weights would resample them)' },
  { id: 'zonal/weights-not-found', class: 'not-found', command: 'zonal', argv: [...Z.argv, '--stats', 'weighted_sum', '--weights', '{tmp}/pop.tif'], setup: Z.setup, expectCode: 1,
    message: /raster file not found: \S+pop\.tif\. Check the path/, absent: ['{tmp}/out.csv'], doc: '--weights names a file that does not exist' },
  zonalBad('weights-only-stat-without-weights', 'usage', ['--stats', 'sum,per_weight'], /per_weight needs a weighting raster; pass --weights <raster>/, '--stats per_weight (or weight_sum) without --weights'),
  zonalBad('weights-band-without-weights', 'usage', ['--weights-band', '2'], /ntl zonal: --weights-band applies to a weighting raster; pass --weights <raster> too/, '--weights-band without --weights'),
  zonalBad('band-out-of-range', 'bad-value', ['--band', '5'], /r\.tif has 1 band; band 5 does not exist \(bands are numbered 1\.\.1\)/, '--band 5 on a one-band raster'),
  zonalBad('band-all-single-band', 'bad-value', ['--band', 'all'], /--band all reads every band of a multi-band raster, but \S+r\.tif has one band; leave out --band/, '--band all on a one-band raster'),
  zonalBad('band-dates-without-all', 'usage', ['--band-dates', '{tmp}/dates.csv'], /--band-dates names the date of every band, so it needs --band all/, '--band-dates without --band all'),
  { id: 'zonal/bm-layer-missing', class: 'wrong-format', command: 'zonal', argv: withFlag(Z.argv, '--raster', '{tmp}/VNP46A4.A2022001.h29v06.001.2023011214401.h5'), setup: { ...Z.setup, 'VNP46A4.A2022001.h29v06.001.2023011214401.h5': { copy: BM_TILE } }, expectCode: 1,
    message: /VNP46A4\.A2022001\.h29v06\.001\.2023011214401\.h5 has no layer "NearNadir_Composite_Snow_Free" in HDFEOS\/GRIDS\/VIIRS_Grid_DNB_2d\/Data Fields; its layers are: AllAngle_Composite_Snow_Free, AllAngle_Composite_Snow_Free_Quality/,
    absent: ['{tmp}/out.csv'], doc: 'a Black Marble tile without the layer asked for (the default NearNadir composite)' },
  { id: 'zonal/bm-not-blackmarble', class: 'wrong-format', command: 'zonal', argv: withFlag(Z.argv, '--raster', '{tmp}/x.h5'), setup: { ...Z.setup, 'x.h5': { copy: 'test/fixtures/blackmarble/not-blackmarble.h5' } }, expectCode: 1,
    message: /x\.h5 is an HDF5 file but not a Black Marble VNP46A3\/VNP46A4 tile: it has no group "HDFEOS\/GRIDS\/VIIRS_Grid_DNB_2d\/Data Fields" \(its top level holds: science\)/,
    absent: ['{tmp}/out.csv'], doc: 'an HDF5 file without the Black Marble datasets given as a tile' },
  { id: 'zonal/bm-band-all', class: 'usage', command: 'zonal', argv: [...withFlag(Z.argv, '--raster', '{tmp}/VNP46A4.A2022001.h29v06.001.2023011214401.h5'), '--band', 'all'], setup: { ...Z.setup, 'VNP46A4.A2022001.h29v06.001.2023011214401.h5': { copy: BM_TILE } }, expectCode: 1,
    message: /--band all reads every band of one GeoTIFF; Black Marble tiles hold one layer per raster: choose it with --bm-layer/, absent: ['{tmp}/out.csv'], doc: '--band all on Black Marble tiles' },
  zonalBad('bm-options-on-geotiff', 'usage', ['--bm-layer', 'AllAngle'], /the Black Marble options \(layer, snow, quality\) apply to \.h5 tiles only, but \S+r\.tif is not one/, '--bm-layer on a GeoTIFF'),
);

// ---------------------------------------------------------------------------------------------------------------
// zonal and panel: numbers and choices

add(
  zonalBad('band-zero', 'bad-value', ['--band', '0'], /ntl zonal: --band must be a band number ≥ 1 \(or all\), got "0"/, '--band 0'),
  zonalBad('band-text', 'bad-number', ['--band', 'red'], /ntl zonal: --band must be a band number ≥ 1 \(or all\), got "red"/, '--band red'),
  zonalBad('threads-zero', 'bad-value', ['--threads', '0'], /ntl zonal: --threads must be a whole number ≥ 1, got "0"/, '--threads 0'),
  zonalBad('threads-text', 'bad-number', ['--threads', 'many'], /ntl zonal: --threads must be a whole number ≥ 1, got "many"/, '--threads many'),
  zonalBad('lit-threshold-text', 'bad-number', ['--lit-threshold', 'dark'], /ntl zonal: --lit-threshold must be a number, got "dark"/, '--lit-threshold dark'),
  zonalBad('stat-unknown', 'bad-value', ['--stats', 'sum,avg'], /--stats: unknown statistic "avg" in "sum,avg"; valid names: count, sum, mean/, '--stats names a statistic that does not exist'),
  zonalBad('quantile-out-of-range', 'bad-value', ['--stats', 'quantile:1.5'], /--stats: "quantile:1\.5" needs a quantile level between 0 and 1, e\.g\. quantile:0\.9/, '--stats quantile:1.5'),
  zonalBad('rule-unknown', 'bad-value', ['--rule', 'touching'], /ntl zonal: --rule must be exact or centre, got "touching"/, '--rule touching'),
  zonalBad('unexpected-argument', 'usage', ['extra.tif'], /ntl zonal: unexpected argument "extra\.tif"; see `ntl zonal --help`/, 'a stray argument'),
  { id: 'zonal/encoding-unknown', class: 'bad-value', command: 'zonal', argv: [...shpZonal, '--encoding', 'klingon'], setup: { ...Z.setup, ...SHP('gbk-nocpg', ['shp', 'shx', 'dbf', 'prj']) }, expectCode: 1,
    message: /unknown text encoding "klingon" \(--encoding\); use e\.g\. utf-8, gbk, gb18030/, absent: ['{tmp}/out.csv'], doc: '--encoding names an encoding that does not exist (shapefile without .cpg)' },
  { id: 'zonal/out-is-dbf', class: 'output-is-input', command: 'zonal', argv: [...shpZonal.slice(0, -2), '--out', '{tmp}/shp/changsha.dbf'], setup: { ...Z.setup, ...SHP('utf8-cpg', ['shp', 'shx', 'dbf', 'prj', 'cpg']) }, expectCode: 1,
    message: /ntl zonal: --out \S+changsha\.dbf is part of the input shapefile --zones \S+changsha\.shp \(its \.dbf\); choose another output path/, doc: '--out names the .dbf of the --zones shapefile' },
  { id: 'zonal/out-is-zones', class: 'output-is-input', command: 'zonal', argv: withFlag(Z.argv, '--out', '{tmp}/zones.geojson'), setup: Z.setup, expectCode: 1,
    message: /ntl zonal: --out \S+zones\.geojson is the input --zones \S+zones\.geojson \(same file\)/, doc: '--out names the --zones file' },
);

const P = BASES.panel!;
const panelBad = (id: string, cls: BadInputCase['class'], argv: readonly string[], message: RegExp, doc: string, setup = P.setup): BadInputCase =>
  ({ id: `panel/${id}`, class: cls, command: 'panel', argv, setup, expectCode: 1, message, absent: ['{tmp}/out'], doc });
add(
  panelBad('raster-spec-malformed', 'usage', withFlag(P.argv, '--raster', '{tmp}/r.tif'), /ntl panel: --raster "\S+r\.tif" is not of the form \[series:\]YEAR=FILE, e\.g\. viirs:2012=data\/2012\.tif/, '--raster without YEAR='),
  panelBad('raster-missing', 'usage', without(P.argv, '--raster'), /ntl panel: give at least one --raster \[series:\]YEAR=FILE/, 'no --raster'),
  panelBad('raster-year-twice', 'usage', [...P.argv, '--raster', '2012={tmp}/r.tif'], /ntl panel: two rasters for series ntl, year 2012; give one per year/, 'two rasters for one year'),
  panelBad('raster-not-found', 'not-found', withFlag(P.argv, '--raster', '2012={tmp}/nope.tif'), /file not found: \S+nope\.tif; check the path/, '--raster names a file that does not exist'),
  panelBad('raster-is-csv', 'wrong-format', P.argv, /r\.tif is not a GeoTIFF \(it does not start with the TIFF byte-order mark II or MM; it is text/, 'a CSV saved as the .tif', { ...P.setup, 'r.tif': INEQ_PANEL }),
  panelBad('zones-not-found', 'not-found', withFlag(P.argv, '--zones', '{tmp}/nope.geojson'), /file not found: \S+nope\.geojson; check the path/, '--zones names a file that does not exist'),
  panelBad('format-unknown', 'bad-value', [...P.argv, '--format', 'csv,xlsx'], /ntl panel: unknown format "xlsx" in --format; use csv, parquet, dta/, '--format csv,xlsx'),
  panelBad('map-stat-not-computed', 'bad-value', [...P.argv, '--stats', 'count,mean', '--map-stat', 'sum'], /ntl panel: --map-stat sum is not one of --stats/, '--map-stat of a statistic not computed'),
  panelBad('band-zero', 'bad-value', [...P.argv, '--band', '0'], /ntl panel: --band must be a band number ≥ 1, got "0"/, '--band 0'),
  panelBad('threads-zero', 'bad-value', [...P.argv, '--threads', '0'], /ntl panel: --threads must be a whole number ≥ 1, got "0"/, '--threads 0'),
  { ...panelBad('concurrency-zero', 'bad-value', [...without(P.argv, '--out'), '--out-dir', '{tmp}/out', '--concurrency', '0'], /ntl panel: --threads must be a whole number ≥ 1, got "0"/,
    'the old names --out-dir and --concurrency (deprecated: a warning each), --concurrency 0'),
  warning: /ntl: warning: --out-dir is deprecated; use --out \(see docs\/flags\.md\)\nntl: warning: --concurrency is deprecated; use --threads/ },
  panelBad('out-and-out-dir', 'usage', [...P.argv, '--out-dir', '{tmp}/out2'], /ntl panel: --out-dir is the old name of --out; give one of them/, 'an old flag name and its new name together (--out-dir with --out)'),
  panelBad('threads-text', 'bad-number', [...P.argv, '--threads', 'x'], /ntl panel: --threads must be a whole number ≥ 1, got "x"/, '--threads x'),
  panelBad('rule-unknown', 'bad-value', [...P.argv, '--rule', 'touching'], /ntl panel: --rule must be exact or centre, got "touching"/, '--rule touching'),
  panelBad('id-field-unknown', 'unknown-column', withFlag(P.argv, '--id', 'code'), /zones\.geojson has no field "code" for zone ids; available fields: Code_County/, '--id names a field the zones do not have'),
  { id: 'panel/out-is-file', class: 'output-path', command: 'panel', argv: withFlag(P.argv, '--out', '{tmp}/taken'), setup: { ...P.setup, taken: 'a file\n' }, expectCode: 1,
    message: /ntl panel: the output folder \S+taken is a file, not a folder; give a folder name/, doc: '--out names an existing file (panel writes a folder)' },
  { id: 'panel/out-holds-input', class: 'output-is-input', command: 'panel', argv: withFlag(withFlag(P.argv, '--out', '{tmp}'), '--zones', '{tmp}/panel.csv'), setup: { ...P.setup, 'panel.csv': ZONES }, expectCode: 1,
    message: /ntl panel: the output folder \S+ would overwrite the input entry panel\.csv \S+panel\.csv \(same file\) with its panel\.csv; choose another output folder/, doc: '--out is the folder of an input the panel would overwrite (panel.csv)' },
);

// ---------------------------------------------------------------------------------------------------------------
// calibrate

const C = BASES.calibrate!;
const calBad = (id: string, cls: BadInputCase['class'], argv: readonly string[], message: RegExp, doc: string, setup: Record<string, SetupFile> = C.setup, absent = ['{tmp}/out.tif']): BadInputCase =>
  ({ id: `calibrate/${id}`, class: cls, command: 'calibrate', argv, setup, expectCode: 1, message, absent, doc });
const apply = (fit: string): string[] => ['harmonise', '--apply', fit, '--input', '{tmp}/r.tif', '--out', '{tmp}/out.tif'];
const monthly = (...more: string[]): string[] => ['monthly', '--input', '{tmp}/r.tif', ...more];
const harmonise = (model: string, x: string, out: string): string[] => ['harmonise', '--model', model, '--pairs', '{tmp}/P.csv', '--x', x, '--y', 'mean', '--out', out];
const DATES = 'band,date\n1,2012-01-01\n';
add(
  calBad('input-not-found', 'not-found', withFlag(C.argv, '--input', '{tmp}/nope.tif'), /raster file not found: \S+nope\.tif/, '--input names a file that does not exist'),
  calBad('input-is-csv', 'wrong-format', C.argv, /r\.tif is not a GeoTIFF .*it is text/, 'a CSV saved as the --input .tif', { 'r.tif': INEQ_PANEL }),
  calBad('input-empty', 'empty', C.argv, /r\.tif is not a GeoTIFF \(the file is empty, 0 bytes/, 'a 0-byte --input', { 'r.tif': '' }),
  calBad('satellite-unknown', 'bad-value', withFlag(C.argv, '--satellite', 'F99'), /unknown DMSP satellite "F99"; DMSP-OLS composites come from F10, F12, F14, F15, F16, F18/, '--satellite F99'),
  calBad('year-not-in-table', 'bad-value', withFlag(C.argv, '--year', '1985'), /year 1985 is outside the DMSP-OLS V4 record \(1992–2013\); for later years use VIIRS/, '--year the calibration table does not cover'),
  calBad('year-text', 'bad-number', withFlag(C.argv, '--year', 'last'), /ntl calibrate intercalibrate: --year must be a year such as 1992, got "last"/, '--year last'),
  calBad('year-missing', 'usage', without(C.argv, '--year'), /ntl calibrate intercalibrate: --year is required; see `ntl calibrate intercalibrate --help`/, 'intercalibrate without --year'),
  calBad('table-unknown', 'bad-value', [...C.argv, '--table', 'elvidge2099'], /ntl calibrate intercalibrate: --table must be one of elvidge2014, elvidge2009, liu2012, wu2013, got "elvidge2099"/, '--table that does not exist'),
  calBad('out-type-unknown', 'bad-value', [...C.argv, '--out-type', 'int64'], /ntl calibrate intercalibrate: --out-type must be auto or one of float32, float64, uint8, int16, uint16, int32, got "int64"/, '--out-type int64'),
  calBad('zlib-level-out-of-range', 'bad-value', [...C.argv, '--zlib-level', '12'], /ntl calibrate intercalibrate: --zlib-level must be a whole number 1–9, got "12"/, '--zlib-level 12'),
  calBad('predictor-unknown', 'bad-value', [...C.argv, '--predictor', '4'], /ntl calibrate intercalibrate: --predictor must be 1, 2 or 3, got "4"/, '--predictor 4'),
  calBad('threads-negative', 'bad-value', [...C.argv, '--threads', '-1'], /ntl calibrate intercalibrate: --threads must be a whole number ≥ 0, got "-1"/, '--threads -1'),
  calBad('clamp-zero', 'bad-value', [...C.argv, '--clamp', '0'], /ntl calibrate intercalibrate: --clamp must be a number > 0, got "0"/, '--clamp 0'),
  calBad('composite-without-satellite', 'usage', ['composite', ...C.argv.slice(1), '--with', '{tmp}/r.tif'], /ntl calibrate composite: --with needs --with-satellite \(the second image's satellite, e\.g\. F12\)/, 'composite --with without --with-satellite'),
  calBad('out-is-composite', 'output-is-input', ['composite', ...withFlag(C.argv, '--out', '{tmp}/b.tif').slice(1), '--with', '{tmp}/b.tif', '--with-satellite', 'F15'], /ntl calibrate composite: --out \S+b\.tif is the input --with \S+b\.tif \(same file\)/, 'composite --out names the --with raster', { 'r.tif': RASTER, 'b.tif': RASTER }, []),
  calBad('apply-fit-not-json', 'wrong-format', apply('{tmp}/fit.json'), /fit\.json: cannot read the harmonisation fit \(Unexpected token .* is not valid JSON\); write one with ntl calibrate harmonise/, 'harmonise --apply: a fit that is not JSON', { 'r.tif': RASTER, 'fit.json': 'model: power\n' }),
  calBad('apply-fit-not-found', 'not-found', apply('{tmp}/fit.json'), /fit\.json: cannot read the harmonisation fit \(ENOENT/, 'harmonise --apply names a file that does not exist'),
  calBad('apply-fit-wrong-model', 'bad-value', apply('{tmp}/fit.json'), /fit\.json: "model" is "cubic", not one of loglinear, power, sigmoid; give the JSON that ntl calibrate harmonise wrote/, 'harmonise --apply: a fit with an unknown model', { 'r.tif': RASTER, 'fit.json': '{"model": "cubic", "params": {"a": 1}}\n' }),
  calBad('monthly-without-dates', 'usage', monthly('--year', '2012', '--out', '{tmp}/out.tif'), /ntl calibrate monthly: --dates is required; see `ntl calibrate monthly --help`/, 'monthly without --dates'),
  calBad('monthly-dates-not-found', 'not-found', monthly('--dates', '{tmp}/dates.csv', '--year', '2012', '--out', '{tmp}/out.tif'), /dates\.csv cannot be read; give the band → date table \(band,date\) with --dates/, '--dates names a file that does not exist'),
  calBad('monthly-dates-columns', 'wrong-format', monthly('--dates', '{tmp}/dates.csv', '--year', '2012', '--out', '{tmp}/out.tif'), /dates\.csv: needs columns band and date \(YYYY-MM-DD\); found unit_id, parent_id, year, mean/, '--dates without band and date columns', { 'r.tif': RASTER, 'dates.csv': INEQ_PANEL }),
  calBad('monthly-date-malformed', 'panel-content', monthly('--dates', '{tmp}/dates.csv', '--year', '2012', '--out', '{tmp}/out.tif'), /dates\.csv, row 3: date "2012\/02\/01" is not YYYY-MM-DD/, 'a date written 2012/02/01', { 'r.tif': RASTER, 'dates.csv': 'band,date\n1,2012-01-01\n2,2012/02/01\n' }),
  calBad('monthly-year-not-covered', 'bad-value', monthly('--dates', '{tmp}/dates.csv', '--year', '2015', '--out', '{tmp}/out.tif'), /dates\.csv lists no month of 2015; pick a year the cube covers/, '--year the monthly cube does not cover', { 'r.tif': RASTER, 'dates.csv': DATES }),
  calBad('out-is-dates', 'output-is-input', monthly('--dates', '{tmp}/dates.csv', '--year', '2012', '--out', '{tmp}/dates.csv'), /ntl calibrate monthly: --out \S+dates\.csv is the input --dates \S+dates\.csv \(same file\)/, 'monthly --out names the --dates table', { 'r.tif': RASTER, 'dates.csv': DATES }, []),
  calBad('report-arg-malformed', 'usage', ['report', '{tmp}/r.tif', '--out', '{tmp}/report'], /ntl calibrate report: "\S+r\.tif" is not YEAR=FILE or YEAR:SENSOR=FILE \(e\.g\. 2013:viirs=v2013\.tif\)/, 'report with an argument that is not YEAR=FILE', C.setup, ['{tmp}/report.csv', '{tmp}/report.png']),
  calBad('report-out-is-input', 'output-is-input', ['report', '2012={tmp}/report.png', '--out', '{tmp}/report'], /ntl calibrate report: --out \S+report\.png is the input 2012=\S+report\.png \(same file\)/, 'report whose .png output is an input raster', { 'report.png': RASTER }, ['{tmp}/report.csv']),
  calBad('continuity-out-holds-input', 'output-is-input', ['continuity', '--variant', 'sequential', '2012={tmp}/d/2012.tif', '2013={tmp}/d/r.tif', '--out', '{tmp}/d'], /ntl calibrate continuity: --out \S+d would overwrite the input 2012=\S+2012\.tif \(same file\) with its 2012\.tif; choose another output folder/, 'continuity into the folder of its inputs', { 'd/2012.tif': RASTER, 'd/r.tif': RASTER }, []),
  calBad('continuity-variant-unknown', 'bad-value', ['continuity', '--variant', 'forward', '2012={tmp}/r.tif', '2013={tmp}/r.tif', '--out', '{tmp}/cont'], /ntl calibrate continuity: --variant must be one of sequential, original, got "forward"/, 'continuity --variant forward', C.setup, ['{tmp}/cont']),
  calBad('harmonise-model-unknown', 'bad-value', harmonise('cubic', 'mean', '{tmp}/fit.json'), /ntl calibrate harmonise: --model must be one of loglinear, power, sigmoid, got "cubic"/, 'harmonise --model cubic', { 'P.csv': INEQ_PANEL }, ['{tmp}/fit.json']),
  calBad('harmonise-pairs-column-unknown', 'unknown-column', harmonise('power', 'viirs_sum', '{tmp}/fit.json'), /P\.csv has no column "viirs_sum"; available columns: unit_id, parent_id, year, mean/, '--x names a column the pairs table does not have', { 'P.csv': INEQ_PANEL }, ['{tmp}/fit.json']),
  calBad('harmonise-out-is-pairs', 'output-is-input', harmonise('power', 'mean', '{tmp}/P.csv'), /ntl calibrate harmonise: --out \S+P\.csv is the input --pairs \S+P\.csv \(same file\)/, 'harmonise --out names the --pairs table', { 'P.csv': INEQ_PANEL }, []),
  calBad('cap-percentile-out-of-range', 'bad-value', ['denoise', '--input', '{tmp}/r.tif', '--cap-percentile', '150', '--out', '{tmp}/out.tif'], /ntl calibrate denoise: --cap-percentile must be a percentile in \(0, 100\], got "150"/, '--cap-percentile 150'),
  calBad('threshold-negative', 'bad-value', ['denoise', '--input', '{tmp}/r.tif', '--threshold', '-1', '--out', '{tmp}/out.tif'], /ntl calibrate denoise: --threshold must be a number ≥ 0, got "-1"/, '--threshold -1'),
  calBad('seam-window-small', 'bad-value', ['seam', '--input', '{tmp}/r.tif', '--seam-window', '1', '--out', '{tmp}/out.tif'], /ntl calibrate seam: --seam-window must be a whole number ≥ 3, got "1"/, '--seam-window 1'),
  calBad('ndvi-other-grid', 'geo', [...without(C.argv, '--out'), '--ndvi', '{tmp}/ndvi.tif', '--threads', '0', '--out', '{tmp}/out.tif'], /ndvi\.tif \(--ndvi\) vs \S+r\.tif: the grids are shifted by .* resample one file onto the other grid first \(gdalwarp/, '--ndvi raster on another grid', { 'r.tif': RASTER, 'ndvi.tif': { copy: 'data/demo/viirs_like/2013_8bit_hunan.tif' } }),
  calBad('unexpected-argument', 'usage', [...C.argv, 'extra.tif'], /ntl calibrate intercalibrate: unexpected argument "extra\.tif"; see `ntl calibrate intercalibrate --help`/, 'a stray argument'),
  calBad('verb-unknown', 'usage', ['intercalibrat', ...C.argv.slice(1)], /ntl calibrate: unknown verb "intercalibrat"; verbs: intercalibrate, composite, /, 'a verb that does not exist (a typo)'),
  calBad('verb-after-flags', 'usage', [...C.argv.slice(1), 'intercalibrate'], /ntl calibrate: the verb comes first: ntl calibrate intercalibrate --input/, 'the verb given after the flags'),
  // the flag-style form of earlier releases still runs, through its verb, with a warning naming the verb form
  { ...calBad('legacy-year-text', 'bad-number', withFlag(C.argv.slice(1), '--year', 'last'), /ntl calibrate intercalibrate: --year must be a year such as 1992, got "last"/, 'the flag-style form (deprecated: a warning with the verb form to use) with --year last'),
    warning: /ntl: warning: flag-style `ntl calibrate --…` is deprecated and will be removed in the next release; use: ntl calibrate intercalibrate --input \S+r\.tif --satellite F18 --year last/ },
  { ...calBad('legacy-dmsp-like-wrong-model', 'bad-value', ['--dmsp-like', '{tmp}/fit.json', '--input', '{tmp}/r.tif', '--out', '{tmp}/out.tif'], /fit\.json: "model" is "cubic", not one of loglinear, power, sigmoid; give the JSON that ntl calibrate harmonise wrote/, 'the flag-style --dmsp-like (deprecated: runs as harmonise --apply) with a fit whose model is unknown', { 'r.tif': RASTER, 'fit.json': '{"model": "cubic", "params": {"a": 1}}\n' }),
    warning: /use: ntl calibrate harmonise --apply \S+fit\.json --input/ },
);

// ---------------------------------------------------------------------------------------------------------------
// Pipelines and manifests: a small project in {tmp} (one raster, nine counties), run in well under a second

const ZONES_FILE = 'test/fixtures/vector/changsha.geojson';
const MANIFEST = `manifest: 1
name: cat
entries:
  - id: zones
    kind: boundaries
    id_field: Code_County
    crs: EPSG:4326
    path: data/zones.geojson
    size: {size:${ZONES_FILE}}
    sha256: {sha256:${ZONES_FILE}}
    licence: test
    citation: test
  - id: r-2012
    sensor: harmonized
    year: 2012
    product: test
    path: data/r2012.tif
    size: {size:${DEMO_TIF}}
    sha256: {sha256:${DEMO_TIF}}
    licence: test
    citation: test
`;
const PIPELINE = `pipeline: 1
name: cat
manifests: [m.yaml]
boundaries: { entry: zones }
series:
  - name: lights
    entries: [r-2012]
years: [2012]
zonal: { stats: [count, sum, mean] }
outputs: { dir: out, formats: [csv] }
`;
const edit = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`catalogue: "${from}" not in the text`);
  return text.replace(from, to);
};
const project = (files: { pipeline?: string; manifest?: string } = {}): Record<string, SetupFile> => ({
  'ntl-project.yaml': '',
  'data/zones.geojson': { copy: ZONES_FILE },
  'data/r2012.tif': RASTER,
  'm.yaml': files.manifest ?? MANIFEST,
  'p.yaml': files.pipeline ?? PIPELINE,
});
const runBad = (id: string, cls: BadInputCase['class'], message: RegExp, doc: string, files: { pipeline?: string; manifest?: string } = {}, extra: readonly string[] = [], command = 'run'): BadInputCase =>
  ({ id: `${command}/${id}`, class: cls, command, argv: ['{tmp}/p.yaml', ...extra, ...(command === 'slurm' ? [] : ['--quiet'])], setup: project(files), expectCode: 1, message, absent: ['{tmp}/out'], doc });

add(
  { id: 'run/no-pipeline', class: 'usage', command: 'run', argv: ['--quiet'], setup: project(), expectCode: 1,
    message: /ntl run: give exactly one pipeline file, e\.g\. `ntl run pipelines\/hunan-demo\.yaml`/, absent: ['{tmp}/out'], doc: 'no pipeline file given' },
  { id: 'run/pipeline-not-found', class: 'not-found', command: 'run', argv: ['{tmp}/nope.yaml', '--quiet'], setup: project(), expectCode: 1,
    message: /nope\.yaml: cannot read pipeline spec: file not found; check the path/, absent: ['{tmp}/out'], doc: 'the pipeline file does not exist' },
  runBad('pipeline-empty', 'empty', /p\.yaml line 1: must be a mapping \(key: value lines\), not empty/, 'a 0-byte pipeline file', { pipeline: '' }),
  runBad('pipeline-is-csv', 'wrong-format', /p\.yaml line 1: must be a mapping \(key: value lines\), not 'unit_id,parent_id,year,mean/, 'a CSV table given as the pipeline', { pipeline: INEQ_PANEL }),
  runBad('yaml-syntax', 'yaml', /p\.yaml line 8: invalid YAML in pipeline spec: Flow sequence .*; fix the YAML syntax/, 'a YAML syntax error (unclosed bracket)', { pipeline: edit(PIPELINE, 'entries: [r-2012]', 'entries: [r-2012') }),
  runBad('yaml-tab-indent', 'yaml', /p\.yaml line 6: invalid YAML in pipeline spec: Tabs are not allowed as indentation; fix the YAML syntax/, 'a tab used for indentation', { pipeline: edit(PIPELINE, '  - name: lights', '\t- name: lights') }),
  runBad('yaml-duplicate-key', 'yaml', /p\.yaml line 3: invalid YAML in pipeline spec: Map keys must be unique; fix the YAML syntax/, 'a key given twice', { pipeline: edit(PIPELINE, 'name: cat\n', 'name: cat\nname: dog\n') }),
  runBad('yaml-unknown-key', 'yaml', /p\.yaml line 9: zonal\.stat unknown key 'stat' at zonal; check the spelling \(unknown keys are errors\)/, 'a misspelt key (stat for stats)', { pipeline: edit(PIPELINE, 'stats: [count', 'stat: [count') }),
  runBad('yaml-unknown-top-key', 'yaml', /p\.yaml line 11: concurency unknown key 'concurency' at the top level; check the spelling/, 'a misspelt top-level key', { pipeline: `${PIPELINE}concurency: 2\n` }),
  runBad('yaml-wrong-type', 'yaml', /p\.yaml line 11: concurrency must be a number, not 'two'/, 'a number written as text (concurrency: two)', { pipeline: `${PIPELINE}concurrency: two\n` }),
  runBad('yaml-years-text', 'yaml', /p\.yaml line 8: years must be a list of years \(\[2012, 2013\]\) or a range \(\{ from: 2012, to: 2022 \}\)/, 'years: twenty-twelve', { pipeline: edit(PIPELINE, 'years: [2012]', 'years: twenty-twelve') }),
  runBad('yaml-alias-bomb', 'yaml', /p\.yaml: invalid YAML in pipeline spec: Excessive alias count .*; remove the repeated \*alias references/, 'a "billion laughs" YAML alias bomb',
    { pipeline: `${PIPELINE}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n` }),
  runBad('yaml-js-tag', 'yaml', /p\.yaml line 2: name must start with a letter or digit/, 'a custom YAML tag (!!js/function) — never executed', { pipeline: edit(PIPELINE, 'name: cat', 'name: !!js/function "function () { return 1 }"') }),
  runBad('year-not-covered', 'pipeline', /p\.yaml line 8: years year 2013 is not covered by any series \(lights covers 2012\); drop it from years or add an entry for it/, 'a pipeline year no raster covers (2013)', { pipeline: edit(PIPELINE, 'years: [2012]', 'years: [2012, 2013]') }),
  runBad('entry-unknown', 'pipeline', /p\.yaml line 7: series\[0\]\.entries\[0\] names unknown entry 'r-2013': it is not in \S+m\.yaml; check the id, or record the file with `ntl manifest add`/, 'a series entry the manifest does not have', { pipeline: edit(PIPELINE, 'entries: [r-2012]', 'entries: [r-2013]') }),
  runBad('boundaries-entry-unknown', 'pipeline', /p\.yaml line 4: boundaries\.entry names unknown entry 'counties': it is not in \S+m\.yaml/, 'a boundaries entry the manifest does not have', { pipeline: edit(PIPELINE, 'entry: zones', 'entry: counties') }),
  runBad('stat-unknown', 'pipeline', /p\.yaml line 9: zonal\.stats\[2\] must be one of count, sum, mean/, 'zonal.stats names a statistic that does not exist', { pipeline: edit(PIPELINE, 'count, sum, mean', 'count, sum, avg') }),
  runBad('inequality-stat-not-computed', 'pipeline', /p\.yaml line 11: inequality\.value 'max' is not in zonal\.stats \(count, sum, mean\)/, 'inequality of a statistic the zonal step does not compute', { pipeline: `${PIPELINE}inequality: { value: max, group: prefecture }\n` }),
  runBad('format-unknown', 'pipeline', /p\.yaml line 10: outputs\.formats\[0\] must be one of csv, parquet, dta/, 'outputs.formats: [xlsx]', { pipeline: edit(PIPELINE, 'formats: [csv]', 'formats: [xlsx]') }),
  runBad('outputs-outside-project', 'manifest', /p\.yaml line 10: outputs\.dir '\.\.\/\.\.\/elsewhere' leads outside .*NTL_ALLOW_OUTSIDE_PATHS=1/, 'outputs.dir leaving the project folder (../../)', { pipeline: edit(PIPELINE, 'dir: out', 'dir: ../../elsewhere') }),
  runBad('manifest-not-found', 'not-found', /p\.yaml line 3: manifests\[0\] manifest file not found: \S+nope\.yaml; check the path \(it is relative to the pipeline file\)/, 'a manifest the pipeline names does not exist', { pipeline: edit(PIPELINE, 'manifests: [m.yaml]', 'manifests: [nope.yaml]') }),
  runBad('manifest-outside-project', 'manifest', /p\.yaml line 3: manifests\[0\] '\.\.\/\.\.\/m\.yaml' leads outside .*NTL_ALLOW_OUTSIDE_PATHS=1/, 'a manifest path leaving the project folder', { pipeline: edit(PIPELINE, 'manifests: [m.yaml]', 'manifests: [../../m.yaml]') }),
  runBad('manifest-absolute-path', 'manifest', /m\.yaml line 17: entries\[1\]\.path must be relative to the manifest file \(absolute paths make the manifest unportable\)/, 'an absolute path in the manifest', { manifest: edit(MANIFEST, 'path: data/r2012.tif', 'path: /data/r2012.tif') }),
  runBad('manifest-dotdot-path', 'manifest', /m\.yaml line 17: entries\[1\]\.path '\.\.\/\.\.\/\.\.\/etc\/passwd' leads outside .*NTL_ALLOW_OUTSIDE_PATHS=1/, 'a manifest path leaving the project (../../../etc/passwd)', { manifest: edit(MANIFEST, 'path: data/r2012.tif', 'path: ../../../etc/passwd') }),
  runBad('manifest-changed-file', 'manifest', /p\.yaml: 1 input file\(s\) differ from their manifest: r-2012: \S+r2012\.tif does not match its recorded sha256\. Restore the original files, or record the new ones deliberately with `ntl manifest add --replace`/, 'a raster changed after it was recorded (checksum)',
    { manifest: edit(MANIFEST, `sha256: {sha256:${DEMO_TIF}}`, 'sha256: ' + 'ab'.repeat(32)) }),
  runBad('manifest-size-differs', 'manifest', /r-2012: \S+r2012\.tif has 25488 bytes, the manifest says 25000\. Restore the original files/, 'a raster whose size differs from the record', { manifest: edit(MANIFEST, `size: {size:${DEMO_TIF}}`, 'size: 25000') }),
  runBad('manifest-file-missing', 'manifest', /r-2012: \S+r2012b\.tif is missing\. Download the missing files with `ntl fetch <its manifest> --for \S+p\.yaml`/, 'a manifest entry whose file is missing', { manifest: edit(MANIFEST, 'path: data/r2012.tif', 'path: data/r2012b.tif') }),
  runBad('manifest-template', 'manifest', /m\.yaml line 3: template is true: this manifest is a template .*cannot be used as input/, 'a template manifest (no checksums) used for a run', { manifest: edit(MANIFEST, 'name: cat\n', 'name: cat\ntemplate: true\n') }),
  runBad('manifest-unknown-key', 'yaml', /m\.yaml line 19: entries\[1\]\.sha265 unknown key 'sha265' at entries\[1\]; check the spelling/, 'a misspelt key in the manifest (sha265)', { manifest: edit(MANIFEST, `    sha256: {sha256:${DEMO_TIF}}`, `    sha265: {sha256:${DEMO_TIF}}`) }),
  runBad('manifest-wrong-type', 'yaml', /m\.yaml line 15: entries\[1\]\.year must be a whole year/, 'year: 2012.5 in the manifest', { manifest: edit(MANIFEST, 'year: 2012', 'year: 2012.5') }),
  runBad('manifest-yaml-syntax', 'yaml', /m\.yaml line 17: invalid YAML in manifest: .*; fix the YAML syntax/, 'a YAML syntax error in the manifest', { manifest: edit(MANIFEST, 'product: test', 'product: [test') }),
  runBad('manifest-duplicate-id', 'manifest', /m\.yaml line 13: entries\[1\]\.id 'zones' is already used by entries\[0\]; ids must be unique/, 'two manifest entries with one id', { manifest: edit(MANIFEST, 'id: r-2012', 'id: zones') }),
  runBad('threads-zero', 'bad-value', /ntl run: --threads must be a whole number ≥ 1, got "0"/, '--threads 0', {}, ['--threads', '0']),
  runBad('band-rows-text', 'bad-number', /ntl run: --band-rows must be a whole number of rows ≥ 1, got "many"/, '--band-rows many', {}, ['--band-rows', 'many']),
  runBad('shards-without-plan', 'usage', /ntl run: --shards N goes with --plan/, '--shards without --plan', {}, ['--shards', '2']),
  runBad('plan-and-shard', 'usage', /ntl run: --plan and --shard exclude each other/, '--plan with --shard', {}, ['--plan', '--shard', '1/2']),
  runBad('shard-malformed', 'bad-value', /--shard must be i\/N with 1 ≤ i ≤ N \(e\.g\. --shard 2\/8\), got "3\/2"/, '--shard 3/2 (shard after the last)', {}, ['--shard', '3/2']),
  runBad('data-dir-missing', 'not-found', /ntl run: --data-dir \S+nowhere: no such folder; check the path/, '--data-dir names a folder that does not exist', {}, ['--data-dir', '{tmp}/nowhere']),
  runBad('data-dir-is-file', 'wrong-format', /ntl run: --data-dir \S+m\.yaml is a file, not a folder/, '--data-dir names a file', {}, ['--data-dir', '{tmp}/m.yaml']),
  { ...runBad('out-is-file', 'output-path', /ntl run: the output folder \S+out-file is a file, not a folder; give a folder name/, '--out names an existing file', {}, ['--out', '{tmp}/out-file']), setup: { ...project(), 'out-file': 'x\n' } },
  { ...runBad('out-holds-input', 'output-is-input', /ntl run: the output folder \S+data would overwrite the input entry r-2012 \S+run\.json \(same file\) with its run\.json; choose another output folder/, '--out is the data folder, which holds an input the run would overwrite', {}, ['--out', '{tmp}/data']),
    setup: { ...project({ manifest: edit(MANIFEST, 'path: data/r2012.tif', 'path: data/run.json') }), 'data/run.json': RASTER }, absent: [] },
  runBad('unexpected-argument', 'usage', /ntl run: give exactly one pipeline file/, 'two pipeline files', {}, ['{tmp}/m.yaml']),
  runBad('no-shards-to-merge', 'pipeline', /p\.yaml: 1 of 1 work units have no result in \S+\.shards: lights 2012 .* Run the shards that hold them again/, 'ntl merge before any shard ran', {}, [], 'merge'),
  runBad('threads-zero', 'bad-value', /ntl merge: --threads must be a whole number ≥ 1, got "0"/, '--threads 0', {}, ['--threads', '0'], 'merge'),
  runBad('yaml-syntax', 'yaml', /p\.yaml line 8: invalid YAML in pipeline spec: .*; fix the YAML syntax/, 'a YAML syntax error', { pipeline: edit(PIPELINE, 'entries: [r-2012]', 'entries: [r-2012') }, [], 'merge'),
  runBad('shards-missing', 'usage', /ntl slurm: --shards N is required \(e\.g\. --shards 16\)/, 'no --shards', {}, [], 'slurm'),
  runBad('shards-zero', 'bad-value', /ntl slurm: --shards must be a whole number ≥ 1, got "0"/, '--shards 0', {}, ['--shards', '0'], 'slurm'),
  runBad('cpus-text', 'bad-number', /ntl slurm: --cpus must be a whole number ≥ 1, got "all"/, '--cpus all', {}, ['--shards', '2', '--cpus', 'all'], 'slurm'),
  runBad('year-not-covered', 'pipeline', /p\.yaml line 8: years year 2013 is not covered by any series \(lights covers 2012\)/, 'a pipeline year no raster covers', { pipeline: edit(PIPELINE, 'years: [2012]', 'years: [2012, 2013]') }, ['--shards', '2', '--dry-run'], 'slurm'),
  { ...runBad('no-sbatch', 'usage', /ntl slurm: \S*sbatch was not found; run on a Slurm login node \(or use --dry-run to only write the scripts\); nothing was written/, 'submitting where there is no sbatch', {}, ['--shards', '2'], 'slurm'),
    env: { NTL_SBATCH: '{tmp}/no-such-sbatch' } },
);
{
  for (const command of ['run', 'merge', 'slurm'] as const) {
    add({ id: `${command}/unknown-flag`, class: 'usage', command, argv: ['{tmp}/p.yaml', '--bogus-flag'], setup: project(), expectCode: 1,
      message: new RegExp(`ntl ${command}: Unknown option '--bogus-flag'.*see \`ntl ${command} --help\``), absent: ['{tmp}/out'], doc: 'a flag the command does not know' });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ntl manifest verify / add

const MF = (name: string): SetupFile => ({ copy: `test/fixtures/manifest/${name}` });
const manifestFiles: Record<string, SetupFile> = {
  'ntl-project.yaml': '', 'files/r2012.bin': MF('files/r2012.bin'), 'files/r2013.bin': MF('files/r2013.bin'),
  'files/units.geojson': MF('files/units.geojson'), 'files/xw.csv': MF('files/xw.csv'),
};
const verify = (id: string, cls: BadInputCase['class'], fixture: string | SetupFile, message: RegExp, doc: string, extra: readonly string[] = []): BadInputCase => ({
  id: `manifest/verify-${id}`, class: cls, command: 'manifest', argv: ['verify', '{tmp}/m.yaml', ...extra],
  setup: { ...manifestFiles, 'm.yaml': typeof fixture === 'string' && !fixture.includes('\n') ? MF(fixture) : fixture }, expectCode: 1, message, doc,
});
add(
  { id: 'manifest/subcommand-unknown', class: 'usage', command: 'manifest', argv: ['check', 'm.yaml'], expectCode: 1, message: /ntl manifest: unknown subcommand "check"; use verify or add \(see `ntl manifest --help`\)/, doc: 'a subcommand that does not exist' },
  { id: 'manifest/verify-no-file', class: 'usage', command: 'manifest', argv: ['verify'], expectCode: 2, message: /ntl manifest verify: give at least one manifest file, e\.g\. `ntl manifest verify data-manifests\/demo\.yaml`/, doc: 'verify without a manifest' },
  { id: 'manifest/verify-not-found', class: 'not-found', command: 'manifest', argv: ['verify', '{tmp}/nope.yaml'], expectCode: 1, message: /nope\.yaml: cannot read manifest: file not found; check the path/, doc: 'the manifest does not exist' },
  verify('empty', 'empty', 'empty.yaml', /m\.yaml line 1: must be a mapping \(key: value lines\), not empty/, 'a manifest with only a comment'),
  verify('syntax', 'yaml', 'syntax.yaml', /m\.yaml line \d+: invalid YAML in manifest: .*; fix the YAML syntax/, 'a YAML syntax error'),
  verify('duplicate-key', 'yaml', 'dup-key.yaml', /m\.yaml line 3: invalid YAML in manifest: Map keys must be unique/, 'a key given twice'),
  verify('unknown-key', 'yaml', 'unknown-key.yaml', /m\.yaml line 11: entries\[0\]\.citaton unknown key 'citaton' at entries\[0\]; check the spelling/, 'a misspelt key (citaton)'),
  verify('wrong-types', 'yaml', 'types.yaml', /m\.yaml line 4: entries\[0\]\.id must be text, not 2012 \(quote it: '2012'\)\n\S+m\.yaml line 8: entries\[0\]\.size must be a number, not 'big'\n\S+m\.yaml line 6: entries\[0\]\.year must be a whole year/, 'wrong types: id 2012, year 2012.5, size big'),
  verify('duplicate-id', 'manifest', 'duplicate-id.yaml', /m\.yaml line 12: entries\[1\]\.id 'ras' is already used by entries\[0\]; ids must be unique/, 'two entries with one id'),
  verify('bad-sha', 'manifest', 'bad-sha.yaml', /m\.yaml line 17: entries\[1\]\.sha256 must be 64 hex characters \(the sha256 of the file\)/, 'a sha256 that is not 64 hex digits'),
  verify('checksum-mismatch', 'manifest', edit(readFixture('test/fixtures/manifest/good.yaml'), 'sha256: ab909dc2ec14c7d9a33d24c65d0e4e63ea63c4c08aa59296f0cce4a21e089bf4', 'sha256: ab919dc2ec14c7d9a33d24c65d0e4e63ea63c4c08aa59296f0cce4a21e089bf4'),
    /m\.yaml: 1 of 4 file\(s\) failed verification:\n {2}- ras-2012: checksum mismatch: files\/r2012\.bin has sha256 ab909dc2\w+, the manifest records ab919dc2\w+: they first differ at character 4 [^]*re-download the listed files, or run `ntl manifest add`/, 'a file whose sha256 differs from the record (one digit)'),
  verify('size-mismatch', 'manifest', edit(readFixture('test/fixtures/manifest/good.yaml'), 'size: 18', 'size: 20'),
    /m\.yaml: 1 of 4 file\(s\) failed verification:\n {2}- ras-2013: size mismatch: files\/r2013\.bin is 18 bytes, the manifest records 20 \(2 bytes fewer — an interrupted download or a truncated copy\?\)/, 'a file 2 bytes shorter than recorded'),
  verify('file-missing', 'manifest', edit(readFixture('test/fixtures/manifest/good.yaml'), 'path: files/xw.csv', 'path: files/xw2.csv'),
    /m\.yaml: 1 of 4 file\(s\) failed verification:\n {2}- xw: missing: files\/xw2\.csv not found[^]*`ntl fetch \S+m\.yaml` downloads missing files/, 'a recorded file that is not there'),
  verify('absolute-path', 'manifest', edit(readFixture('test/fixtures/manifest/good.yaml'), 'path: files/xw.csv', 'path: /etc/hostname'),
    /m\.yaml line 39: entries\[3\]\.path must be relative to the manifest file \(absolute paths make the manifest unportable\)/, 'an absolute path'),
  verify('dotdot-path', 'manifest', edit(readFixture('test/fixtures/manifest/good.yaml'), 'path: files/xw.csv', 'path: ../../../etc/hostname'),
    /m\.yaml line 39: entries\[3\]\.path '\.\.\/\.\.\/\.\.\/etc\/hostname' leads outside \S+ \(through '\.\.'\); keep data inside the project folder/, 'a path leaving the project (../)'),
  { id: 'manifest/verify-template', class: 'manifest', command: 'manifest', argv: ['verify', '{tmp}/t.yaml'], setup: { 't.yaml': { copy: 'data-manifests/templates/eog-vnl-v2-annual.yaml' } }, expectCode: 1,
    message: /t\.yaml: is a template \(template: true\): it names 11 official file\(s\) but records no checksums, so there is nothing to verify; .*ntl manifest add <your\.yaml> --from-template/, doc: 'verify a template (nothing recorded to verify)' },
  verify('data-dir-missing', 'not-found', 'good.yaml', /ntl manifest verify: --data-dir \S+nowhere: no such folder; check the path/, '--data-dir names a folder that does not exist', ['--data-dir', '{tmp}/nowhere']),
  verify('is-csv', 'wrong-format', INEQ_PANEL, /m\.yaml line 1: must be a mapping \(key: value lines\), not 'unit_id/, 'a CSV table given as the manifest'),
  verify('unknown-flag', 'usage', 'good.yaml', /ntl manifest verify: Unknown option '--bogus-flag'/, 'a flag verify does not know', ['--bogus-flag']),
);

const addArgs = ['add', '{tmp}/m.yaml', '--file', '{tmp}/data/r.tif', '--id', 'r-2012', '--sensor', 'harmonized', '--year', '2012'];
const addBad = (id: string, cls: BadInputCase['class'], argv: readonly string[], message: RegExp, doc: string, setup: Record<string, SetupFile> = { 'ntl-project.yaml': '', 'data/r.tif': RASTER }): BadInputCase =>
  // `ntl manifest add` with nothing after it is a usage error of ntl itself (exit 2)
  ({ id: `manifest/add-${id}`, class: cls, command: 'manifest', argv, setup, expectCode: argv.length === 1 ? 2 : 1, message, absent: 'm.yaml' in setup ? [] : ['{tmp}/m.yaml'], doc });
add(
  addBad('no-manifest', 'usage', ['add'], /ntl manifest add: give the manifest file first/, 'add without a manifest'),
  addBad('file-not-found', 'not-found', withFlag(addArgs, '--file', '{tmp}/data/nope.tif'), /cannot add \S+nope\.tif: no such file; check the path/, '--file names a file that does not exist'),
  addBad('missing-fields', 'usage', without(without(addArgs, '--sensor'), '--year'), /ntl manifest add: missing --sensor, --year \(required for a raster entry\)/, 'a raster entry without --sensor and --year'),
  addBad('kind-unknown', 'bad-value', [...addArgs, '--kind', 'vector'], /ntl manifest add: --kind must be one of raster, boundaries, table, got "vector"/, '--kind vector'),
  addBad('satellite-unknown', 'bad-value', [...addArgs, '--satellite', 'F22'], /ntl manifest add: --satellite must be one of F10.*got "F22"/, '--satellite F22'),
  addBad('year-text', 'bad-number', withFlag(addArgs, '--year', 'twenty'), /ntl manifest add: --year must be a whole year, e\.g\. 2012, got "twenty"/, '--year twenty'),
  addBad('month-out-of-range', 'bad-value', [...addArgs, '--month', '13'], /ntl manifest add: --month must be a month 1-12, got "13"/, '--month 13'),
  addBad('file-and-glob', 'usage', [...addArgs, '--glob', '{tmp}/data/*.tif'], /ntl manifest add: give --file \(one file\) or --glob \(many\), not both/, '--file and --glob together'),
  addBad('glob-expanded', 'usage', ['add', '{tmp}/m.yaml', '--glob', '{tmp}/data/a.tif', '{tmp}/data/b.tif', '--year-from-name', '--sensor', 'harmonized'], /ntl manifest add: unexpected argument "\S+b\.tif": the shell expanded the --glob pattern into file names; put the pattern in quotes/, 'an unquoted --glob the shell expanded'),
  addBad('glob-no-match', 'not-found', ['add', '{tmp}/m.yaml', '--glob', '{tmp}/data/*.nc', '--year-from-name', '--sensor', 'harmonized'], /ntl manifest add: --glob '\S+\*\.nc' matches no file in \S+; check the pattern/, '--glob that matches no file'),
  addBad('year-from-name-none', 'bad-value', ['add', '{tmp}/m.yaml', '--glob', '{tmp}/data/*.tif', '--year-from-name', '--sensor', 'harmonized'], /cannot add \S+r\.tif to \S+m\.yaml: no 4-digit year \(1970–2100\) in the file name "r\.tif"; rename the file/, '--year-from-name on a file name without a year'),
  addBad('id-exists', 'manifest', withFlag(addArgs, '--id', 'zones'), /m\.yaml line 4: entry 'zones' already exists; choose another id, or pass --replace/, 'an id the manifest already has (no --replace)',
    { ...project(), 'data/r.tif': RASTER }),
  addBad('outside-project', 'manifest', ['add', '{tmp}/proj/m.yaml', '--file', '{tmp}/outside.tif', '--id', 'r', '--sensor', 'harmonized', '--year', '2012'], /cannot add \S+outside\.tif to \S+m\.yaml: its path from the manifest, '\.\.\/outside\.tif', leads outside \S+proj \(through '\.\.'\)[^]*NTL_ALLOW_OUTSIDE_PATHS=1/, 'a file outside the project folder',
    { 'proj/ntl-project.yaml': '', 'outside.tif': RASTER }),
  addBad('manifest-is-csv', 'wrong-format', addArgs, /m\.yaml line 1: must be a mapping \(key: value lines\), not 'unit_id/, 'the manifest to add to is a CSV table', { 'ntl-project.yaml': '', 'data/r.tif': RASTER, 'm.yaml': INEQ_PANEL }),
  addBad('manifest-yaml-syntax', 'yaml', addArgs, /m\.yaml line 4: invalid YAML in manifest: .*; fix the YAML syntax/, 'the manifest to add to has a YAML syntax error', { 'ntl-project.yaml': '', 'data/r.tif': RASTER, 'm.yaml': 'manifest: 1\nname: x\nentries: [\n' }),
  addBad('file-is-manifest', 'output-is-input', withFlag(addArgs, '--file', '{tmp}/m.yaml'), /ntl manifest add: the manifest \S+m\.yaml is the input --file \S+m\.yaml \(same file\); choose another output path/, '--file names the manifest being written', { 'ntl-project.yaml': '', 'm.yaml': 'manifest: 1\nname: x\nentries: []\n' }),
  addBad('template-entry-unknown', 'manifest', ['add', '{tmp}/m.yaml', '--file', '{tmp}/data/r.tif', '--from-template', '{tmp}/t.yaml'], /t\.yaml: no template entry matches the file name r\.tif; give --id with one of the template's ids \(vnl-v2-2012/, '--from-template with no entry for this file',
    { 'ntl-project.yaml': '', 'data/r.tif': RASTER, 't.yaml': { copy: 'data-manifests/templates/eog-vnl-v2-annual.yaml' } }),
);

// ---------------------------------------------------------------------------------------------------------------
// ntl fetch: flags, tokens, and downloads from the loopback server

const fetchManifest = (url: string, extra = ''): string => `manifest: 1
name: f
entries:
  - id: r-2012
    sensor: harmonized
    year: 2012
    path: data/r2012.tif
    url: ${url}
    size: {size:${DEMO_TIF}}
    sha256: {sha256:${DEMO_TIF}}
    licence: test
    citation: test
${extra}`;
const fetchBad = (id: string, cls: BadInputCase['class'], argv: readonly string[], message: RegExp, doc: string, manifest = fetchManifest('{server}/files/2012.tif'), env?: Record<string, string | undefined>): BadInputCase =>
  ({ id: `fetch/${id}`, class: cls, command: 'fetch', argv, setup: { 'ntl-project.yaml': '', 'm.yaml': manifest }, env: { NTL_FETCH_BACKOFF_MS: '1', NTL_EOG_TOKEN: undefined, NTL_EOG_TOKEN_FILE: undefined, ...env },
    expectCode: argv.length === 0 ? 2 : 1, message, absent: ['{tmp}/data/r2012.tif'], doc });
add(
  fetchBad('token-flag', 'secrets-network', ['{tmp}/m.yaml', '--token', 'abc123secret'], /ntl fetch: the token is never taken from the command line; set NTL_EOG_TOKEN or NTL_EOG_TOKEN_FILE instead/, '--token on the command line'),
  fetchBad('token-equals', 'secrets-network', ['{tmp}/m.yaml', '--token=abc123secret'], /ntl fetch: the token is never taken from the command line/, '--token=… on the command line'),
  fetchBad('token-file-missing', 'secrets-network', ['{tmp}/m.yaml'], /NTL_EOG_TOKEN_FILE names \S+no-token: file not found/, 'NTL_EOG_TOKEN_FILE names a file that does not exist', undefined, { NTL_EOG_TOKEN_FILE: '{tmp}/no-token' }),
  fetchBad('no-manifest', 'usage', [], /ntl fetch: give exactly one manifest file/, 'no manifest given'),
  fetchBad('manifest-not-found', 'not-found', ['{tmp}/nope.yaml'], /nope\.yaml: cannot read manifest: file not found; check the path/, 'the manifest does not exist'),
  fetchBad('threads-zero', 'bad-value', ['{tmp}/m.yaml', '--threads', '0'], /ntl fetch: --threads must be a whole number 1-16, got "0"/, '--threads 0'),
  { ...fetchBad('jobs-zero', 'bad-value', ['{tmp}/m.yaml', '--jobs', '0'], /ntl fetch: --threads must be a whole number 1-16, got "0"/, 'the old name --jobs (deprecated: a warning), --jobs 0'),
    warning: /ntl: warning: --jobs is deprecated; use --threads \(see docs\/flags\.md\)/ },
  fetchBad('retries-too-many', 'bad-value', ['{tmp}/m.yaml', '--retries', '50'], /ntl fetch: --retries must be a whole number 0-20, got "50"/, '--retries 50'),
  fetchBad('timeout-negative', 'bad-value', ['{tmp}/m.yaml', '--timeout', '-5'], /ntl fetch: --timeout must be a number of seconds > 0, got "-5"/, '--timeout -5'),
  fetchBad('max-size-text', 'bad-number', ['{tmp}/m.yaml', '--max-size', '2GB'], /ntl fetch: --max-size must be a whole number of bytes > 0, got "2GB"/, '--max-size 2GB'),
  fetchBad('record-and-record-to', 'usage', ['{tmp}/m.yaml', '--record', '--record-to', '{tmp}/n.yaml'], /ntl fetch: use --record or --record-to, not both/, '--record with --record-to'),
  fetchBad('dest-and-data-dir', 'usage', ['{tmp}/m.yaml', '--dest', '{tmp}/a', '--data-dir', '{tmp}/b'], /ntl fetch: --dest is the old name of --data-dir; give one of them/, '--dest with --data-dir'),
  fetchBad('mirror-not-found', 'not-found', ['{tmp}/m.yaml', '--mirror', '{tmp}/no-mirror'], /ntl fetch: --mirror \S+no-mirror is neither a URL nor an existing folder/, '--mirror names a folder that does not exist'),
  fetchBad('mirror-ftp', 'bad-value', ['{tmp}/m.yaml', '--mirror', 'ftp://example.org/ntl/'], /ntl fetch: --mirror ftp:\/\/example\.org\/ntl\/: only http, https and file URLs \(or a local folder\) are supported/, '--mirror ftp://'),
  fetchBad('unknown-flag', 'usage', ['{tmp}/m.yaml', '--bogus-flag'], /ntl fetch: Unknown option '--bogus-flag'/, 'a flag fetch does not know'),
  fetchBad('html-page', 'secrets-network', ['{tmp}/m.yaml', '--retries', '0'], /1 of 1 file\(s\) could not be fetched:\n {2}- fetch r-2012 \(\S+m\.yaml line 4\): the download from http:\/\/127\.0\.0\.1:\d+\/login\.tif is an HTML page, not the file; nothing was saved or recorded[^]*NTL_EOG_TOKEN=<token>/, 'the server sends an HTML login page instead of the GeoTIFF', fetchManifest('{server}/login.tif')),
  fetchBad('http-404', 'secrets-network', ['{tmp}/m.yaml', '--retries', '0'], /fetch r-2012 \(\S+m\.yaml line 4\): HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/gone\.tif: the product moved: check the manifest URL/, 'the file is not on the server (404)', fetchManifest('{server}/gone.tif')),
  fetchBad('http-401', 'secrets-network', ['{tmp}/m.yaml', '--retries', '0'], /HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/private\.tif: token missing or expired \(no token was found \(NTL_EOG_TOKEN \/ NTL_EOG_TOKEN_FILE not set\)\); log in at eogdata\.mines\.edu/, 'the server wants a login (401)', fetchManifest('{server}/private.tif')),
  fetchBad('checksum-mismatch', 'secrets-network', ['{tmp}/m.yaml', '--retries', '0'], /fetch r-2012 \(\S+m\.yaml line 4\): checksum mismatch: the downloaded file has sha256 5b74ff12\w+, the manifest records (ab)+; nothing was replaced/, 'the download does not match the recorded sha256',
    edit(fetchManifest('{server}/files/2012.tif'), `sha256: {sha256:${DEMO_TIF}}`, `sha256: ${'ab'.repeat(32)}`)),
  fetchBad('manual-download', 'manifest', ['{tmp}/m.yaml'], /1 file\(s\) must be downloaded by hand \(download: manual — the url is a landing page, not the file; nothing was saved\)/, 'an entry marked download: manual that is not there yet',
    edit(fetchManifest('{server}/landing'), '    licence: test\n', '    licence: test\n    download: manual\n')),
  fetchBad('manifest-yaml-syntax', 'yaml', ['{tmp}/m.yaml'], /m\.yaml line 3: invalid YAML in manifest: .*; fix the YAML syntax/, 'a YAML syntax error in the manifest', 'manifest: 1\nentries: [\n'),
  { ...fetchBad('for-other-pipeline', 'pipeline', ['{tmp}/m2.yaml', '--for', '{tmp}/p.yaml'], /ntl fetch: \S*p\.yaml does not read \S*m2\.yaml \(its manifests: \S*m\.yaml\); give one of those manifests, or drop --for/,
    '--for a pipeline that does not read this manifest'), setup: { ...project(), 'm2.yaml': fetchManifest('{server}/files/2012.tif') }, absent: [] },
);

// ---------------------------------------------------------------------------------------------------------------
// ntl init, ntl report, and ntl itself

const I = BASES.init!;
const INIT_OUT = ['{tmp}/pipelines/mine.yaml', '{tmp}/data-manifests/mine.yaml'];
const initBad = (id: string, cls: BadInputCase['class'], argv: readonly string[], message: RegExp, doc: string, setup: Record<string, SetupFile> = I.setup, absent = INIT_OUT): BadInputCase =>
  ({ id: `init/${id}`, class: cls, command: 'init', argv, setup, expectCode: 1, message, absent, doc });
add(
  initBad('zones-not-found', 'not-found', withFlag(I.argv, '--zones', '{tmp}/nope.geojson'), /ntl init: --zones: zones file \S+nope\.geojson does not exist; check the path/, '--zones names a file that does not exist'),
  initBad('id-field-unknown', 'unknown-column', withFlag(I.argv, '--id', 'code'), /ntl init: --zones: \S+zones\.geojson has no field "code" for zone ids; available fields: Code_County, .*; pass one of them as --id/, '--id names a field the boundaries do not have'),
  initBad('rasters-no-match', 'not-found', withFlag(I.argv, '--rasters', '{tmp}/rasters/*.nc'), /ntl init: --rasters '\S+\*\.nc' matches no file in \S+; check the pattern/, '--rasters matches no file'),
  initBad('raster-without-year', 'bad-value', I.argv, /ntl init: 1 problem\(s\) with the rasters of --rasters '\S+', nothing was written:\n {2}- \S+lights\.tif: no 4-digit year \(1970–2100\) in the file name "lights\.tif"/, 'a raster whose name holds no year', { ...I.setup, 'rasters/lights_2012.tif': RASTER, 'rasters/lights.tif': RASTER }),
  initBad('two-rasters-one-year', 'bad-value', I.argv, /\S+lights_2012\.tif and \S+night_2012\.tif both have year 2012; a series has one file per year — keep one, or narrow --rasters/, 'two rasters for the same year', { ...I.setup, 'rasters/night_2012.tif': RASTER }),
  initBad('raster-not-geotiff', 'wrong-format', I.argv, /\S+lights_2012\.tif: cannot be read as a GeoTIFF raster: \S+lights_2012\.tif is not a GeoTIFF \(it does not start with the TIFF byte-order mark II or MM; it is text/, 'a raster that is not a GeoTIFF', { ...I.setup, 'rasters/lights_2012.tif': INEQ_PANEL }),
  initBad('sensor-unknown', 'bad-value', [...I.argv, '--sensor', 'landsat'], /ntl init: --sensor must be one of dmsp-ols, viirs-vnl, viirs-monthly, blackmarble-annual, blackmarble-monthly, harmonized, other, got "landsat"/, '--sensor landsat'),
  initBad('sensor-monthly', 'bad-value', [...I.argv, '--sensor', 'viirs-monthly'], /ntl init: monthly rasters \(viirs-monthly\) are not set up by init/, '--sensor viirs-monthly'),
  initBad('glob-expanded', 'usage', [...I.argv, '{tmp}/rasters/b.tif'], /ntl init: unexpected argument "\S+b\.tif": the shell expanded the --rasters pattern into file names; put the pattern in quotes/, 'an unquoted --rasters pattern the shell expanded'),
  initBad('pipeline-exists', 'output-path', I.argv, /ntl init: \S+pipelines\/mine\.yaml already exists; choose another --name \(or --out \/ --manifest\), or pass --force to overwrite/, 'the pipeline to write exists already (no --force)', { ...I.setup, 'pipelines/mine.yaml': 'pipeline: 1\n' }, ['{tmp}/data-manifests/mine.yaml']),
  initBad('out-is-zones', 'output-is-input', [...withFlag(I.argv, '--out', '{tmp}/zones.geojson'), '--force'], /ntl init: --out \S+zones\.geojson is the input --zones \S+zones\.geojson \(same file\); choose another output path/, '--out names the boundary file (with --force)', I.setup, ['{tmp}/data-manifests/mine.yaml']),
  initBad('manifest-is-raster', 'output-is-input', [...withFlag(I.argv, '--manifest', '{tmp}/rasters/lights_2012.tif'), '--force'], /ntl init: --manifest \S+lights_2012\.tif is the input --rasters '\S+' file \S+lights_2012\.tif \(same file\); choose another output path/, '--manifest names one of the rasters (with --force)', I.setup, ['{tmp}/pipelines/mine.yaml']),
  { ...initBad('zones-outside-project', 'manifest', ['--zones', '{tmp}/outside.geojson', '--id', 'Code_County', '--rasters', '{tmp}/proj/rasters/*.tif', '--out', '{tmp}/proj/pipelines/mine.yaml', '--manifest', '{tmp}/proj/data-manifests/mine.yaml'],
    /cannot add 2 files to \S+mine\.yaml, nothing was written: \S+outside\.geojson: its path from the manifest, '\.\.\/\.\.\/outside\.geojson', leads outside \S+proj/, 'a boundary file outside the project folder', { 'proj/ntl-project.yaml': '', 'outside.geojson': ZONES, 'proj/rasters/lights_2012.tif': RASTER }),
    absent: ['{tmp}/proj/pipelines', '{tmp}/proj/data-manifests'] },
);

add(
  { id: 'report/no-folder', class: 'usage', command: 'report', argv: [], expectCode: 2, message: /ntl report: expected one output folder, got none; usage: ntl report <outDir>/, doc: 'no folder given' },
  { id: 'report/two-folders', class: 'usage', command: 'report', argv: ['{tmp}/a', '{tmp}/b'], expectCode: 1, message: /ntl report: expected one output folder, got "\S+a" "\S+b"/, doc: 'two folders given' },
  { id: 'report/folder-not-found', class: 'not-found', command: 'report', argv: ['{tmp}/nope'], expectCode: 1, message: /report: \S+nope is not a folder; pass the output folder of `ntl run`/, doc: 'the folder does not exist' },
  { id: 'report/folder-is-file', class: 'wrong-format', command: 'report', argv: ['{tmp}/panel.csv'], setup: { 'panel.csv': INEQ_PANEL }, expectCode: 1, message: /report: \S+panel\.csv is not a folder/, doc: 'a file given instead of the output folder' },
  { id: 'report/estimate-not-json', class: 'wrong-format', command: 'report', argv: ['{tmp}/out'], setup: { 'out/panel.csv': INEQ_PANEL, 'out/estimates/did.json': '{"kind": "did", "coef": ' }, expectCode: 1,
    message: /did\.json is not valid JSON \(.*\); rewrite it with the command that made it/, absent: ['{tmp}/out/report.html', '{tmp}/out/tables'], doc: 'a truncated estimates/*.json' },
  { id: 'report/run-json-not-json', class: 'wrong-format', command: 'report', argv: ['{tmp}/out'], setup: { 'out/panel.csv': INEQ_PANEL, 'out/run.json': 'not json\n' }, expectCode: 1,
    message: /out\/run\.json is not valid JSON \(Unexpected token .*\); rewrite it with the command that made it/, absent: ['{tmp}/out/report.html', '{tmp}/out/tables'], doc: 'a run.json that is not JSON' },
  { id: 'report/unknown-flag', class: 'usage', command: 'report', argv: ['{tmp}', '--bogus-flag'], expectCode: 1, message: /ntl report: Unknown option '--bogus-flag'/, doc: 'a flag report does not know' },
  { id: 'ntl/unknown-command', class: 'usage', command: 'frobnicate', argv: ['--panel', 'x.csv'], expectCode: 2,
    message: /unknown command "frobnicate"; known commands: init, run, .*\(see `ntl --help`\)/, doc: 'a command that does not exist' },
  { id: 'ntl/misspelt-command', class: 'usage', command: 'zonl', argv: [], expectCode: 2, message: /unknown command "zonl" \(did you mean zonal\?\); known commands:/, doc: 'a misspelt command (zonl)' },
);

// ---------------------------------------------------------------------------------------------------------------
// Values inside the data that the models cannot use

add(
  { id: 'inequality/weight-negative', class: 'panel-content', command: 'inequality', argv: [...BASES.inequality!.argv, '--weights', 'w'],
    setup: { 'P.csv': 'unit_id,parent_id,year,mean,w\n1,A,2012,1,-2\n2,A,2012,2,1\n3,B,2012,3,1\n4,B,2012,4,1\n' }, expectCode: 1,
    message: /P\.csv line 2: weight column "w" is negative \(-2\); population weights must be ≥ 0/, absent: ['{tmp}/out.csv'], doc: 'a negative population weight' },
  { id: 'dagum/where-matches-nothing', class: 'bad-value', command: 'dagum', argv: [...BASES.dagum!.argv, '--where', 'parent_id=9999'], setup: BASES.dagum!.setup, expectCode: 1,
    message: /P\.csv: no row has parent_id=9999; check the --where values/, absent: ['{tmp}/out.json'], doc: '--where that keeps no row' },
  { id: 'gap/y-text', class: 'panel-content', command: 'gap', argv: withFlag(BASES.gap!.argv, '--y', 'name'),
    setup: { 'P.csv': 'unit_id,name,year,mean\n1,a,2012,1\n2,b,2012,2\n' }, expectCode: 1,
    message: /P\.csv line 2: column "name" has the non-numeric value "a"; it must hold numbers/, absent: ['{tmp}/out.csv'], doc: '--y names a text column' },
  { id: 'did/weights-negative', class: 'panel-content', command: 'did', argv: [...didArgs, '--weights', 'x1'], setup: { 'P.csv': DID_PANEL }, expectCode: 1,
    message: /P\.csv line 2: weight column "x1" has -1\.22351671522661; weights must be ≥ 0/, absent: didOut, doc: 'negative analytic weights' },
  { id: 'did/log-of-negative', class: 'panel-content', command: 'did', argv: [...didArgs, '--y-transform', 'log'], setup: { 'P.csv': DID_PANEL }, expectCode: 1,
    message: /P\.csv line 2: y = -0\.0522401618020917 has no log; use log1p \(for y ≥ 0\) or ihs \(any sign\)/, absent: didOut, doc: '--y-transform log of an outcome with negative values' },
  { id: 'did/fe-column-unknown', class: 'unknown-column', command: 'did', argv: [...didArgs, '--fe', 'unit,region'], setup: { 'P.csv': DID_PANEL }, expectCode: 1,
    message: /P\.csv has no column "region"; available columns: unit, year, cohort/, absent: didOut, doc: '--fe names a column the panel does not have' },
  { id: 'did/drop-column-unknown', class: 'unknown-column', command: 'did', argv: [...didArgs, '--drop', 'county=1'], setup: { 'P.csv': DID_PANEL }, expectCode: 1,
    message: /P\.csv has no column "county"; available columns:/, absent: didOut, doc: '--drop on a column the panel does not have' },
  { id: 'did/drop-removes-all', class: 'panel-content', command: 'did', argv: [...didArgs, '--drop', 'post=0', '--drop', 'post=1'], setup: { 'P.csv': DID_PANEL }, expectCode: 1,
    message: /P\.csv: the --drop filters removed all 600 row\(s\) \(--drop post=0: \d+ row\(s\), --drop post=1: \d+ row\(s\)\); check the filter values/, absent: didOut, doc: '--drop filters that remove every row' },
  { id: 'eventstudy/cohort-is-post-dummy', class: 'panel-content', command: 'eventstudy', argv: withFlag(ES.argv, '--cohort', 'post'), setup: ES.setup, expectCode: 1,
    message: /column "post" must be constant within a unit, but unit "1" has 0 \(never treated\) at \S+P\.csv line 2 and 1 at \S+P\.csv line 7/, absent: esOut, doc: 'the 0/1 post indicator given as --cohort (the first treated period)' },
  { id: 'placebo/seed-fraction', class: 'bad-value', command: 'placebo', argv: [...PL.argv, '--seed', '1.5'], setup: PL.setup, expectCode: 1,
    message: /ntl placebo: --seed must be a whole number, got "1\.5"/, absent: ['{tmp}/placebo.json'], doc: '--seed 1.5' },
  { id: 'att/anticipation-negative', class: 'bad-value', command: 'att', argv: [...BASES.att!.argv, '--anticipation', '-1'], setup: BASES.att!.setup, expectCode: 1,
    message: /ntl att: --anticipation must be ≥ 0, got "-1"/, absent: ['{tmp}/att.json'], doc: '--anticipation -1' },
  { id: 'zonal/stats-empty', class: 'bad-value', command: 'zonal', argv: [...Z.argv, '--stats', ','], setup: Z.setup, expectCode: 1,
    message: /--stats is empty; give a comma list such as "count,sum,mean"/, absent: ['{tmp}/out.csv'], doc: '--stats with no statistic' },
);

export const CATALOGUE: readonly BadInputCase[] = cases;
