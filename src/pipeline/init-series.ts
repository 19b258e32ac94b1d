/** Series name in the pipeline `ntl init` writes; becomes the panel's `source` column (apart from init.ts so `ntl init --help` can name it without loading init). */
export const INIT_SERIES = 'lights';
