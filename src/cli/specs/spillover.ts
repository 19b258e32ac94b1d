/** `ntl spillover`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, type FlagTable } from '../flags.js';
import { PANEL_FLAGS, PANEL_NOTES } from './estimate.js';

export const SPILLOVER_FLAGS = {
  exposure: {
    type: 'string',
    arg: '<col>',
    help: 'exposure_it = 1 if unit i borders a unit treated by t (time-varying 0/1; `ntl exposure` writes it as neighbour_of_treated)',
  },
  ...PANEL_FLAGS,
} as const satisfies FlagTable;

export const SPILLOVER_HELP = commandHelp(
  `ntl spillover — spillovers to neighbours of treated units (after Butts 2021)

Usage:
  ntl spillover --panel P --y Y --treat D --unit U --time T --exposure E [options]

Prints {spillover: DID of E on units never treated, without_neighbours: the main DID of D with units
that are never treated but ever exposed removed}.`,
  SPILLOVER_FLAGS,
  PANEL_NOTES,
);
