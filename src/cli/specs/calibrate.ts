/** `ntl calibrate`: every verb's spec (summary, usage, flag groups) and the command's help, apart from the verbs' implementations. */

import type { VerbSpec } from '../calibrate/verb.js';
import {
  APPLY_GROUP,
  APPLY_INPUT,
  APPLY_OUTPUT,
  correctionsGroup,
  FIT_GROUPS,
  inputGroup,
  NODATA_AS_ZERO,
  ownCorrectionGroup,
  RASTER_OUTPUT,
  TABLE_FLAGS,
} from './calibrate-groups.js';

export const INTERCALIBRATE_SPEC: VerbSpec = {
  name: 'intercalibrate',
  summary: 'DMSP inter-calibration with a published table (satellite, year)',
  usage: [
    '--input F101992.tif --satellite F10 --year 1992 [--table elvidge2014] [--clamp 63] --out out.tif',
    '--input F162008.tif --satellite F16 --year 2008 --seam [--seam-region 300] --out seam2008.tif',
  ],
  about:
    "DN' = C0 + C1·DN + C2·DN² (Wu: DN' = a·(DN+1)^b − 1) on lit pixels only; 0 stays 0, 255 is no-data,\nnegatives → 0. Own coefficients: ntl calibrate fit-intercalibration.",
  steps: '{ step: intercalibrate, table, satellite, year, clamp }',
  groups: [inputGroup('DMSP-OLS stable-lights composite (DN)'), { title: 'Inter-calibration', flags: TABLE_FLAGS }, correctionsGroup(), RASTER_OUTPUT],
};

export const COMPOSITE_SPEC: VerbSpec = {
  name: 'composite',
  summary: 'two satellites of a year: inter-calibrate both with one table, combine',
  usage: ['--input F141999.tif --satellite F14 --year 1999 --with F121999.tif --with-satellite F12 [--rule liu|mean] --out 1999.tif'],
  about:
    'Both images are inter-calibrated with the same table and year (and clamp), then combined: liu (Liu et al. 2012;\ndefault): 0 if either is 0, else the mean; mean: the plain mean (HSW 2012). Grids must be identical.',
  steps: '{ step: intercalibrate, … } then { step: composite, rule } (with duplicates: composite on the series)',
  groups: [
    inputGroup("the first satellite's composite (DN)"),
    { title: 'Inter-calibration (both images)', flags: TABLE_FLAGS },
    {
      title: 'Composite',
      flags: [
        { name: 'with', value: '<file>', help: "the second satellite's composite of the same year (same grid)", reads: true },
        { name: 'with-satellite', value: '<Fnn>', help: 'its satellite (calibrated with the same table and year)' },
        { name: 'rule', value: 'liu|mean', help: 'liu (default): 0 if either is 0, else the mean; mean: plain mean' },
      ],
    },
    correctionsGroup(),
    RASTER_OUTPUT,
  ],
};

export const FIT_INTERCALIBRATION_SPEC: VerbSpec = {
  name: 'fit-intercalibration',
  summary: 'own inter-calibration coefficients over an invariant region (→ coefs.json)',
  usage: ['--reference F121999.tif --input F182013.tif --region sicily.geojson --region-id name [--min-dn 3] [--max-dn 62] --out coefs.json'],
  about:
    "DN_ref = c0 + c1·DN + c2·DN²: the reference regressed on the target over the region's cells valid in both.\nThe JSON (coefficients c0, c1, c2, r2, n) plugs into a pipeline's intercalibrate step as coefficients:.",
  groups: [
    {
      title: 'Fit',
      flags: [
        { name: 'reference', value: '<file>', help: "the reference image (its scale is the target's)", reads: true },
        { name: 'input', value: '<file>', help: 'the image to calibrate (same grid)', reads: true },
        { name: 'region', value: '<polygons>', help: 'invariant-region polygons', reads: true },
        { name: 'region-id', value: '<field>', help: 'their id field' },
        { name: 'region-rule', value: 'coverage|centre', help: 'coverage (default): a cell > 50 % inside; centre: its centre inside' },
        { name: 'min-dn', value: '<x>', help: 'use only DN ≥ x in both images (e.g. 3)' },
        { name: 'max-dn', value: '<x>', help: 'use only DN ≤ x in both images (e.g. 62: drop saturated cells)' },
      ],
    },
    { title: 'Output', flags: [{ name: 'out', value: '<file>', help: 'the JSON record' }] },
  ],
};

export const DENOISE_SPEC: VerbSpec = {
  name: 'denoise',
  summary: 'VIIRS denoise: negatives → 0, background → 0, outliers capped',
  usage: [
    '--input viirs2013.tif [--threshold 0.3] [--dmsp-mask F182013.tif] [--cap 300 | --cap-percentile 99.99 | --cap-cores cores.geojson --cores-id name] --out out.tif',
  ],
  about: 'Negative radiance → 0 (counted); radiance ≤ threshold, or where the DMSP image is 0, → 0; values above the cap → cap.',
  steps: '{ step: viirs_denoise, threshold, dmsp_mask: <series>, cap }',
  groups: [
    inputGroup('VIIRS radiance'),
    {
      title: 'Denoise',
      flags: [
        { name: 'threshold', value: '<x>', help: 'radiance ≤ x is background' },
        { name: 'dmsp-mask', value: '<file>', help: 'background where this DMSP stable-lights image is 0 (same grid)', reads: true },
        { name: 'cap', value: '<x>', help: 'cap at x' },
        { name: 'cap-percentile', value: '<p>', help: 'cap at the p-th percentile of the positive pixels (two passes)' },
        { name: 'cap-cores', value: '<polygons>', help: 'cap at the maximum radiance inside these city cores (北上广深)', reads: true },
        { name: 'cores-id', value: '<field>', help: 'id field of the core polygons', needs: 'cap-cores' },
        {
          name: 'region-rule',
          value: 'coverage|centre',
          help: 'a cell is inside a core when > 50 % covered (coverage, default)\nor when its centre is inside (centre)',
          needs: 'cap-cores',
        },
      ],
    },
    correctionsGroup(),
    RASTER_OUTPUT,
  ],
};

export const MONTHLY_SPEC: VerbSpec = {
  name: 'monthly',
  summary: 'monthly → annual composite from a multi-band cube and its band dates',
  usage: ['--input cube.tif --dates band_dates.csv --year 2013 [--coverage cloudfree.tif] --out viirs2013.tif'],
  about:
    "The mean of the year's months, weighted by the coverage cube's cloud-free counts (same bands) when given;\na date listed twice is used once. The composite is float (--out-type auto writes float32).",
  groups: [
    {
      title: 'Input',
      flags: [
        { name: 'input', value: '<file>', help: 'the monthly cube: one band per month', reads: true },
        { name: 'dates', value: '<csv>', help: 'band → date table (columns band, date YYYY-MM-DD)', reads: true },
        { name: 'year', value: '<yyyy>', help: 'the year to composite' },
        { name: 'coverage', value: '<file>', help: 'cloud-free observation counts, same bands and grid (weights)', reads: true },
      ],
    },
    RASTER_OUTPUT,
  ],
};

export const SATURATION_SPEC: VerbSpec = {
  name: 'saturation',
  summary: 'DMSP saturation mask: 1 where DN ≥ 63, 0 below, no-data kept',
  usage: ['--input F182012.tif [--threshold 63] --out-type uint8 --out sat.tif'],
  about:
    "Its zonal mean is the district's saturated_share (= ntl zonal --stats lit_share --lit-threshold 62.5 on the\nraw integer DN). Write it with --out-type uint8 (or auto).",
  steps: '{ step: saturation_mask, threshold }',
  groups: [
    inputGroup('DMSP-OLS stable-lights composite (raw DN)'),
    { title: 'Saturation', flags: [{ name: 'threshold', value: '<x>', help: 'DN at or above which a pixel is saturated (default 63)' }] },
    correctionsGroup(),
    RASTER_OUTPUT,
  ],
};

export const VANUI_SPEC: VerbSpec = {
  name: 'vanui',
  summary: 'VANUI = (1 − NDVI)·NTL/NTL_max: vegetation-adjusted night lights',
  usage: ['--input calibrated2012.tif --ndvi ndvi2012.tif [--ntl-max 63] --out vanui2012.tif'],
  about: 'Zhang, Schaaf & Seto (2013), RSE 129: 32–41. NDVI < 0 (water) → 0; an NDVI raster on another grid is an error.',
  steps: '{ step: vanui, ndvi: <series>, ntl_max }',
  groups: [inputGroup('night lights (DN or calibrated)'), ownCorrectionGroup('vanui'), correctionsGroup('vanui'), RASTER_OUTPUT],
};

export const SEAM_SPEC: VerbSpec = {
  name: 'seam',
  summary: 'SEAM blooming correction (Cao et al. 2019); whole raster, streamed in strips',
  usage: [
    '--input calibrated2008.tif [--seam-window 7] [--seam-region 0] [--seam-min-plp 30] --out seam2008.tif',
    '--input calibrated2008.tif --pareto --out corrected2008.tif   (SEAM, then Pareto)',
  ],
  about:
    'Subtracts b + a·R (R = Σ brighter neighbours / d²) fitted on pseudo-light pixels (lit, touching a dark one),\nthen a 3×3 mean of the lit pixels, negatives → 0. For products that store dark cells as no-data, add --nodata-as-zero.',
  steps: '{ step: seam, window, region, min_plp, smooth, renormalise }',
  groups: [inputGroup('night lights (DN or calibrated)'), ownCorrectionGroup('seam'), correctionsGroup('seam'), RASTER_OUTPUT],
};

export const PARETO_SPEC: VerbSpec = {
  name: 'pareto',
  summary: 'Pareto top-code imputation of saturated DN (Bluhm & Krause 2022)',
  usage: ['--input calibrated2008.tif [--pareto-rank radiance2008.tif] [--pareto-alpha 1.5 --pareto-lower 55 --pareto-upper 2000] --out p2008.tif'],
  about:
    'Values ≥ L are replaced by the inverse CDF of a Pareto(α) truncated to [L, H] at their rank percentile (average\nranks for ties). Two streamed passes; runs after SEAM when both are asked.',
  steps: '{ step: pareto, rank_by: <series>, alpha, lower, upper }',
  groups: [inputGroup('night lights (DN or calibrated)'), ownCorrectionGroup('pareto'), correctionsGroup('pareto'), RASTER_OUTPUT],
};

export const CONTINUITY_SPEC: VerbSpec = {
  name: 'continuity',
  summary: 'inter-annual continuity over years (inputs already inter-calibrated) → a folder',
  usage: ['[--variant sequential|original] 1992=F101992.tif 1993=F101993.tif … --out DIR   (writes DIR/1992.tif …)'],
  about:
    'sequential (default): DN(n) = 0 if DN(n+1) = 0, else max(DN(n), corrected DN(n−1)) — Liu-style papers;\noriginal: the same with the uncorrected DN(n−1). First and last years are copied unchanged; at least 3 years,\none raster per year (composite two satellites first), all on one grid. Output float32, no-data NaN.',
  steps: '{ step: continuity, variant }',
  positionals: 'YEAR=FILE …',
  groups: [
    {
      title: 'Series',
      flags: [{ name: 'variant', value: 'sequential|original', help: 'which previous year the rule compares with (default sequential)' }, NODATA_AS_ZERO],
    },
    { title: 'Output', flags: [{ name: 'out', value: '<folder>', help: 'the folder (created) that receives YEAR.tif per input year' }] },
  ],
};

export const HARMONISE_SPEC: VerbSpec = {
  name: 'harmonise',
  summary: 'DMSP ↔ VIIRS harmonisation: fit a relation (→ fit.json), or --apply one (→ DMSP-like raster)',
  usage: [
    '--model sigmoid --dmsp F182013.tif --viirs viirs2013.tif [--sigma 1] [--min-dn 7] --out fit.json',
    '--model power --pairs county2013.csv --x viirs_sum --y dmsp_sum --out fit.json',
    '--apply fit.json --input viirs2016.tif [--clamp 63] --out dmsp_like2016.tif',
  ],
  about:
    'Levenberg–Marquardt on the overlap year(s); the JSON holds model, formula, params, r2, rmse, n, dropped,\nconverged and the inputs. Pixel level: VIIRS area-weighted onto the DMSP grid (integer pixel ratio, aligned origin).',
  steps: "{ step: dmsp_like, model, params, clamp } (fits: the pipeline's harmonise: block)",
  groups: [...FIT_GROUPS, APPLY_GROUP, APPLY_INPUT, correctionsGroup(), APPLY_OUTPUT],
};

export const REPORT_SPEC: VerbSpec = {
  name: 'report',
  summary: 'continuity diagnostics of a series: totals, lit area, ratios, flagged breaks (CSV + PNG)',
  usage: ['2012=a.tif 2013:viirs=b.tif … [--lit-threshold 0] --out report   (writes report.csv + report.png)'],
  about: "A break is flagged when a year-over-year ratio departs from the series' typical change (robust to a steady trend).",
  positionals: 'YEAR[:SENSOR]=FILE …',
  groups: [
    { title: 'Series', flags: [{ name: 'lit-threshold', value: '<x>', help: 'a cell is lit when its value is > x (default 0)' }] },
    { title: 'Output', flags: [{ name: 'out', value: '<base>', help: 'base name: writes BASE.csv and BASE.png (a trailing .csv or .png is dropped)' }] },
  ],
};

/** In the order of the help: DMSP, VIIRS, corrections, series, harmonisation, diagnostics. */
export const VERB_SPECS: readonly VerbSpec[] = [
  INTERCALIBRATE_SPEC,
  COMPOSITE_SPEC,
  FIT_INTERCALIBRATION_SPEC,
  DENOISE_SPEC,
  MONTHLY_SPEC,
  SATURATION_SPEC,
  VANUI_SPEC,
  SEAM_SPEC,
  PARETO_SPEC,
  CONTINUITY_SPEC,
  HARMONISE_SPEC,
  REPORT_SPEC,
];

export const CALIBRATE_HELP = `ntl calibrate — calibrate DMSP-OLS / NPP-VIIRS night lights into one continuous series

Usage: ntl calibrate <verb> [flags]      (ntl calibrate <verb> --help: its flags)

Verbs:
${VERB_SPECS.map((v) => `  ${v.name.padEnd(22)}${v.summary}`).join('\n')}

Examples:
${VERB_SPECS.map((v) => `  ntl calibrate ${v.name} ${v.usage[0]}`).join('\n')}

Every raster verb reads --input (--nodata-as-zero: its no-data as dark), can add --ndvi (VANUI), --seam and
--pareto after its own step, and writes --out (a GeoTIFF; --out-type, --out-nodata, --zlib-level, --predictor);
continuity writes a folder, harmonise and fit-intercalibration a JSON fit, report a CSV and a PNG. Each step is
also a pipeline calibrate: entry, checked by the same rules. --threads <n>, --debug and --version everywhere.

The flag-style form of earlier releases (ntl calibrate --input F --satellite F16 --year 2008 …, --viirs-denoise,
--monthly, --continuity, --report, --harmonise, --dmsp-like, --fit-intercalibration, …) still runs for one
release, printing the verb form to use instead.
`;
