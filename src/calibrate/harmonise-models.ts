/** The harmonisation models by name, apart from harmonise.ts (zod) so `ntl calibrate harmonise --help` can list them cheaply. */
export const HARMONISE_MODELS = ['loglinear', 'power', 'sigmoid'] as const;
