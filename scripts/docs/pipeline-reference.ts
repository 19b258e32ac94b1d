/**
 * docs/pipeline.md from the pipeline schema: every key, its type, default and meaning.
 *   npx tsx scripts/docs/pipeline-reference.ts          write docs/pipeline.md
 *   npx tsx scripts/docs/pipeline-reference.ts --check  exit 1 when the committed file differs
 * test/unit/docs-pipeline-reference.test.ts asserts the committed file equals this output.
 *
 * Structure (keys, types, enums, defaults, limits, required) comes from the zod schemas themselves
 * (`z.toJSONSchema`); the meaning of a key is the doc comment written above it in the schema source, read with the
 * TypeScript parser — so a key added to the schema appears here, with its comment, on the next regeneration.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { z } from 'zod';
import { pipelineSpecSchema } from '../../src/pipeline/spec.js';
import { STEP_SCHEMA } from '../../src/calibrate/chain.js';
import { STAT_NAMES } from '../../src/zonal/types.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

type Json = {
  type?: string | string[];
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  prefixItems?: Json[];
  anyOf?: Json[];
  oneOf?: Json[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  pattern?: string;
  additionalProperties?: unknown;
};

// ---- doc comments from the schema source ----------------------------------------------------------------

interface Prop {
  readonly doc: string;
  readonly init: ts.Expression;
  readonly file: ts.SourceFile;
}

const parsed = new Map<string, ts.SourceFile>();
function sourceFile(path: string): ts.SourceFile {
  let sf = parsed.get(path);
  if (!sf) {
    sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    parsed.set(path, sf);
  }
  return sf;
}

function docOf(node: ts.Node): string {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  return docs
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The declaration of `name` in `sf`, following a named import into its module (`../x.js` → `../x.ts`). */
function declaration(name: string, sf: ts.SourceFile): { decl: ts.VariableDeclaration; stmt: ts.VariableStatement; file: ts.SourceFile } | undefined {
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name) return { decl: d, stmt: st, file: sf };
      }
    }
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      for (const el of st.importClause.namedBindings.elements) {
        if (el.name.text !== name) continue;
        const spec = (st.moduleSpecifier as ts.StringLiteral).text;
        if (!spec.startsWith('.')) return undefined;
        const target = resolve(dirname(sf.fileName), spec.replace(/\.js$/, '.ts'));
        return declaration((el.propertyName ?? el.name).text, sourceFile(target));
      }
    }
  }
  return undefined;
}

const CHAIN = new Set([
  'optional',
  'default',
  'nullable',
  'refine',
  'superRefine',
  'transform',
  'describe',
  'meta',
  'strict',
  'min',
  'max',
  'int',
  'regex',
  'trim',
]);

/** The object literal of the first `z.strictObject({...})` / `z.object({...})` an expression builds. */
function objectOf(e: ts.Expression, sf: ts.SourceFile): { obj: ts.ObjectLiteralExpression; file: ts.SourceFile } | undefined {
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) return objectOf(e.expression, sf);
  if (ts.isIdentifier(e)) {
    const d = declaration(e.text, sf);
    return d?.decl.initializer ? objectOf(d.decl.initializer, d.file) : undefined;
  }
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      const o = objectOf(el as ts.Expression, sf);
      if (o) return o;
    }
    return undefined;
  }
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return undefined;
  const method = e.expression.name.text;
  const receiver = e.expression.expression;
  if (CHAIN.has(method) && !(ts.isIdentifier(receiver) && receiver.text === 'z')) return objectOf(receiver, sf);
  if (['strictObject', 'looseObject', 'object'].includes(method) && e.arguments[0] && ts.isObjectLiteralExpression(e.arguments[0])) {
    return { obj: e.arguments[0], file: sf };
  }
  for (const a of e.arguments) {
    const o = objectOf(a, sf);
    if (o) return o;
  }
  return undefined;
}

/** The properties of an object literal by key, spreads (`...fields`) and `X.key` references followed. */
function propsOf(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile): Map<string, Prop> {
  const out = new Map<string, Prop>();
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p) && ts.isIdentifier(p.expression)) {
      const d = declaration(p.expression.text, sf);
      if (d?.decl.initializer && ts.isObjectLiteralExpression(d.decl.initializer)) {
        for (const [k, v] of propsOf(d.decl.initializer, d.file)) out.set(k, v);
      }
    } else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      let prop: Prop = { doc: docOf(p), init: p.initializer, file: sf };
      // `model: HARMONISE_FIT_FIELDS.model`: the field (and its comment) where it is defined
      const init = p.initializer;
      if (ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.expression)) {
        const d = declaration(init.expression.text, sf);
        if (d?.decl.initializer && ts.isObjectLiteralExpression(d.decl.initializer)) {
          const there = propsOf(d.decl.initializer, d.file).get(init.name.text);
          if (there) prop = { doc: prop.doc || there.doc, init: there.init, file: there.file };
        }
      }
      out.set(p.name.text, prop);
    }
  }
  return out;
}

/** The doc comment of the variable an expression starts from (`inequalitySchema.optional()` → its comment). */
function schemaDoc(e: ts.Expression, sf: ts.SourceFile): string {
  let x: ts.Expression = e;
  while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && CHAIN.has(x.expression.name.text)) x = x.expression.expression;
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'array' && x.arguments[0]) x = x.arguments[0];
  if (!ts.isIdentifier(x)) return '';
  const d = declaration(x.text, sf);
  return d ? docOf(d.stmt) : '';
}

/** Shared value kinds of the schema, named by the variable they are built from. */
const KINDS: Record<string, string> = {
  statSchema: 'statistic',
  entryIdSchema: 'id (letters, digits, `.`, `_`, `-`)',
  calibrateStepSchema: 'calibration steps ([Calibration steps](#calibration-steps-calibrate))',
  relativePath: 'path (relative to the pipeline file)',
  yearsSchema: 'years',
  year: 'year',
  seriesName: 'series name',
  columnName: 'column name',
  text: 'text',
};

function kindOf(e: ts.Expression): string | undefined {
  let x: ts.Expression = e;
  while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && CHAIN.has(x.expression.name.text)) x = x.expression.expression;
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'array' && x.arguments[0]) {
    const k = kindOf(x.arguments[0]);
    return k ? `list of ${k}` : undefined;
  }
  return ts.isIdentifier(x) ? KINDS[x.text] : undefined;
}

// ---- rendering ------------------------------------------------------------------------------------------------

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function scalar(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(scalar).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${k}: ${scalar(x)}`).join(', ')} }`;
  }
  return String(v);
}

function typeOf(j: Json, kind: string | undefined): string {
  if (kind === 'years') return 'years: a list `[2012, 2013]` or `{ from, to, step? }`';
  if (j.const !== undefined) return `\`${scalar(j.const)}\``;
  if (j.enum) return j.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (j.anyOf ?? j.oneOf) {
    const alts = (j.anyOf ?? j.oneOf)!.filter((a) => a.type !== 'null');
    const t = alts.map((a) => typeOf(a, undefined)).join(' or ');
    return (j.anyOf ?? j.oneOf)!.some((a) => a.type === 'null') ? `${t} or \`null\`` : t;
  }
  const limits: string[] = [];
  if (j.minimum !== undefined && j.minimum > -MAX_SAFE) limits.push(`≥ ${j.minimum}`);
  if (j.exclusiveMinimum !== undefined) limits.push(`> ${j.exclusiveMinimum}`);
  if (j.maximum !== undefined && j.maximum < MAX_SAFE) limits.push(`≤ ${j.maximum}`);
  if (j.exclusiveMaximum !== undefined) limits.push(`< ${j.exclusiveMaximum}`);
  const lim = limits.length ? ` (${limits.join(', ')})` : '';
  const t = Array.isArray(j.type) ? j.type.filter((x) => x !== 'null').join(' or ') : j.type;
  switch (t) {
    case 'integer':
      return `whole number${lim}`;
    case 'number':
      return `number${lim}`;
    case 'boolean':
      return '`true` | `false`';
    case 'string':
      return kind ?? (j.pattern ? `text matching \`${j.pattern}\`` : 'text');
    case 'array':
      if (j.prefixItems) return `[${j.prefixItems.map((p) => typeOf(p, undefined)).join(', ')}]`;
      if (kind?.startsWith('list of')) return `${kind}${j.minItems ? ' (at least one)' : ''}`;
      return `list of ${j.items ? typeOf(j.items, undefined) : 'values'}${j.minItems ? ' (at least one)' : ''}`;
    case 'object':
      if (!j.properties) return `map of name → ${typeof j.additionalProperties === 'object' ? typeOf(j.additionalProperties as Json, undefined) : 'value'}`;
      return 'section';
    default:
      return kind ?? 'value';
  }
}

/** The object node inside a property's schema (itself, its list items, or an object alternative). */
function objectNode(j: Json): Json | undefined {
  if (j.properties) return j;
  if (j.items?.properties) return j.items;
  return (j.anyOf ?? j.oneOf)?.find((a) => a.properties);
}

interface Section {
  readonly path: string;
  readonly intro: string;
  readonly rows: string[];
}

function walk(path: string, node: Json, obj: { obj: ts.ObjectLiteralExpression; file: ts.SourceFile } | undefined, intro: string, out: Section[]): void {
  const props = obj ? propsOf(obj.obj, obj.file) : new Map<string, Prop>();
  const rows: string[] = [];
  const mine: Section = { path, intro, rows };
  out.push(mine);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const p = props.get(key);
    const kind = p ? kindOf(p.init) : undefined;
    const inner = kind ? undefined : objectNode(child);
    const full = path ? `${path}.${key}` : key;
    const sub = inner === child.items ? `${full}[]` : full;
    const need =
      node.required?.includes(key) && child.default === undefined
        ? 'required'
        : child.default !== undefined
          ? `default \`${scalar(child.default)}\``
          : 'optional';
    // a section without its own comment is explained by the comment on the schema it is built from
    const doc = p ? p.doc || schemaDoc(p.init, p.file) : '';
    let type = typeOf(child, kind);
    if (inner) {
      const link = `[${sub}](#${anchor(sub)})`;
      type = inner === child ? `section: ${link}` : inner === child.items ? `list of sections: ${link}` : `${type.replace(/section/, `section ${link}`)}`;
    }
    rows.push(`| \`${key}\` | ${cell(type)} | ${cell(inner && need.startsWith('default') ? 'optional (defaults below)' : need)} | ${cell(doc)} |`);
    if (inner) {
      const innerObj = p ? objectOf(p.init, p.file) : undefined;
      walk(sub, inner, innerObj, p ? schemaDoc(p.init, p.file) : '', out);
    }
  }
}

function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

function table(rows: readonly string[]): string[] {
  return ['| key | type | required / default | meaning |', '|---|---|---|---|', ...rows];
}

/** The annotated example: schema-valid (the test parses it), with the options left as comments. */
export const EXAMPLE = `pipeline: 1                        # format version
name: hunan-demo                   # names the run
manifests: [../data-manifests/demo.yaml]
boundaries:
  entry: hunan-counties            # a \`kind: boundaries\` manifest entry
  # id / name / parent / province: attribute names; default: the entry's id_field, name_field, parent_field, province_field
  # encoding: gbk                  # DBF text encoding when there is no .cpg;  crs: EPSG:4326 when there is no .prj
  # units: mainland                # default: drop Hong Kong, Macau and Taiwan units (GB/T 2260 codes 81, 82, 71)
  #                                # right after the hierarchy stage (one warning counts them); all: keep every unit
series:                            # one or more; each becomes a \`source\` value of the panel
  - name: viirs_like
    select: { sensor: harmonized, product: chen2021-npp-viirs-like-8bit }   # or: entries: [id, id, …]
    # sensor: …                    # expected sensor of every entry (a guard)
    # duplicates: error | prefer-newer-satellite | prefer-older-satellite | mean | composite   (two files for one year)
    # role: panel | calibration    # calibration: read only by calibrate steps (NDVI, DMSP mask, Pareto rank), no panel rows
  - name: dmsp_like
    select: { sensor: harmonized, product: wu2021-dmsp-like, years: { from: 2018, to: 2021 } }
years: { from: 2012, to: 2022 }    # or a list [2012, 2013, 2015]; { from, to, step } for long differences
zonal: { stats: [count, sum, mean, max, lit_count, lit_share, area_km2], rule: exact, nodata_as_zero: true, lit_threshold: 0 }
calibrate:                         # calibration before zonal statistics (optional; every \`ntl calibrate\` step)
  - { step: viirs_denoise, series: viirs_like, threshold: 0.3 }         # series: limits a step to one series
  - { step: intercalibrate, series: dmsp, table: elvidge2014 }          # satellite/year from the manifest entry
  # - { step: composite, series: dmsp, rule: liu }   # two satellites of a year (series duplicates: composite)
  # - { step: viirs_denoise, series: viirs, dmsp_mask: dmsp }   # background where that series' image of the year is 0
  # - { step: vanui, series: dmsp, ndvi: ndvi }      # ndvi: a series (role: calibration → no panel rows)
  # - { step: seam, series: dmsp }  /  { step: pareto, series: dmsp, rank_by: viirs }  /  { step: continuity, series: dmsp }
hierarchy: { crosswalk: my-xw, target_vintage: 2021 }   # optional: re-code units across boundary changes
inequality: { value: mean, group: prefecture, measures: [dagum, gini, theil, cv], min_group_size: 2 }   # optional → inequality.*
gap: { value: mean, ref: median }                       # optional → panel column mean_gap
harmonise:                         # optional: DMSP ↔ VIIRS harmonisation → series dmsp_scale
  from: viirs_like                 # series converted (x)
  to: dmsp_like                    # series whose scale is the target (y)
  # level: district                # district (default): fit on county \`stat\` pairs | pixel: fit on the overlap years'
  #                                # pixels (grids must nest; sigma: 0, min_dn: 0, clamp: 63), emit every statistic
  stat: sum                        # district level: panel statistic the relation is fitted on (one of zonal.stats)
  model: power                     # loglinear  y = a + b·ln x | power  y = a·x^b | sigmoid  y = a + b/(1+exp(−c(ln x−d)))
  name: dmsp_scale                 # \`source\` of the emitted series (lower-case id, not a series name)
spatial:                                                # optional → adjacency.csv/.gal, exposure.*
  rule: queen
  snap_m: 1
  exposure: { treated: poverty-counties-832, unit: mapchina_code, time: exit_year, order: 1 }
treatment: { table: poverty-counties-832, unit: mapchina_code, time: exit_year }   # optional: who is treated from when
# …, waves: true }                # the table is a policy list in waves: a unit named again in a later wave is treated
                                   # from its earliest year (a warning names them); without it, two years for a unit is an error
estimate:                          # optional: models on the county panel or the prefecture inequality table
  level: county                    # county (panel) | prefecture (inequality table, e.g. outcome G_jj)
  outcome: mean_gap
  source: viirs_like
  models: [did, eventstudy, placebo, bacon, att, spillover]
  eventstudy: { window: [-4, 4], ref: -1 }
  placebo: { draws: 500, seed: 1, mode: units }   # randomization inference; mode: timing = fake-date test (shift: 2)
  heterogeneity: [region]          # triple difference treat:i.<col> per split → estimates/did_by_<col>.json; region
                                   # (east/central/west) or any panel column, e.g. parent_id
  stages: [2016, 2018]             # cohort bins 2016-2017, 2018+ → treat:i.stage → estimates/did_by_stage.json
  intensity: lit_share             # treat × <panel column> → estimates/did_intensity.json (population is not a panel column)
  # covariates: { table: my-covariates, unit: county_code, time: year, columns: [x1, x2] }   # a manifest table entry
  # psm: { match: kernel, bandwidth: 0.06 }   # with \`psm\` in models → estimates/psm.json; psm without covariates is an error
outputs: { dir: ../out/hunan-demo, formats: [csv, parquet, dta], wide: true, maps: true, map_stat: sum, report: true }
concurrency: 2                     # periods processed at once
`;

/** Keys a pipeline's calibrate step carries beyond the step's own parameters (src/pipeline/stages/calibrate-stage.ts). */
const PIPELINE_STEP_KEYS: Record<string, string> = {
  intercalibrate: "`satellite` and `year` default to the manifest entry's",
  composite: "the second image is the series' other satellite of the year (`duplicates: composite` on the series); its satellite comes from its manifest entry",
  viirs_denoise: "`dmsp_mask: <series>` (not `true`): background where that series' image of the year is 0",
  vanui: "`ndvi: <series>` (required): the year's NDVI raster from that series",
  pareto: "`rank_by: <series>` (not `rank_by_aux`): rank top-coded pixels by that series' raster",
  continuity: 'runs over every year of the series after its other steps',
};

function calibrateSteps(): string[] {
  const js = z.toJSONSchema(STEP_SCHEMA, { io: 'input', unrepresentable: 'any' }) as Json;
  const sf = sourceFile(join(REPO, 'src/calibrate/chain.ts'));
  const decl = declaration('STEP_SCHEMA', sf)!;
  const alts = ((decl.decl.initializer as ts.CallExpression).arguments[1] as ts.ArrayLiteralExpression).elements;
  const out = ['| step | parameters (type, default) | in a pipeline |', '|---|---|---|'];
  for (const alt of js.oneOf ?? js.anyOf ?? []) {
    const name = String(alt.properties?.step?.const);
    const astAlt = alts.find((a) => a.getText().includes(`step: z.literal('${name}')`));
    const props = astAlt ? propsOf(objectOf(astAlt as ts.Expression, sf)!.obj, sf) : new Map<string, Prop>();
    const params = Object.entries(alt.properties ?? {})
      .filter(([k]) => k !== 'step')
      .map(([k, j]) => {
        const doc = props.get(k)?.doc;
        const def = j.default !== undefined ? `, default \`${scalar(j.default)}\`` : alt.required?.includes(k) ? ', required' : '';
        const type = j.type === 'object' && j.properties ? `{ ${Object.keys(j.properties).join(', ')} }` : typeOf(j, undefined);
        return `\`${k}\`: ${type}${def}${doc ? ` — ${doc}` : ''}`;
      });
    out.push(`| \`${name}\` | ${cell(params.join('; ') || '—')} | ${cell(PIPELINE_STEP_KEYS[name] ?? 'as in `ntl calibrate`')} |`);
  }
  return out;
}

export function pipelineReference(): string {
  const json = z.toJSONSchema(pipelineSpecSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const specFile = sourceFile(join(REPO, 'src/pipeline/spec.ts'));
  const root = declaration('pipelineSpecSchema', specFile)!;
  const sections: Section[] = [];
  walk('', json, objectOf(root.decl.initializer!, specFile), '', sections);

  const out: string[] = [
    '# Pipeline YAML reference',
    '',
    '<!-- Generated from the zod schema in src/pipeline/spec.ts by scripts/docs/pipeline-reference.ts; do not edit by hand:',
    '     run `npx tsx scripts/docs/pipeline-reference.ts` (test/unit/docs-pipeline-reference.test.ts checks it is current). -->',
    '',
    'A pipeline (`pipelines/*.yaml`) declares a whole county × year panel run: which manifest entries to read, how to',
    'summarise them per unit, which analyses to run and what to write. It names its inputs by manifest entry (never by',
    'bare path); paths are relative to the pipeline file. It is checked against this schema before anything runs: an',
    'unknown key, a wrong type, an unknown entry, a year no input covers, or two inputs for one year without a rule is',
    'one error naming the file and YAML line. Shipped: `hunan-demo.yaml` (the main command), `hunan-blooming.yaml` (the',
    'same clips through SEAM, and Pareto for the DMSP-like series, before zonal statistics; ~7 s), and the two China',
    'studies ([china.md](china.md)). What a run does and writes: [outputs.md](outputs.md); calibration and',
    'harmonisation in a pipeline: [calibration.md](calibration.md); sharding and caching: [scale-out.md](scale-out.md).',
    '',
    '## An annotated example',
    '',
    '```yaml',
    EXAMPLE.trimEnd(),
    '```',
    '',
    '## Keys',
    '',
  ];
  for (const s of sections) {
    if (s.path) {
      out.push(`### ${s.path}`, '');
      if (s.intro) out.push(s.intro, '');
    }
    out.push(...table(s.rows), '');
  }
  out.push(
    '## Statistic names',
    '',
    `A \`statistic\` above is one of ${STAT_NAMES.filter((s) => s !== 'quantile')
      .map((s) => `\`${s}\``)
      .join(', ')}, or`,
    '`quantile:q` with q in [0, 1] (column `quantile_0_9` for `quantile:0.9`). Definitions: [methods.md](methods.md#statistics).',
    '',
    '## Calibration steps (`calibrate:`)',
    '',
    'Each entry is `{ step: <name>, series?: <series>, ...parameters }`; without `series:` a step applies to every panel',
    'series. Parameters are validated by the step schema in src/calibrate/chain.ts (the same one `ntl calibrate` uses):',
    '',
    ...calibrateSteps(),
    '',
  );
  return out.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = join(REPO, 'docs', 'pipeline.md');
  const text = pipelineReference();
  if (process.argv.includes('--check')) {
    const same = readFileSync(file, 'utf8') === text;
    console.log(same ? 'docs/pipeline.md: up to date' : 'docs/pipeline.md differs from the schema; run npx tsx scripts/docs/pipeline-reference.ts');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(file, text);
  console.log('wrote docs/pipeline.md');
}
