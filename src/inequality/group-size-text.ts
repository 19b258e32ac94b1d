/** The small-group rule's default and help text (group-size.ts), apart from its zod schema so command help loads no zod. */
export const MIN_GROUP_SIZE_DEFAULT = 2;

/** The description of --min-group-size (for generated help). */
export function minGroupSizeText(measures: string): string {
  return `per-group measures (${measures}) of a group with fewer than N units with a value in a year are empty there (undefined, not 0), with one warning naming the groups; n and mean stay filled, and the year's overall measures still use every unit. A year with fewer than N units in all gets empty overall measures. Default ${MIN_GROUP_SIZE_DEFAULT} (one unit has no within-group inequality); 1 keeps such groups at 0 by construction, with a warning`;
}
