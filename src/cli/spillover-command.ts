/**
 * `ntl spillover`: (1) DID of the exposure indicator (borders a treated unit by t) on the sample without
 * treated units; (2) robustness: the main DID with treated units' neighbours (never treated, ever exposed)
 * removed from the controls.
 */
import { NtlError } from '../errors.js';
import { parseCommandFlags, type FlagTable } from './flags.js';
import { commandHelp, emitModel, guardModelOutputs, modelArgs, noPositionals, PANEL_FLAGS, PANEL_NOTES, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

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

export async function spilloverCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('spillover', argv, SPILLOVER_FLAGS, io);
  if (values.help) {
    io.stdout(SPILLOVER_HELP);
    return 0;
  }
  noPositionals('spillover', positionals);
  const a = modelArgs('spillover', values, true);
  const exposure = typeof values.exposure === 'string' && values.exposure !== '' ? values.exposure : null;
  if (exposure === null) throw new NtlError('ntl spillover: --exposure is required; see `ntl spillover --help`');
  guardModelOutputs('spillover', a.panelPath, a.out);
  await emitModel(a, io, await runModelOnFile('spillover', { ...a, exposure }));
  return 0;
}
