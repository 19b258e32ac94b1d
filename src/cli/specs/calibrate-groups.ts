/** Flag groups shared by the `ntl calibrate` verbs' specs (inputs, outputs, the corrections, the table flags, harmonise's forms). */
import { TABLE_NAMES } from '../../calibrate/tables.js';
import { HARMONISE_MODELS } from '../../calibrate/harmonise-models.js';
import type { FlagDef, FlagGroup } from '../calibrate/verb.js';

export const NODATA_AS_ZERO: FlagDef = {
  name: 'nodata-as-zero',
  boolean: true,
  help: "read the input's no-data value as 0 (dark): for products that store dark cells as\nno-data (the 8-bit VIIRS-like copies), else SEAM and continuity cannot see dark pixels",
};

export function inputGroup(help: string): FlagGroup {
  return { title: 'Input', flags: [{ name: 'input', value: '<file>', help, reads: true }, NODATA_AS_ZERO] };
}

export const RASTER_OUTPUT: FlagGroup = {
  title: 'Output',
  flags: [
    { name: 'out', value: '<file>', help: 'GeoTIFF (tiled 256×256, DEFLATE, no-data tag), written to a temporary file and renamed' },
    {
      name: 'out-type',
      value: '<t>',
      help: 'float32 (default, no-data NaN), float64, uint8, int16, uint16, int32, or auto:\nuint8 (no-data 255) / int16 (−32768) when every output is a whole number, else float32',
    },
    { name: 'out-nodata', value: '<x>', help: 'no-data value for integer output types (default 255 for uint8, else -1)' },
    { name: 'zlib-level', value: '<1-9>', help: 'DEFLATE level (default 1)' },
    { name: 'predictor', value: '1|2|3', help: 'TIFF predictor (default 1 none; 2 integers, 3 floats)' },
  ],
};

const VANUI_FLAGS: FlagDef[] = [
  { name: 'ndvi', value: '<file>', help: 'VANUI = (1 − NDVI)·NTL/NTL_max (NDVI < 0 → 0; same grid)', reads: true },
  { name: 'ntl-max', value: '<x>', help: 'NTL_max for VANUI (default 63)', needs: 'ndvi' },
];
const SEAM_PARAMS: FlagDef[] = [
  { name: 'seam-window', value: '<n>', help: 'odd neighbourhood edge in pixels (default 7 ≈ 3.5 km at 30″)', needs: 'seam' },
  { name: 'seam-region', value: '<n>', help: 'fit a, b per block of n pixels (paper: ~150 km moving windows); 0 = one fit (default)', needs: 'seam' },
  { name: 'seam-min-plp', value: '<n>', help: 'blocks with fewer pseudo-light pixels use the global fit (default 30)', needs: 'seam' },
  { name: 'seam-no-smooth', boolean: true, help: 'skip the 3×3 mean', needs: 'seam' },
  { name: 'seam-renormalise', boolean: true, help: 'rescale to the input total (not in SEAM)', needs: 'seam' },
];
const PARETO_PARAMS: FlagDef[] = [
  {
    name: 'pareto-rank',
    value: '<file>',
    help: 'rank by this raster (radiance-calibrated DMSP or VIIRS, same grid); without it the\nDN ranks them and the result is "Pareto-adjusted", not Bluhm–Krause',
    reads: true,
    needs: 'pareto',
  },
  { name: 'pareto-alpha', value: '<a>', help: 'Pareto shape (default 1.5)', needs: 'pareto' },
  { name: 'pareto-lower', value: '<L>', help: 'values ≥ L are replaced (default 55)', needs: 'pareto' },
  { name: 'pareto-upper', value: '<H>', help: 'upper truncation (default 2000)', needs: 'pareto' },
];
const SEAM_SWITCH: FlagDef = { name: 'seam', boolean: true, help: 'then SEAM blooming correction (ntl calibrate seam --help)' };
const PARETO_SWITCH: FlagDef = { name: 'pareto', boolean: true, help: 'then Pareto top-code imputation (ntl calibrate pareto --help)' };

/** The corrections `own` (the verb's own step: its parameters without the switch) and the others, with switches. */
export type Correction = 'vanui' | 'seam' | 'pareto';

const strip = (fs: readonly FlagDef[]): FlagDef[] => fs.map(({ needs: _n, ...f }) => f);

/** The verb's own correction parameters. */
export function ownCorrectionGroup(own: Correction): FlagGroup {
  if (own === 'seam') return { title: 'SEAM (Cao et al. 2019)', flags: strip(SEAM_PARAMS) };
  if (own === 'pareto') return { title: 'Pareto top-code (Bluhm & Krause 2022)', flags: strip(PARETO_PARAMS) };
  return {
    title: 'VANUI (Zhang, Schaaf & Seto 2013)',
    flags: [{ ...VANUI_FLAGS[0]!, help: 'NDVI raster on the same grid (annual mean); NDVI < 0 → 0' }, strip(VANUI_FLAGS.slice(1))[0]!],
  };
}

/** The corrections a raster verb can add after its own step (all but `own`). */
export function correctionsGroup(own: Correction | null = null): FlagGroup {
  const flags: FlagDef[] = [];
  if (own !== 'vanui') flags.push(...VANUI_FLAGS);
  if (own !== 'pareto') flags.push(PARETO_SWITCH, ...PARETO_PARAMS);
  if (own !== 'seam') flags.push(SEAM_SWITCH, ...SEAM_PARAMS);
  return { title: 'Then (optional; order: VANUI, then SEAM, then Pareto)', flags };
}

/** The table, satellite-year and clamp flags, shared with `composite`. */
export const TABLE_FLAGS: FlagDef[] = [
  { name: 'satellite', value: '<Fnn>', help: "the composite's satellite (F10 … F18)" },
  { name: 'year', value: '<yyyy>', help: 'its year; a satellite-year the table lacks is refused, never guessed' },
  {
    name: 'table',
    value: '<name>',
    help: `${TABLE_NAMES.join(', ')}; default elvidge2014\n(F12 1999 / Sicily; elvidge2009, liu2012: China, Jixi; wu2013: DN' = a·(DN+1)^b − 1)`,
  },
  { name: 'clamp', value: '<x>', help: 'clamp calibrated values at x (e.g. 63); default: keep values above 63' },
];

// harmonise: the fit form and the --apply form
export const FIT_GROUPS: FlagGroup[] = [
  {
    title: 'Fit',
    flags: [
      { name: 'model', value: '<m>', help: `${HARMONISE_MODELS.join(' | ')} (default loglinear):\nDN = a + b·ln x | a·x^b | a + b/(1 + exp(−c(ln x − d)))` },
      { name: 'dmsp', value: '<file>', help: 'pixel level: the DMSP raster of an overlap year', reads: true },
      { name: 'viirs', value: '<file>', help: 'pixel level: the VIIRS raster of that year, area-weighted onto the DMSP grid (grids must nest)', reads: true },
      { name: 'sigma', value: '<px>', help: 'pixel level: Gaussian smoothing of the aggregated VIIRS, in DMSP pixels (default 0 = none)' },
      { name: 'min-dn', value: '<x>', help: 'pixel level: use only pixels with DMSP DN ≥ x (Li et al. 2020 advise DN > 7; default 0)' },
      { name: 'pairs', value: '<table>', help: 'district level: one row per district (e.g. ntl zonal outputs), CSV or Parquet', reads: true },
      { name: 'x', value: '<col>', help: 'district level: the VIIRS column', needs: 'pairs' },
      { name: 'y', value: '<col>', help: 'district level: the DMSP column', needs: 'pairs' },
    ],
  },
];
export const APPLY_GROUP: FlagGroup = {
  title: 'Apply (--apply)',
  flags: [
    { name: 'apply', value: '<fit.json>', help: 'apply a stored fit to --input (VIIRS): DN = f(x) for x > 0, 0 for x ≤ 0', reads: true },
    { name: 'clamp', value: '<x>', help: 'clamp the DMSP-like DN at x (default 63)', needs: 'apply' },
  ],
};
export const APPLY_INPUT = inputGroup('VIIRS radiance (with --apply)');
export const APPLY_OUTPUT: FlagGroup = {
  ...RASTER_OUTPUT,
  title: 'Output',
  flags: [{ name: 'out', value: '<file>', help: 'fit: the JSON fit; --apply: the GeoTIFF (tiled, DEFLATE, no-data tag)' }, ...RASTER_OUTPUT.flags.slice(1)],
};
