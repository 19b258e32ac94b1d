/** `ntl fetch`: download the files a manifest names, resumably, verified, atomically. */
import { NtlError } from '../errors.js';
import { fetchEntries, loadForFetch } from '../fetch/fetch.js';
import { createProgress } from '../fetch/progress.js';
import { recordResults } from '../fetch/record.js';
import { TOKEN_ENV, TOKEN_FILE_ENV, readToken, redact } from '../fetch/token.js';
import { displayPath } from '../pipeline/yaml-errors.js';
import { ALLOW_OUTSIDE_ENV } from '../safety/paths.js';
import { optionalNumber, parseFlags } from './args.js';
import type { CommandIo } from './zonal-command.js';

export const FETCH_HELP = `ntl fetch — download the raw imagery a data manifest names

Usage:
  ntl fetch <manifest.yaml> [--only ID,...] [--dest DIR] [--jobs N] [--record | --record-to NEW.yaml]

Downloads every entry that is missing or whose size / sha256 does not match the manifest, resuming a
partial download (HTTP Range), unpacking .gz / .tar members as the entry says (archive_member, unpack),
and verifying size and sha256 BEFORE the file is moved into place. A failed or interrupted fetch never
leaves a half-written file at the entry's path; partial downloads wait in DEST/.ntl-fetch/ for a resume.

  --only <ids>        comma-separated entry ids (default: all entries)
  --dest <dir>        put files at DIR/<path> (default: the manifest's folder)
  --jobs <n>          files downloaded at once (default 2)
  --record            write the measured size and sha256 into the manifest (for entries without them,
                      e.g. a copy of a template); a template becomes a regular manifest once every
                      entry is recorded
  --record-to <f>     instead, write a new regular manifest F with the entries that have checksums
  --retries <n>       attempts after the first for dropped connections and 5xx (default 4)
  --timeout <s>       a connection silent this long is dropped and retried (default 60)
  --max-size <bytes>  largest file accepted when the manifest records no size (default 64 GiB)
  --allow-outside     allow entry paths outside --dest / the project folder (same as ${ALLOW_OUTSIDE_ENV}=1)

EOG downloads need an account token: set ${TOKEN_ENV}=<token>, or ${TOKEN_FILE_ENV}=<file holding it>.
The token is sent (as Authorization: Bearer) only to eogdata.mines.edu over https, never printed, never
written to any file. It is never read from the command line.

Examples:
  cp data-manifests/templates/eog-vnl-v2-annual.yaml data-manifests/my-vnl.yaml
  NTL_EOG_TOKEN_FILE=~/.eog-token ntl fetch data-manifests/my-vnl.yaml --only vnl-v2-2015,vnl-v2-2016 --dest data/vnl --record
  ntl fetch data-manifests/templates/eog-dmsp-v4-annual.yaml --dest data/dmsp --record-to data-manifests/my-dmsp.yaml
`;

const FLAGS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  only: { type: 'string' },
  dest: { type: 'string' },
  jobs: { type: 'string' },
  record: { type: 'boolean' },
  'record-to': { type: 'string' },
  retries: { type: 'string' },
  timeout: { type: 'string' },
  'max-size': { type: 'string' },
  'allow-outside': { type: 'boolean' },
} as const;

export async function fetchCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  // A token on the command line would end up in shell history and `ps`: refuse without echoing it.
  if (argv.some((a) => a === '--token' || a.startsWith('--token='))) {
    throw new NtlError(`ntl fetch: the token is never taken from the command line; set ${TOKEN_ENV} or ${TOKEN_FILE_ENV} instead`);
  }
  const { values, positionals } = parseFlags('fetch', argv, FLAGS);
  if (values.help) {
    io.stdout(FETCH_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new NtlError('ntl fetch: give exactly one manifest file, e.g. `ntl fetch data-manifests/my-vnl.yaml`; see `ntl fetch --help`');
  if (values.record && values['record-to'] !== undefined) throw new NtlError('ntl fetch: use --record or --record-to, not both');
  const jobs = optionalNumber('fetch', values, 'jobs', (n) => Number.isInteger(n) && n >= 1 && n <= 16, 'a whole number 1-16') ?? 2;
  const retries = optionalNumber('fetch', values, 'retries', (n) => Number.isInteger(n) && n >= 0 && n <= 20, 'a whole number 0-20');
  const timeout = optionalNumber('fetch', values, 'timeout', (n) => n > 0, 'a number of seconds > 0');
  const maxBytes = optionalNumber('fetch', values, 'max-size', (n) => Number.isInteger(n) && n > 0, 'a whole number of bytes > 0');
  const backoff = Number(process.env.NTL_FETCH_BACKOFF_MS); // tests shrink the backoff; not a user flag
  const only = typeof values.only === 'string' ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;

  const token = readToken();
  try {
    const loaded = await loadForFetch(positionals[0]);
    const count = only ? only.length : loaded.entries.length;
    io.stdout(`${loaded.source.display}: ${count} entr${count === 1 ? 'y' : 'ies'}${loaded.template ? ' (template: no checksums recorded yet)' : ''}\n`);
    const progress = createProgress(io.stderr, Boolean(process.stderr.isTTY), count);
    const results = await fetchEntries(loaded, {
      only, dest: typeof values.dest === 'string' ? values.dest : undefined, jobs, retries,
      backoffMs: Number.isFinite(backoff) && backoff >= 0 ? backoff : undefined,
      idleTimeoutMs: timeout !== undefined ? timeout * 1000 : undefined, maxBytes,
      allowOutside: values['allow-outside'] === true, progress,
    });
    progress.close();
    const n = (s: string) => results.filter((r) => r.status === s).length;
    io.stdout(`  ${results.length} file(s): ${n('downloaded')} fetched, ${n('ok')} already ok, ${n('present')} present without checksum, ${n('failed')} failed\n`);
    if (values.record || values['record-to'] !== undefined) {
      const rec = await recordResults(loaded.source.file, results, typeof values['record-to'] === 'string' ? values['record-to'] : undefined);
      io.stdout(
        `  recorded ${rec.recorded} entr${rec.recorded === 1 ? 'y' : 'ies'} in ${displayPath(rec.file)}` +
          (rec.regular ? ' (a regular manifest: ready for pipelines)' : ` (still a template: ${rec.missing.length} entr${rec.missing.length === 1 ? 'y has' : 'ies have'} no checksum yet)`) + '\n',
      );
    }
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
      throw new NtlError(`${failed.length} of ${results.length} file(s) could not be fetched:\n${failed.map((f) => `  - ${f.message}`).join('\n')}`);
    }
    return 0;
  } catch (e) {
    // Last line of defence: no message leaves this command with the token in it.
    if (e instanceof NtlError) throw new NtlError(redact(e.message, token), e.exitCode);
    throw e;
  }
}
