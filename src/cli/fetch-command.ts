/** `ntl fetch`: download the files a manifest names, resumably, verified, atomically. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NtlError } from '../errors.js';
import { fetchEntries, loadForFetch } from '../fetch/fetch.js';
import type { FetchResult, LoadedForFetch } from '../fetch/fetch.js';
import { createProgress } from '../fetch/progress.js';
import { recordResults } from '../fetch/record.js';
import { LAADS, TOKEN_ENV, TOKEN_FILE_ENV, readTokens, redact } from '../fetch/token.js';
import { loadPipelineManifests, pipelineEntries } from '../pipeline/resolve.js';
import { loadPipelineSpec } from '../pipeline/spec.js';
import { displayPath } from '../pipeline/yaml-errors.js';
import { dataDirFlag, optionalNumber } from './args.js';
import { parseCommandFlags } from './flags.js';
import type { CommandIo } from './zonal-command.js';
import { FETCH_FLAGS, FETCH_HELP } from './specs/fetch.js';

export async function fetchCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  // A token on the command line would end up in shell history and `ps`: refuse without echoing it.
  if (argv.some((a) => a === '--token' || a.startsWith('--token='))) {
    throw new NtlError(
      `ntl fetch: the token is never taken from the command line; set ${TOKEN_ENV} or ${TOKEN_FILE_ENV} instead (${LAADS.env} or ${LAADS.fileEnv} for NASA LAADS)`,
    );
  }
  const { values, positionals } = parseCommandFlags('fetch', argv, FETCH_FLAGS, io);
  if (values.help) {
    io.stdout(FETCH_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new NtlError('ntl fetch: give exactly one manifest file, e.g. `ntl fetch data-manifests/china.yaml`; see `ntl fetch --help`');
  if (values.record && values['record-to'] !== undefined) throw new NtlError('ntl fetch: use --record or --record-to, not both');
  const dataDir = dataDirFlag('fetch', values, false);
  const mirror = typeof values.mirror === 'string' ? mirrorFlag(values.mirror) : undefined;
  const jobs = optionalNumber('fetch', values, 'threads', (n) => Number.isInteger(n) && n >= 1 && n <= 16, 'a whole number 1-16') ?? 2;
  const retries = optionalNumber('fetch', values, 'retries', (n) => Number.isInteger(n) && n >= 0 && n <= 20, 'a whole number 0-20');
  const timeout = optionalNumber('fetch', values, 'timeout', (n) => n > 0, 'a number of seconds > 0');
  const maxBytes = optionalNumber('fetch', values, 'max-size', (n) => Number.isInteger(n) && n > 0, 'a whole number of bytes > 0');
  const backoff = Number(process.env.NTL_FETCH_BACKOFF_MS); // tests shrink the backoff; not a user flag
  const only =
    typeof values.only === 'string'
      ? values.only
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;

  const token = readTokens();
  try {
    const loaded = await loadForFetch(positionals[0]);
    const forPipeline = typeof values.for === 'string' ? await entriesFor(values.for, loaded, dataDir, io) : undefined;
    const count = only ? only.length : forPipeline ? forPipeline.ids.length : loaded.entries.length;
    io.stdout(
      `${loaded.source.display}: ${count} entr${count === 1 ? 'y' : 'ies'}${forPipeline ? ` read by ${forPipeline.display}` : ''}` +
        `${loaded.template ? ' (template: no checksums recorded yet)' : ''}${mirror ? ` from mirror ${mirror}` : ''}\n`,
    );
    const progress = createProgress(io.stderr, Boolean(process.stderr.isTTY), count);
    const results = await fetchEntries(loaded, {
      only,
      forPipeline,
      dataDir,
      mirror,
      jobs,
      retries,
      backoffMs: Number.isFinite(backoff) && backoff >= 0 ? backoff : undefined,
      idleTimeoutMs: timeout !== undefined ? timeout * 1000 : undefined,
      maxBytes,
      allowOutside: values['allow-outside'] === true,
      progress,
      readsAlso: typeof values.for === 'string' ? [{ flag: '--for', path: values.for }] : undefined,
      recordTo: typeof values['record-to'] === 'string' ? values['record-to'] : undefined,
    });
    progress.close();
    const n = (s: string) => results.filter((r) => r.status === s).length;
    io.stdout(
      `  ${results.length} file(s): ${n('downloaded')} fetched, ${n('ok')} already ok, ${n('present')} present without checksum, ` +
        `${n('manual')} to download by hand, ${n('failed')} failed\n`,
    );
    if (values.record || values['record-to'] !== undefined) {
      const rec = await recordResults(loaded.source.file, results, {
        recordTo: typeof values['record-to'] === 'string' ? values['record-to'] : undefined,
        dataDir,
      });
      const left = rec.missing.length;
      io.stdout(
        `  recorded ${rec.recorded} entr${rec.recorded === 1 ? 'y' : 'ies'} in ${displayPath(rec.file)}` +
          (!rec.regular
            ? ` (still a template: ${left} entr${left === 1 ? 'y has' : 'ies have'} no checksum yet)`
            : loaded.template || left === 0
              ? ' (a regular manifest: ready for pipelines)'
              : ` (${left} entr${left === 1 ? 'y is' : 'ies are'} still unrecorded: pipelines that read ${left === 1 ? 'it' : 'them'} are refused until recorded)`) +
          '\n',
      );
    } else if (n('present') > 0) {
      io.stdout(`  ${n('present')} file(s) have no recorded checksum: run again with --record to write their size and sha256 into ${loaded.source.display}\n`);
    }
    const failed = results.filter((r) => r.status === 'failed');
    const manual = results.filter((r) => r.status === 'manual');
    const problems: string[] = [];
    if (failed.length > 0)
      problems.push(`${failed.length} of ${results.length} file(s) could not be fetched:\n${failed.map((f) => `  - ${f.message}`).join('\n')}`);
    if (manual.length > 0) problems.push(manualInstructions(loaded, manual, dataDir, values, forPipeline?.display));
    if (problems.length > 0) throw new NtlError(problems.join('\n'));
    return 0;
  } catch (e) {
    // Last line of defence: no message leaves this command with the token in it.
    if (e instanceof NtlError) throw new NtlError(redact(e.message, token), e.exitCode);
    throw e;
  }
}

/** The ids of this manifest that a pipeline reads, resolved as `ntl run` resolves them (files need not exist yet). */
async function entriesFor(pipeline: string, loaded: LoadedForFetch, dataDir: string | undefined, io: CommandIo): Promise<{ display: string; ids: string[] }> {
  const spec = await loadPipelineSpec(pipeline);
  const manifests = await loadPipelineManifests(spec, { dataDir });
  const mine = resolve(loaded.source.file);
  if (!manifests.some((m) => m.source.file === mine)) {
    throw new NtlError(
      `ntl fetch: ${spec.source.display} does not read ${loaded.source.display} (its manifests: ${manifests.map((m) => m.source.display).join(', ')}); ` +
        'give one of those manifests, or drop --for',
    );
  }
  const used = pipelineEntries(spec, manifests);
  const others = new Map<string, number>();
  for (const u of used) if (u.manifest.source.file !== mine) others.set(u.manifest.source.display, (others.get(u.manifest.source.display) ?? 0) + 1);
  for (const [m, k] of others)
    io.stdout(
      `note: ${spec.source.display} also reads ${k} entr${k === 1 ? 'y' : 'ies'} of ${m}: \`ntl fetch ${m} --for ${spec.source.display}\` checks ${k === 1 ? 'it' : 'them'}\n`,
    );
  return { display: spec.source.display, ids: used.filter((u) => u.manifest.source.file === mine).map((u) => u.entry.id) };
}

/** --mirror: an http(s) or file URL, or a local folder (made a file URL). */
function mirrorFlag(v: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v)) {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new NtlError(`ntl fetch: --mirror ${v} is not a valid URL; give http(s)://host/path/, file:///path/ or a local folder`);
    }
    if (!['http:', 'https:', 'file:'].includes(u.protocol))
      throw new NtlError(`ntl fetch: --mirror ${v}: only http, https and file URLs (or a local folder) are supported`);
    return u.href;
  }
  const dir = resolve(v);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new NtlError(`ntl fetch: --mirror ${v} is neither a URL nor an existing folder; give http(s)://host/path/, file:///path/ or a local folder`);
  return pathToFileURL(dir).href + '/';
}

function manualInstructions(
  loaded: LoadedForFetch,
  manual: readonly FetchResult[],
  dataDir: string | undefined,
  values: Record<string, unknown>,
  forDisplay?: string,
): string {
  const ids = manual.map((r) => r.id).join(',');
  const unrecorded = manual.some((r) => loaded.entries[r.index]?.sha256 === undefined);
  const dd = dataDir !== undefined ? ` --data-dir ${displayPath(dataDir)}` : '';
  const which = forDisplay !== undefined && manual.length > 3 ? `--for ${forDisplay}` : `--only ${ids}`;
  const again = `ntl fetch ${loaded.source.display} ${which}${dd}${unrecorded ? ' --record' : ''}`;
  return (
    `${manual.length} file(s) must be downloaded by hand (download: manual — the url is a landing page, not the file; nothing was saved):\n` +
    manual.map((r) => `  - ${r.message}`).join('\n') +
    `\nopen each page, download the file of that entry (see its notes in ${loaded.source.display}), save it at the path shown, then run \`${again}\`` +
    (unrecorded ? ' to verify it and record its size and sha256' : ' to verify it') +
    (values.mirror === undefined ? ' (or fetch them from a mirror that has them with --mirror URL)' : '')
  );
}
