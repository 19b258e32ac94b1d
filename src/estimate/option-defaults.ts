/**
 * Defaults of the estimation options that flag help shows, as plain values: the schemas in options.ts default to
 * these, and the command specs (src/cli/specs/) read them here without loading zod at start-up.
 */
export const PLACEBO_DEFAULTS = { draws: 500, seed: 1, mode: 'units', shift: 2 } as const;

export const EVENTSTUDY_DEFAULTS: { readonly window: readonly [number, number]; readonly ref: number } = { window: [-5, 5], ref: -1 };
