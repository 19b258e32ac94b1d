/**
 * The flag-style `ntl calibrate` of earlier releases (`--input F --satellite F16 --year 2008 …`, `--viirs-denoise`,
 * `--monthly`, `--continuity`, `--report`, `--harmonise`, `--dmsp-like`, `--fit-intercalibration`, …), kept for one
 * release: the old flags are parsed as before, the mode they selected becomes a verb, and the invocation is
 * rewritten into that verb's flags and run by it — with a warning that shows the verb form to use. Flags the old
 * mode read without effect (e.g. --threshold next to --satellite) are dropped, as they were ignored, and named.
 */
import { NtlError } from '../../errors.js';
import { parseFlags, type FlagSpec, type FlagValues } from '../args.js';
import { acceptedFlags, allFlags, type Verb } from './verb.js';

/** The flags of the flag-style command, as they were. */
export const LEGACY_FLAGS: FlagSpec = {
  input: { type: 'string' },
  satellite: { type: 'string' },
  year: { type: 'string' },
  table: { type: 'string' },
  clamp: { type: 'string' },
  composite: { type: 'string' },
  'composite-satellite': { type: 'string' },
  'composite-rule': { type: 'string' },
  'viirs-denoise': { type: 'boolean' },
  threshold: { type: 'string' },
  'dmsp-mask': { type: 'string' },
  cap: { type: 'string' },
  'cap-percentile': { type: 'string' },
  monthly: { type: 'string' },
  dates: { type: 'string' },
  coverage: { type: 'string' },
  report: { type: 'boolean' },
  continuity: { type: 'string' },
  'nodata-as-zero': { type: 'boolean' },
  'lit-threshold': { type: 'string' },
  out: { type: 'string' },
  'out-type': { type: 'string' },
  'out-nodata': { type: 'string' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'saturation-mask': { type: 'boolean' },
  'saturation-threshold': { type: 'string' },
  ndvi: { type: 'string' },
  'ntl-max': { type: 'string' },
  seam: { type: 'boolean' },
  'seam-window': { type: 'string' },
  'seam-region': { type: 'string' },
  'seam-min-plp': { type: 'string' },
  'seam-no-smooth': { type: 'boolean' },
  'seam-renormalise': { type: 'boolean' },
  harmonise: { type: 'boolean' },
  model: { type: 'string' },
  dmsp: { type: 'string' },
  viirs: { type: 'string' },
  sigma: { type: 'string' },
  'min-dn': { type: 'string' },
  'max-dn': { type: 'string' },
  pairs: { type: 'string' },
  x: { type: 'string' },
  y: { type: 'string' },
  'dmsp-like': { type: 'string' },
  'fit-intercalibration': { type: 'boolean' },
  reference: { type: 'string' },
  region: { type: 'string' },
  'region-id': { type: 'string' },
  'region-rule': { type: 'string' },
  'cap-cores': { type: 'string' },
  'cores-id': { type: 'string' },
  'zlib-level': { type: 'string' },
  predictor: { type: 'string' },
  pareto: { type: 'boolean' },
  'pareto-rank': { type: 'string' },
  'pareto-alpha': { type: 'string' },
  'pareto-lower': { type: 'string' },
  'pareto-upper': { type: 'string' },
};

/** How one old mode maps onto a verb. */
interface Mode {
  readonly verb: string;
  /** Old flags that selected the mode (the verb replaces them). */
  readonly consumed: readonly string[];
  /** Old flag → the verb's flag. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Old flags the mode read without effect (beyond those the verb does not take). */
  readonly ignored?: readonly string[];
  /** The only old flags the mode read (the verb takes more, for another form). */
  readonly only?: readonly string[];
}

const HARMONISE_FIT_ONLY = ['model', 'dmsp', 'viirs', 'sigma', 'min-dn', 'pairs', 'x', 'y'];

/** The old dispatch (same order and tests as the flag-style command). */
export function legacyMode(v: FlagValues): Mode {
  if (v.report) return { verb: 'report', consumed: ['report'] };
  if (typeof v.continuity === 'string') return { verb: 'continuity', consumed: [], rename: { continuity: 'variant' } };
  if (v.harmonise) {
    // a district fit read --pairs and its columns; a pixel fit --dmsp, --viirs, --sigma, --min-dn
    const only = typeof v.pairs === 'string' ? ['model', 'pairs', 'x', 'y'] : ['model', 'dmsp', 'viirs', 'sigma', 'min-dn'];
    return { verb: 'harmonise', consumed: ['harmonise'], only: [...only, 'out', 'threads'] };
  }
  if (v['fit-intercalibration']) return { verb: 'fit-intercalibration', consumed: ['fit-intercalibration'] };
  if (typeof v.monthly === 'string') return { verb: 'monthly', consumed: [], rename: { monthly: 'input' }, ignored: ['input'] };
  if (v['saturation-mask'])
    return { verb: 'saturation', consumed: ['saturation-mask'], rename: { 'saturation-threshold': 'threshold' }, ignored: ['threshold'] };
  if (typeof v['dmsp-like'] === 'string') return { verb: 'harmonise', consumed: [], rename: { 'dmsp-like': 'apply' }, ignored: HARMONISE_FIT_ONLY };
  if (v['viirs-denoise']) {
    // the old command let --cap-cores override --cap-percentile, and that override --cap; the verb takes one
    const caps = ['cap-cores', 'cap-percentile', 'cap'].filter((f) => v[f] !== undefined);
    return { verb: 'denoise', consumed: ['viirs-denoise'], ignored: caps.slice(1) };
  }
  if (typeof v.satellite === 'string' || !(v.ndvi || v.seam || v.pareto)) {
    if (typeof v.composite === 'string')
      return { verb: 'composite', consumed: [], rename: { composite: 'with', 'composite-satellite': 'with-satellite', 'composite-rule': 'rule' } };
    return { verb: 'intercalibrate', consumed: [] };
  }
  if (typeof v.ndvi === 'string') return { verb: 'vanui', consumed: [] };
  if (v.seam) return { verb: 'seam', consumed: ['seam'] };
  return { verb: 'pareto', consumed: ['pareto'] };
}

/** `a b` as a shell would read it back (single quotes where needed). */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface LegacyTranslation {
  readonly verb: string;
  /** The verb's argv (without the verb). */
  readonly argv: string[];
  /** Old flags dropped because the old mode ignored them. */
  readonly ignored: string[];
}

/** Old argv → the verb and its argv. Parse errors are the old command's. */
export function translateLegacy(argv: readonly string[], verbs: Readonly<Record<string, Verb>>): LegacyTranslation {
  const { values, positionals } = parseFlags('calibrate', argv, LEGACY_FLAGS);
  const misplaced = positionals.find((p) => verbs[p]);
  if (misplaced) throw new NtlError(`ntl calibrate: the verb comes first: ntl calibrate ${misplaced} ${shellLine(argv.filter((a) => a !== misplaced))}`);
  const mode = legacyMode(values);
  const verb = verbs[mode.verb]!;
  const accepted = acceptedFlags(verb);
  const needs = new Map(
    allFlags(verb)
      .filter((f) => f.needs)
      .map((f) => [f.name, f.needs!]),
  );
  const kept = new Map<string, string | boolean>();
  const ignored: string[] = [];
  for (const [k, val] of Object.entries(values)) {
    if (val === undefined || k === 'help' || mode.consumed.includes(k)) continue;
    const name = mode.rename?.[k] ?? k;
    if ((mode.ignored?.includes(k) && !mode.rename?.[k]) || (mode.only && !mode.only.includes(k)) || !accepted.has(name)) ignored.push(`--${k}`);
    else kept.set(name, val);
  }
  // a parameter of a step the old command did not run (e.g. --seam-window without --seam) was ignored too
  for (const [name, need] of needs) {
    if (kept.has(name) && !kept.has(need)) {
      kept.delete(name);
      const old = Object.entries(mode.rename ?? {}).find(([, n]) => n === name)?.[0] ?? name;
      ignored.push(`--${old}`);
    }
  }
  const out: string[] = [];
  for (const [name, val] of kept) {
    if (val === true) out.push(`--${name}`);
    else if (typeof val === 'string') out.push(...(val.startsWith('-') ? [`--${name}=${val}`] : [`--${name}`, val]));
  }
  return { verb: mode.verb, argv: [...out, ...positionals], ignored };
}
