/** The closed vocabularies of a manifest entry, as plain lists: schema.ts validates with them, and command help (src/cli/specs/) lists them without loading zod. */
export const SENSORS = ['dmsp-ols', 'viirs-vnl', 'viirs-monthly', 'blackmarble-annual', 'blackmarble-monthly', 'harmonized', 'other'] as const;

export const ENTRY_KINDS = ['raster', 'boundaries', 'table'] as const;

export const TABLE_ROLES = ['crosswalk', 'treatment', 'attributes', 'other'] as const;
