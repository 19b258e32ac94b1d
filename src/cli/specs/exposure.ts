/** `ntl exposure`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { timeTypeArg, timeTypeText, type TimeType } from '../../panel/period.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

/** Exposure builds a panel of whole years: the only time type it offers. */
export const EXPOSURE_TIME_TYPES: readonly TimeType[] = ['integer'];

export const EXPOSURE_FLAGS = {
  edges: {
    type: 'string',
    arg: '<file>',
    help: 'neighbours from `ntl adjacency` (CSV id_a,id_b; GAL; GWT). A CSV edge list cannot name islands: pass the .gal to keep them in the panel',
  },
  treated: { type: 'string', arg: '<file>', help: 'CSV or Parquet listing the treated units (read as every treatment table is: src/panel/treatment.ts)' },
  unit: {
    type: 'string',
    arg: '<col>',
    help: "the unit id column of --treated (also the name of the output's id column); a code written as a float (430102.0) reads as 430102",
  },
  time: {
    type: 'string',
    arg: '<col>',
    help: "the column with each unit's first treated year: a whole year (2016) or a date starting with one (2016-03, 2016-03-15); a unit listed twice with different years is an error (see --waves)",
  },
  waves: {
    type: 'boolean',
    help: '--treated is a policy list in waves: a unit named again in a later wave is treated from its earliest year (with a warning naming those units)',
  },
  'time-type': { type: 'string', arg: timeTypeArg(EXPOSURE_TIME_TYPES), help: timeTypeText('--time', EXPOSURE_TIME_TYPES) },
  'first-year': { type: 'string', arg: '<year>', help: 'instead of --time: every listed unit is treated from this year' },
  where: {
    type: 'string',
    multiple: true,
    arg: 'COL=VAL',
    help: 'keep only the --treated rows whose COL equals VAL (repeatable), e.g. --where verification=verified',
  },
  years: { type: 'string', arg: '<from-to>', help: 'panel years, e.g. 2007-2022 or 2010,2012,2014 (default: the range of the treated years)' },
  order: {
    type: 'string',
    arg: '1|2',
    help: '1: neighbours (default); 2: also the second ring (units two steps away), as separate columns with the suffix _ring2',
  },
  out: { type: 'string', arg: '<file|->', help: '.csv, .parquet or .dta (default: CSV on standard output)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const EXPOSURE_HELP = commandHelp(
  `ntl exposure — unit × year exposure to treated neighbours (spillover designs)

Usage:
  ntl exposure --edges <edges.csv|x.gal|x.gwt> --treated <T.csv> --unit <col> --time <col> [options]`,
  EXPOSURE_FLAGS,
  `Columns: <unit>, year, treated_unit (ever treated: drop these for the spillover sample),
first_treated_year, treated, neighbours, neighbour_of_treated (1 from the first year any
neighbour is treated), treated_neighbours, treated_neighbour_share, first_exposure_year.
Treated units missing from the neighbour file are listed on standard error. There is no --y: exposure
builds the treatment side of a panel (join it to the outcome panel by unit and year).
`,
  23,
);
