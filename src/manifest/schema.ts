/**
 * The data-manifest format: every input file of a pipeline named by an id, with its size and
 * sha256, so a run is reproducible and a changed or corrupted file is caught before it is used.
 *
 * ```yaml
 * manifest: 1
 * name: demo
 * entries:
 *   - id: viirs-like-2012          # raster is the default kind
 *     sensor: viirs-vnl
 *     year: 2012
 *     path: ../data/demo/viirs_like/2012_8bit_hunan.tif   # relative to this manifest file
 *     size: 25488
 *     sha256: 5b74ff12...
 *     licence: CC0-1.0 (upstream Dataverse)
 *     citation: Chen et al. (2021) ESSD 13:889-906
 *   - id: hunan-counties
 *     kind: boundaries
 *     id_field: Code_County
 *     ...
 * ```
 *
 * A manifest with `template: true` lists official files (names, urls, sensor, year, citation) but
 * no checksums, for users to point at their own downloads: its entries may leave out `size` and
 * `sha256`, and it cannot be used as pipeline input (`manifestSchema` rejects it with what to do);
 * read it with `templateManifestSchema`. See data-manifests/README.md.
 */
import { z } from 'zod';
import { ENTRY_KINDS, SENSORS, TABLE_ROLES } from './names.js';

export { ENTRY_KINDS, SENSORS, TABLE_ROLES } from './names.js';

export const MANIFEST_VERSION = 1;

export type Sensor = (typeof SENSORS)[number];

/** Sensors whose entries carry a month (one raster per month). */
export const MONTHLY_SENSORS: readonly Sensor[] = ['viirs-monthly', 'blackmarble-monthly'];

/** How a raster entry's file is read: GeoTIFF, or a NASA Black Marble VNP46A3/A4 HDF5 tile (src/raster/blackmarble). */
export const RASTER_FORMATS = ['geotiff', 'blackmarble'] as const;
export type RasterFormat = (typeof RASTER_FORMATS)[number];

/** The entry's format: `format:` when given, else blackmarble for .h5/.he5/.hdf5 paths (or urls), else geotiff. */
export function rasterFormatOf(e: { readonly format?: string; readonly path?: string; readonly url?: string }): RasterFormat {
  if (e.format === 'geotiff' || e.format === 'blackmarble') return e.format;
  return /\.(h5|he5|hdf5)$/i.test(e.path ?? e.url ?? '') ? 'blackmarble' : 'geotiff';
}

/** DMSP-OLS satellites that flew the OLS (F10 1992 … F18 2013). */
export const DMSP_SATELLITES = ['F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F17', 'F18'] as const;
export type DmspSatellite = (typeof DMSP_SATELLITES)[number];

export type EntryKind = (typeof ENTRY_KINDS)[number];

export type TableRole = (typeof TABLE_ROLES)[number];

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const entryIdSchema = z.string().regex(ID_PATTERN, "must start with a letter or digit and use only letters, digits, '.', '_' or '-'");

const text = z.string().trim().min(1, 'must not be empty');

const relativePath = text.refine((p) => !/^([/\\]|[A-Za-z]:[/\\])/.test(p), {
  message: 'must be relative to the manifest file (absolute paths make the manifest unportable)',
});

/** A manifest's data_dir: relative to the manifest file (absolute paths would tie the manifest to one machine). */
const dataDirSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((p) => !/^([/\\]|[A-Za-z]:[/\\])/.test(p), {
    message: 'must be relative to the manifest file (absolute paths make the manifest unportable); name a folder elsewhere with --data-dir',
  });

export const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (the sha256 of the file)')
  .transform((s) => s.toLowerCase());

const sizeSchema = z.number().int('must be a whole number of bytes').min(0, 'must be a number of bytes (>= 0)');

/** A second file that belongs to an entry (a shapefile's .dbf/.shx/.prj/.cpg): checked like the main file. */
export const companionSchema = z.strictObject({
  path: relativePath,
  size: sizeSchema,
  sha256: sha256Schema,
});
export type Companion = z.output<typeof companionSchema>;

/** How `ntl fetch` turns the download into the file at `path` (default: inferred from the url and member names). */
export const UNPACK_MODES = ['none', 'gz', 'tar', 'tar+gz'] as const;
export type UnpackMode = (typeof UNPACK_MODES)[number];

/** A member name inside a .tar: relative, no '..' (the member is located by name, never extracted by it). */
const memberName = text.refine((p) => !/^([/\\]|[A-Za-z]:)/.test(p) && !p.split(/[/\\]/).includes('..'), {
  message: "must be a relative name inside the archive, without '..'",
});

/** How `ntl fetch` gets the file: auto (default) downloads `url`; manual: `url` is a landing page, the file is fetched by hand. */
export const DOWNLOAD_MODES = ['auto', 'manual'] as const;
export type DownloadMode = (typeof DOWNLOAD_MODES)[number];

/**
 * How a pipeline reads the entry: local (default) reads the file at `path`; remote reads the raster at `url` in
 * place with HTTP range requests (only the header and the blocks the zones touch), never downloading it whole.
 */
export const ACCESS_MODES = ['local', 'remote'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** Fields every entry has: where the file is, what it must hash to, and under which terms it may be used. */
const fileFields = {
  id: entryIdSchema,
  /** Local copy: relative to the manifest's data_dir when it declares one (and the entry is not shipped), else to the manifest file. */
  path: relativePath.optional(),
  /** The file ships inside the project: `path` is relative to the manifest file; `ntl fetch` only verifies it. */
  shipped: z.boolean({ error: 'must be true or false' }).optional(),
  /** auto (default): `ntl fetch` downloads `url`; manual: `url` is a landing page — fetch prints where to get the file by hand. */
  download: z.enum(DOWNLOAD_MODES, { error: `must be one of ${DOWNLOAD_MODES.join(', ')}` }).optional(),
  /** Where the file can be downloaded from (`ntl fetch` downloads it; the pipeline reads `path`, or `url` itself with access: remote). */
  url: text.optional(),
  /** local (default) or remote: rasters only — the pipeline reads `url` in place with range requests. */
  access: z.enum(ACCESS_MODES, { error: `must be one of ${ACCESS_MODES.join(', ')}` }).optional(),
  /** access: remote only: the server's ETag the file must still have (checked before any block is read). */
  etag: text.optional(),
  /** access: remote only: the server's Last-Modified the file must still have (checked like etag). */
  last_modified: text.optional(),
  /** The file inside a .tar download that becomes `path` (e.g. F101992.v4b_web.stable_lights.avg_vis.tif.gz). */
  archive_member: memberName.optional(),
  /** none | gz | tar | tar+gz (tar, then gunzip the member); default from the url / member name endings. */
  unpack: z.enum(UNPACK_MODES, { error: `must be one of ${UNPACK_MODES.join(', ')}` }).optional(),
  size: sizeSchema,
  sha256: sha256Schema,
  /** Terms of use. Optional: private data may leave them out (`add` and `verify` say so); templates must have them. */
  licence: text.optional(),
  /** How to cite the data (optional like licence). */
  citation: text.optional(),
  notes: z.string().optional(),
  companions: z.array(companionSchema).optional(),
};

const year = z.number().int('must be a whole year').min(1970, 'must be a year between 1970 and 2100').max(2100, 'must be a year between 1970 and 2100');

export const rasterEntrySchema = z.strictObject({
  ...fileFields,
  kind: z.literal('raster'),
  sensor: z.enum(SENSORS, { error: `must be one of ${SENSORS.join(', ')}` }),
  /** DMSP-OLS satellite (F10–F18); only for sensor dmsp-ols. */
  satellite: z.enum(DMSP_SATELLITES, { error: `must be one of ${DMSP_SATELLITES.join(', ')}` }).optional(),
  year,
  /** Calendar month 1–12; required for viirs-monthly. */
  month: z.number().int('must be a month 1-12').min(1, 'must be a month 1-12').max(12, 'must be a month 1-12').optional(),
  /** Product/variant, e.g. "stable_lights", "avg_rad", "LongNTL" (documentation). */
  product: text.optional(),
  /** 1-based band to read in a multi-band file (e.g. one month of a datacube). */
  band: z.number().int().min(1, 'must be a band number >= 1').optional(),
  /** CRS when the file carries none, e.g. "EPSG:4326". */
  crs: text.optional(),
  /** geotiff | blackmarble (default: blackmarble for .h5 paths, else geotiff). */
  format: z.enum(RASTER_FORMATS, { error: `must be one of ${RASTER_FORMATS.join(', ')}` }).optional(),
  /** Black Marble: layer of the Data Fields group (default NearNadir_Composite_Snow_Free). */
  layer: text.optional(),
  /** Black Marble: quality flags kept — any (default), observed, good, or a list of flag values. */
  quality: z
    .union(
      [z.enum(['any', 'observed', 'good'], { error: 'must be any, observed, good or a list of flag values' }), z.array(z.number().int().min(0).max(254))],
      {
        error: 'must be any, observed, good or a list of flag values 0–254 (e.g. [0, 1])',
      },
    )
    .optional(),
  /** Black Marble: snow-free (default), snow-covered or all. */
  snow: z.enum(['free', 'covered', 'all'], { error: 'must be free, covered or all' }).optional(),
});

export const boundariesEntrySchema = z.strictObject({
  ...fileFields,
  kind: z.literal('boundaries'),
  /** Attribute holding the unit's code (e.g. Code_County). */
  id_field: text,
  name_field: text.optional(),
  /** Attribute holding the parent (prefecture) code. */
  parent_field: text.optional(),
  province_field: text.optional(),
  /** DBF text encoding when the shapefile has no .cpg, e.g. "gbk". */
  encoding: text.optional(),
  crs: text.optional(),
  /** Year of the code list the unit codes follow (e.g. 2019 for GB/T 2260 as of 2019). */
  vintage: year.optional(),
});

export const tableEntrySchema = z.strictObject({
  ...fileFields,
  kind: z.literal('table'),
  role: z.enum(TABLE_ROLES, { error: `must be one of ${TABLE_ROLES.join(', ')}` }),
  format: z.enum(['csv'], { error: 'must be csv' }).optional(),
  encoding: text.optional(),
  vintage: year.optional(),
});

/** `kind` may be left out for rasters, the common case. */
const withDefaultKind = (v: unknown): unknown => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { kind: 'raster', ...v } : v);

/** Rules that span several fields of one entry (shared by manifests and templates). */
function checkEntry(
  e: {
    path?: string;
    url?: string;
    shipped?: boolean;
    download?: DownloadMode;
    kind: EntryKind;
    sensor?: Sensor;
    month?: number;
    satellite?: DmspSatellite;
    access?: AccessMode;
    etag?: string;
    last_modified?: string;
    archive_member?: string;
    unpack?: UnpackMode;
    format?: string;
    layer?: string;
    quality?: unknown;
    snow?: string;
    band?: number;
  },
  ctx: z.RefinementCtx,
): void {
  checkAccess(e, ctx);
  if (e.path === undefined && e.url === undefined) {
    ctx.addIssue({ code: 'custom', path: ['path'], message: 'is required (give `path` to the local copy, or at least `url`)' });
  }
  if (e.shipped === true && e.path === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['shipped'],
      message: 'is true but the entry has no path; a shipped file needs `path` (relative to the manifest file)',
    });
  }
  if (e.shipped === true && e.download === 'manual') {
    ctx.addIssue({ code: 'custom', path: ['download'], message: 'is manual, but the entry is shipped (never downloaded); drop one of the two' });
  }
  if (e.download === 'manual' && e.url === undefined) {
    ctx.addIssue({ code: 'custom', path: ['download'], message: 'is manual but the entry has no url; give the page where the file can be downloaded by hand' });
  }
  if (e.kind !== 'raster') return;
  if (e.sensor !== undefined && MONTHLY_SENSORS.includes(e.sensor) && e.month === undefined) {
    ctx.addIssue({ code: 'custom', path: ['month'], message: `is required for sensor ${e.sensor} (1-12)` });
  }
  if (e.month !== undefined && (e.sensor === 'dmsp-ols' || e.sensor === 'viirs-vnl' || e.sensor === 'harmonized' || e.sensor === 'blackmarble-annual')) {
    ctx.addIssue({
      code: 'custom',
      path: ['month'],
      message: `is not allowed for the annual sensor ${e.sensor}; use sensor ${e.sensor === 'blackmarble-annual' ? 'blackmarble-monthly' : 'viirs-monthly'} or other`,
    });
  }
  const format = rasterFormatOf(e);
  if (format !== 'blackmarble') {
    for (const k of ['layer', 'quality', 'snow'] as const) {
      if (e[k] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: 'is a Black Marble option; set format: blackmarble (or give the .h5 tile as path), or leave it out',
        });
    }
  } else if (e.band !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['band'], message: 'does not apply to Black Marble tiles; choose the layer with layer:' });
  }
  if (format === 'blackmarble' && (e.sensor === 'blackmarble-annual' || e.sensor === 'blackmarble-monthly') === false && e.sensor !== 'other') {
    ctx.addIssue({
      code: 'custom',
      path: ['sensor'],
      message: `is ${e.sensor}, but the entry is a Black Marble tile; use blackmarble-annual (VNP46A4), blackmarble-monthly (VNP46A3) or other`,
    });
  }
  if (e.satellite !== undefined && e.sensor !== 'dmsp-ols') {
    ctx.addIssue({ code: 'custom', path: ['satellite'], message: `is only for sensor dmsp-ols, not ${e.sensor}` });
  }
}

/** `access: remote`: a raster whose url is the GeoTIFF itself, over http(s), neither shipped nor packed. */
function checkAccess(
  e: {
    url?: string;
    shipped?: boolean;
    download?: DownloadMode;
    kind: EntryKind;
    access?: AccessMode;
    etag?: string;
    last_modified?: string;
    archive_member?: string;
    unpack?: UnpackMode;
  },
  ctx: z.RefinementCtx,
): void {
  if (e.access !== 'remote') {
    for (const k of ['etag', 'last_modified'] as const) {
      if (e[k] !== undefined)
        ctx.addIssue({ code: 'custom', path: [k], message: 'pins the version of a remote file; it is only for entries with access: remote' });
    }
    return;
  }
  if (e.kind !== 'raster') {
    ctx.addIssue({
      code: 'custom',
      path: ['access'],
      message: `is remote, but only raster entries are read in place; a ${e.kind} entry needs a local copy (drop access, give path, and \`ntl fetch\` it)`,
    });
    return;
  }
  if (e.url === undefined) {
    ctx.addIssue({ code: 'custom', path: ['access'], message: 'is remote but the entry has no url; give the http(s) address of the GeoTIFF' });
  } else if (!/^https?:\/\//i.test(e.url)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http:// or https:// address for access: remote' });
  }
  if (e.shipped === true)
    ctx.addIssue({ code: 'custom', path: ['access'], message: 'is remote, but the entry is shipped (a file inside the project); drop one of the two' });
  if (e.download === 'manual')
    ctx.addIssue({
      code: 'custom',
      path: ['access'],
      message: 'is remote, but download: manual says the url is a web page, not the file; point url at the GeoTIFF itself',
    });
  const packed =
    e.archive_member !== undefined ||
    (e.unpack !== undefined && e.unpack !== 'none') ||
    (e.unpack === undefined && e.url !== undefined && /\.(gz|tgz|tar|zip)([?#].*)?$/i.test(e.url));
  if (packed) {
    ctx.addIssue({
      code: 'custom',
      path: ['access'],
      message:
        'is remote, but the url is an archive or compressed download; only a plain (ideally Cloud-Optimised) GeoTIFF can be read in place — drop access: remote and `ntl fetch` it',
    });
  }
}

// In a regular manifest `size` and `sha256` must be written, but may be `null`: "not recorded yet" (a file that
// is not at hand; `ntl fetch --record` fills them). Such an entry can be listed, fetched and recorded, but a
// pipeline that reads it is refused (resolve.ts) — a manifest may mix recorded and unrecorded entries.
const recordable = {
  size: sizeSchema.nullable().transform((v) => v ?? undefined),
  sha256: sha256Schema.nullable().transform((v) => v ?? undefined),
};

const rasterManifestEntry = rasterEntrySchema.extend(recordable);
const boundariesManifestEntry = boundariesEntrySchema.extend(recordable);
const tableManifestEntry = tableEntrySchema.extend(recordable);

export const manifestEntrySchema = z
  .preprocess(
    withDefaultKind,
    z.discriminatedUnion('kind', [rasterManifestEntry, boundariesManifestEntry, tableManifestEntry], {
      error: `must be one of ${ENTRY_KINDS.join(', ')}`,
    }),
  )
  .superRefine(checkEntry)
  .superRefine((e, ctx) => {
    if (e.shipped === true && (e.size === undefined || e.sha256 === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [e.size === undefined ? 'size' : 'sha256'],
        message: 'is null, but the entry is shipped: a file inside the project must be recorded (`ntl manifest add --replace`)',
      });
    }
  });

/** true when the entry's size and sha256 are recorded (not null). */
export function isRecorded(e: { readonly size?: number; readonly sha256?: string }): e is { size: number; sha256: string } {
  return e.size !== undefined && e.sha256 !== undefined;
}

function uniqueIds(m: { entries: readonly { id: string }[] }, ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  m.entries.forEach((e, i) => {
    const prev = first.get(e.id);
    if (prev === undefined) first.set(e.id, i);
    else ctx.addIssue({ code: 'custom', path: ['entries', i, 'id'], message: `'${e.id}' is already used by entries[${prev}]; ids must be unique` });
  });
}

/** A template can not be pipeline input: say so once, instead of one "sha256 is required" per entry. */
const rejectTemplate = (v: unknown, ctx: z.RefinementCtx): unknown => {
  if (v !== null && typeof v === 'object' && (v as Record<string, unknown>).template === true) {
    ctx.addIssue({
      code: 'custom',
      path: ['template'],
      message:
        'is true: this manifest is a template (official file names, no checksums) and cannot be used as input; ' +
        'download the files and record your copies in your own manifest with `ntl manifest add <your.yaml> --from-template <this file> --file <download>`',
    });
  }
  return v;
};

export const manifestSchema = z.preprocess(
  rejectTemplate,
  z
    .strictObject({
      manifest: z.literal(MANIFEST_VERSION, { error: `must be ${MANIFEST_VERSION} (the manifest format version)` }),
      name: entryIdSchema,
      description: z.string().optional(),
      /** Only `false` here; `template: true` manifests are read with templateManifestSchema. */
      template: z.boolean().optional(),
      /** Folder the (non-shipped) entry paths are relative to, relative to this file; `--data-dir` overrides it. */
      data_dir: dataDirSchema.optional(),
      entries: z.array(manifestEntrySchema),
    })
    .superRefine(uniqueIds),
);

// --- templates: the same entries, with the measured fields optional -------------------------------

// `sha256: null` marks "to be recorded by the first `ntl fetch --record`"; null reads as missing.
const unmeasured = { size: sizeSchema.nullish().transform((v) => v ?? undefined), sha256: sha256Schema.nullish().transform((v) => v ?? undefined) };
export const templateCompanionSchema = companionSchema.extend(unmeasured);
// A template describes public data for others to use: its entries must say under which terms and how to cite.
const templateFields = { ...unmeasured, companions: z.array(templateCompanionSchema).optional(), licence: text, citation: text };

export const templateEntrySchema = z
  .preprocess(
    withDefaultKind,
    z.discriminatedUnion(
      'kind',
      [rasterEntrySchema.extend(templateFields), boundariesEntrySchema.extend(templateFields), tableEntrySchema.extend(templateFields)],
      { error: `must be one of ${ENTRY_KINDS.join(', ')}` },
    ),
  )
  .superRefine(checkEntry);

export const templateManifestSchema = z
  .strictObject({
    manifest: z.literal(MANIFEST_VERSION, { error: `must be ${MANIFEST_VERSION} (the manifest format version)` }),
    name: entryIdSchema,
    description: z.string().optional(),
    template: z.literal(true, { error: 'must be true in a template manifest' }),
    data_dir: dataDirSchema.optional(),
    entries: z.array(templateEntrySchema),
  })
  .superRefine(uniqueIds);

export type TemplateEntry = z.output<typeof templateEntrySchema>;
export type TemplateManifest = z.output<typeof templateManifestSchema>;

/** size / sha256 are undefined when the manifest says `null` (not recorded yet; see isRecorded). */
export type RasterEntry = z.output<typeof rasterManifestEntry>;
export type BoundariesEntry = z.output<typeof boundariesManifestEntry>;
export type TableEntry = z.output<typeof tableManifestEntry>;
export type ManifestEntry = RasterEntry | BoundariesEntry | TableEntry;
export type ManifestData = z.output<typeof manifestSchema>;

export interface ManifestSource {
  /** Absolute path of the manifest file; entry paths resolve against its folder. */
  readonly file: string;
  /** How messages name it. */
  readonly display: string;
  /** 1-based YAML line of every node, keyed like "entries[3].sha256". */
  readonly lines: Readonly<Record<string, number>>;
  /**
   * Absolute folder given with --data-dir: replaces the manifest's own `data_dir` (only when it declares one).
   * A folder the user names is trusted; entry paths must still stay inside it.
   */
  readonly dataDir?: string;
}

export interface Manifest extends ManifestData {
  readonly source: ManifestSource;
}
