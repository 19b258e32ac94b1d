/**
 * docs/bad-input.md from the bad-input catalogue (test/catalogue/bad-inputs.ts):
 *   npx tsx scripts/docs/bad-inputs.ts          write docs/bad-input.md
 *   npx tsx scripts/docs/bad-inputs.ts --check  exit 1 when the committed file differs
 * test/unit/bad-input-catalogue.test.ts asserts the committed file equals this output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from '../../test/catalogue/bad-inputs.js';
import { CASE_CLASSES, type BadInputCase, type CaseClass } from '../../test/catalogue/types.js';

/** A message RegExp as readable text: `…` for any text, escapes dropped. */
export function fragment(re: RegExp): string {
  return re.source
    .replace(/^\^|\$$/g, '')
    .replace(/\\[Sw][+*]|\.\*\??|\[\^\]\*/g, '…')
    .replace(/\\n( \{2\}| +)?/g, ' ')
    .replace(/\\d\+/g, 'N')
    .replace(/\\s\+|\\s\*/g, ' ')
    .replace(/\\([.()[\]{}|?*+\\/^$-])/g, '$1')
    .replace(/…(\s*…)+/g, '…');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);

/** Bad inputs that need more than one in-process command on small files: covered by their own tests. */
const ELSEWHERE = `## Covered by other tests

These need a scripted server, a second process, a full disk or purpose-built rasters and shapefiles, so they live in
their own test files (some are not errors, and say so):

| case | message (abridged) | test |
|---|---|---|
| fetch: connection dropped / stalled / 5xx, retries exhausted | \`fetch …: the connection dropped after 120000 of 300000 bytes (ECONNRESET) (gave up after 5 attempts); the partial download is kept and the next ntl fetch resumes it\` (\`no data for 60 s …\`, \`HTTP 503 from the server …\`) | \`test/unit/fetch-http.test.ts\` |
| fetch: wrong archive member | \`fetch … has no member 'F101992.v4c_…' (it holds F101992.v4b_web.stable_lights.avg_vis.tif.gz, …); check archive_member in the manifest\` | \`test/unit/fetch-http.test.ts\` |
| fetch: \`../\` or absolute member, symlink member | \`… contains an unsafe member '../../outside.tif' (absolute path or '..': path traversal); refusing to unpack it\` / \`member 'x.tif' is a symbolic link, not a file; refusing it\` | \`test/unit/fetch-http.test.ts\` |
| fetch: decompression bomb | \`fetch …: unpacking gives more than 1000 bytes (the size the manifest records); refusing it — a corrupt or malicious archive (decompression bomb) …\` | \`test/unit/fetch-http.test.ts\` |
| a second command writing the same output folder | \`out/x is being written by ntl run pipelines/x.yaml (pid 1234 on host h, started 12:03:04); wait for it to finish or choose another --out\` | \`test/e2e/run-lock.test.ts\`, \`test/e2e/output-lock.test.ts\` |
| full disk while writing | \`cannot write X: the disk is full; the previous file (if any) is unchanged — free space or choose another --out\` | \`test/e2e/pipeline-publish.test.ts\` |
| DBF without \`.cpg\` whose text reads plausibly in no single code page (or in several) | \`cannot tell the text encoding of X.dbf: … — as GBK, 1 of 30 value(s) garbled, e.g. "Caf� Cr鑝e" (field "NAME", record 3: undecodable bytes); as Windows-1252 …; pass the right one with --encoding gbk\\|cp1252\\|… (or … a .cpg file …)\`; a clear winner is used with one warning naming it and how to pin it | \`test/unit/cli-input-classes.test.ts\`, \`test/unit/vector-encoding.test.ts\` |
| zones over a raster labelled with the wrong CRS (degrees labelled EPSG:3857, metres labelled EPSG:4326) | \`… coordinates look like degrees … but it is labelled EPSG:3857 …: fix it with gdal_edit.py -a_srs EPSG:4326 R\` | \`test/unit/cli-input-classes.test.ts\` |
| every touched cell is no-data | \`every zone of Z that touches R covers only no-data cells (0 or NaN) …: … pass --nodata-as-zero; otherwise check the band and the file\` | \`test/unit/cli-input-classes.test.ts\` |
| pixel size 0 / NaN in the geotransform | \`R has no usable georeferencing: its geotransform […] has a pixel size of 0 … Add the grid with gdal_edit.py -a_ullr <ulx> <uly> <lrx> <lry> -a_srs EPSG:4326 …\` | \`test/unit/cli-input-classes.test.ts\` |
| hole outside its outer ring, hole in another part or in a hole, part inside a part | not an error: the zone's rings are re-read by containment (even-odd) and *every* statistic, \`area_km2\` included, uses that polygon; one warning names the zones and what changed. Rings that cross, or a ring given twice, are an error | \`test/unit/vector-nesting.test.ts\` |
| null geometry | not an error: the zone keeps an empty row (\`area_km2\` too) and is named in \`N zone(s) have no geometry (null shape): …\`, never as "outside the raster"; all zones null → error | \`test/unit/cli-input-classes.test.ts\` |
| formula-like text in a CSV output (\`=HYPERLINK(…)\`, \`+cmd\\|…\`, \`@SUM\`) | not an error: written as \`'=HYPERLINK(…)\` so spreadsheets show text; numbers such as \`-3.5\` unchanged | \`test/unit/safety-csv.test.ts\` |
`;

const FUZZING = `## GeoTIFF fuzzing

\`scripts/fuzz/geotiff-fuzz.ts\`: seeded mutations of the 182 \`test/fixtures/raster/*.tif\`
and two \`data/demo\` clips — header bytes, IFD entry counts, tag types / counts / value offsets, strip and tile
offsets and byte counts, compression / predictor / size tags, flipped data bytes, truncation, up to three stacked —
each opened and fully read in a child process with a 5 s watchdog and a peak-RSS guard (a case may not grow the
peak by more than 1.5 GB). CI (\`test/e2e/fuzz-geotiff.test.ts\`) runs 200 iterations (seed 20240601): 28 results, 172
NtlErrors, 0 anything else, under 1 s. Findings, all fixed in \`src/raster/\` and pinned as regression tests:

| iterations | seed | before the fixes | after |
|---|---|---|---|
| 500 | 1 | 10 \`RangeError: Invalid typed array length\` (internal error), 7 child aborts (SIGABRT: multi-GB allocation) | — |
| 2,000 | 1 | — | 330 results, 1,670 NtlErrors, 0 other |
| 4 × 5,000 | 2–5 | — | 3,095 results, 16,905 NtlErrors, 0 other, 0 timeouts, 0 memory |

Causes: tag value arrays and the IFD were allocated from their declared counts before checking them against the
file size; image / tile / strip sizes were used unchecked (a 65535 × 65535 tile → 4 GB); block offsets and counts
were not checked to be whole numbers; deflate output was unbounded. \`npx tsx scripts/fuzz/geotiff-fuzz.ts
--iterations 20000 --seed 7\` for a longer run (failing inputs are saved to \`out/fuzz/\`).

Messages the fuzzer drives the reader into (beside the catalogue's GeoTIFF cases):

| case | message (abridged) |
|---|---|
| IFD entry count past EOF | \`X: file is truncated or corrupt: its image directory lists 65535 entries, which run past the end of the file\` |
| tag count / offset past EOF | \`X: file is truncated or corrupt: TIFF tag 279 declares 2147483647 values at byte …, past the end of the file\` |
| absurd tile / strip size | \`X: one tile (65535 × 65535 pixels, 1 sample(s)) or one row of them needs … bytes, more than the 1073741824-byte limit … Re-tile it: gdal_translate -co TILED=YES …\` |
| zero / fractional image size, bad block offsets | \`X: TIFF image size 0 × … is invalid; the file is corrupt\` / \`TIFF strip 3 has an invalid offset or byte count\` |
| deflate bomb in a tile | \`corrupt DEFLATE data in tile (r,c) of X (…). The file is damaged; fetch or write it again\` |
`;

export function badInputDoc(cases: readonly BadInputCase[]): string {
  const byClass = new Map<CaseClass, BadInputCase[]>();
  for (const c of cases) byClass.set(c.class, [...(byClass.get(c.class) ?? []), c]);
  const commands = new Set(cases.filter((c) => !c.id.startsWith('ntl/')).map((c) => c.command)); // ntl/…: commands that do not exist
  const open = cases.filter((c) => c.known === 'open');
  const out: string[] = [];
  out.push('# Bad input: what you get');
  out.push('');
  out.push('<!-- Generated by `npx tsx scripts/docs/bad-inputs.ts` from test/catalogue/bad-inputs.ts; do not edit by hand. -->');
  out.push('');
  out.push(
    `**${cases.length} cases, all run by \`npm test\`** (\`test/unit/bad-input-catalogue.test.ts\`, in-process, in seconds), ` +
      `across ${commands.size} commands. Each case is one command on one bad input. It must end in exactly one line ` +
      '`ntl: error: …` that says what is wrong, where (file, line, flag) and what to do, with the exit code shown ' +
      '(1: bad input, 2: a usage error of ntl itself — no such command, or a command or subcommand given nothing), no stack trace and no `ntl: internal error`, its input files byte-identical ' +
      'afterwards, and nothing written: no output file, no half-written file, no staging folder.',
  );
  out.push('');
  out.push(
    'The message column is the fragment the test matches (a regular expression, shown with `…` for any text ' +
      'and `N` for a number; `(a|b)` means either). The full messages are longer.',
  );
  if (open.length === 0) {
    out.push('');
    out.push(
      'No case is open: every command answers every case as described. (A case a command did not yet answer as it should ' +
        'would be marked open, with what it does today pinned by the test, so that a fix shows up there.)',
    );
  } else {
    out.push('');
    out.push(
      `${open.length} case${open.length === 1 ? ' is' : 's are'} **open**: the command does not yet answer as it should; ` +
        'the test pins what it does today (see [Open cases](#open-cases)).',
    );
  }
  out.push('');
  out.push('| class | cases |');
  out.push('|---|---|');
  for (const [k, title] of Object.entries(CASE_CLASSES) as [CaseClass, string][]) {
    const n = byClass.get(k)?.length ?? 0;
    if (n > 0) out.push(`| [${cell(title)}](#${k}) | ${n} |`);
  }
  for (const [k, title] of Object.entries(CASE_CLASSES) as [CaseClass, string][]) {
    const list = byClass.get(k);
    if (!list) continue;
    out.push('');
    out.push(`<a id="${k}"></a>`);
    out.push(`## ${title}`);
    out.push('');
    out.push('| case | command | bad input | exit | message |');
    out.push('|---|---|---|---|---|');
    for (const c of list) {
      const msg = c.known === 'open' ? `**open**: ${cell(c.note ?? '')}` : code(cell(fragment(c.message)));
      out.push(
        `| ${code(c.id)} | ${c.command} | ${cell(c.doc)} | ${c.known === 'open' ? `${c.current?.code} (should be ${c.expectCode})` : c.expectCode} | ${msg} |`,
      );
    }
  }
  if (open.length > 0) {
    out.push('');
    out.push('<a id="open-cases"></a>');
    out.push('## Open cases');
    out.push('');
    out.push('| case | today | wanted |');
    out.push('|---|---|---|');
    for (const c of open)
      out.push(`| ${code(c.id)} | exit ${c.current?.code}: ${cell(c.note ?? '')} | exit ${c.expectCode}, ${code(cell(fragment(c.message)))} |`);
  }
  out.push('');
  out.push(ELSEWHERE);
  out.push('');
  out.push(FUZZING);
  return out.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = join(fileURLToPath(new URL('../..', import.meta.url)), 'docs', 'bad-input.md');
  const text = badInputDoc(CATALOGUE);
  if (process.argv.includes('--check')) {
    const same = readFileSync(file, 'utf8') === text;
    console.log(same ? `${file}: up to date (${CATALOGUE.length} cases)` : `${file} differs from the catalogue; run npx tsx scripts/docs/bad-inputs.ts`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(file, text);
  console.log(`wrote ${file}: ${CATALOGUE.length} cases`);
}
