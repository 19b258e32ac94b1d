/** `ntl fetch`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { EOG, LAADS } from '../../fetch/token.js';
import { ALLOW_OUTSIDE_ENV } from '../../safety/paths.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const FETCH_FLAGS = {
  for: {
    type: 'string',
    arg: '<pipeline>',
    help: 'only the entries that pipeline reads from this manifest (its boundaries, the rasters its series select for its years, its treatment / exposure / covariate tables)',
  },
  only: { type: 'string', arg: '<ids>', help: 'comma-separated entry ids (default: all entries; with --for: a subset of those)' },
  'data-dir': {
    type: 'string',
    arg: '<dir>',
    aliases: ['dest'],
    help: "where the files go (the folder `ntl run --data-dir` reads). For a manifest with `data_dir:` (e.g. data-manifests/china.yaml) this folder replaces it — give the same --data-dir to `ntl run`; for one without, files go to DIR/<path>. Default: the manifest's data_dir, else the manifest's folder",
  },
  mirror: {
    type: 'string',
    arg: '<url>',
    help: 'fetch each entry from URL/<path> (its path below the data dir) instead of its url: an institutional mirror, an air-gapped copy, a local folder (file:///… or a path). The mirror holds the files as they lie in the data dir (already unpacked)',
  },
  threads: { type: 'string', arg: '<n>', default: '2', aliases: ['jobs'], help: 'files downloaded at once (1-16)' },
  record: {
    type: 'boolean',
    help: 'write the measured size and sha256 into the manifest (for entries that say size: null / sha256: null, e.g. a file downloaded by hand, or a copy of a template); a template becomes a regular manifest once every entry is recorded',
  },
  'record-to': { type: 'string', arg: '<f>', help: 'instead, write a new regular manifest F with the entries that have checksums' },
  retries: { type: 'string', arg: '<n>', default: '4', help: 'attempts after the first for dropped connections and 5xx' },
  timeout: { type: 'string', arg: '<s>', default: '60', help: 'a connection silent this long is dropped and retried' },
  'max-size': { type: 'string', arg: '<bytes>', default: '64 GiB', help: 'largest file accepted when the manifest records no size' },
  'allow-outside': { type: 'boolean', help: `allow entry paths outside the data dir / project folder (same as ${ALLOW_OUTSIDE_ENV}=1)` },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const FETCH_HELP = commandHelp(
  `ntl fetch — download the files a data manifest names

Usage:
  ntl fetch <manifest.yaml> [--for PIPELINE.yaml] [--only ID,...] [--data-dir DIR] [--mirror URL]
            [--threads N] [--record | --record-to NEW.yaml]

Downloads every entry that is missing or whose size / sha256 does not match the manifest, resuming a
partial download (HTTP Range), unpacking .gz / .tar members as the entry says (archive_member, unpack),
and verifying size and sha256 BEFORE the file is moved into place. A failed or interrupted fetch never
leaves a half-written file at the entry's path; partial downloads wait in <data dir>/.ntl-fetch/ for a resume.
Entries marked shipped: true are part of the project: verified, never downloaded. Entries marked
download: manual name a landing page: fetch prints where to download the file by hand and where to put
it (exit 1 until it is there), and never saves the page as data.`,
  FETCH_FLAGS,
  `Account tokens (each sent as Authorization: Bearer only to its own service's host over https, never
printed, never written to any file, never read from the command line):
  EOG (VNL, DMSP)           ${EOG.env}=<token> or ${EOG.fileEnv}=<file>     → ${EOG.hosts.join(', ')}
  NASA LAADS (Black Marble) ${LAADS.env}=<token> or ${LAADS.fileEnv}=<file> → ${LAADS.hosts.join(', ')}
                            (an Earthdata Login token: urs.earthdata.nasa.gov → Generate Token)

Examples:
  ntl fetch data-manifests/china.yaml --for pipelines/china-itz-city-gini.yaml && ntl run pipelines/china-itz-city-gini.yaml
  ntl fetch data-manifests/china.yaml --for pipelines/china-itz-city-gini.yaml --data-dir /data/ntl-china
  ntl fetch data-manifests/china.yaml --mirror https://mirror.example.edu/ntl/china/
  cp data-manifests/templates/eog-vnl-v2-annual.yaml data-manifests/my-vnl.yaml
  NTL_EOG_TOKEN_FILE=~/.eog-token ntl fetch data-manifests/my-vnl.yaml --only vnl-v2-2015,vnl-v2-2016 --data-dir data/vnl --record
  ntl fetch data-manifests/templates/eog-dmsp-v4-annual.yaml --data-dir data/dmsp --record-to data-manifests/my-dmsp.yaml
  NTL_LAADS_TOKEN_FILE=~/.laads-token ntl fetch data-manifests/templates/blackmarble-vnp46a4.yaml --data-dir data/blackmarble --record-to data-manifests/my-bm.yaml
`,
  22,
);
