/** `ntl report <outDir>`: the self-contained HTML report (and tables/*.md|tex|csv) of a run's output folder. */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { NtlError } from '../errors.js';
import { reportFiles } from '../report/build.js';
import { withFolderLock } from '../output/folder-lock.js';
import { commitOutputs, removeStaleStaging } from '../pipeline/commit-outputs.js';
import { parseCommandFlags } from './flags.js';
import type { CommandIo } from './zonal-command.js';
import { REPORT_FLAGS, REPORT_HELP } from './specs/report.js';

export async function reportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('report', argv, REPORT_FLAGS, io);
  if (values.help) {
    io.stdout(REPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new NtlError(
      `ntl report: expected one output folder, got ${positionals.length === 0 ? 'none' : positionals.map((p) => `"${p}"`).join(' ')}; usage: ntl report <outDir>`,
    );
  }
  const dir = positionals[0]!;
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new NtlError(`report: ${dir} is not a folder; pass the output folder of \`ntl run\` (e.g. out/hunan-demo)`);
  // Not while a run writes the folder (it would read half its files); the page and tables are published as one set.
  const written = await withFolderLock(dir, { command: `ntl report ${dir}`, outFlag: 'folder', warn: (m) => io.stderr(`ntl: warning: ${m}\n`) }, async () => {
    await removeStaleStaging(dir);
    return commitOutputs(dir, await reportFiles(dir));
  });
  if (!values.quiet) {
    const page = written[written.length - 1]!;
    io.stdout(
      `wrote ${relative(process.cwd(), page) || page} and ${written.length - 1} table files under ${relative(process.cwd(), page.replace(/report\.html$/, 'tables')) || 'tables'}\n`,
    );
  }
  return 0;
}
