/** What `ntl run` and `ntl panel` print: progress on stderr, then the written files and warnings. */
import { relative } from 'node:path';
import type { ProgressSink } from '../pipeline/progress.js';
import type { RunSummary } from '../pipeline/runner.js';
import type { CommandIo } from './zonal-command.js';

export function progressSink(io: CommandIo): ProgressSink {
  return { isTTY: process.stderr.isTTY === true, write: (t) => io.stderr(t) };
}

export function printRunSummary(summary: RunSummary, io: CommandIo): void {
  const rows = summary.panel.columns[0]?.values.length ?? 0;
  io.stdout(
    `wrote ${summary.files.length} files to ${relative(process.cwd(), summary.outDir) || '.'} (panel: ${rows} rows; cache: ${summary.cache.hits} reused, ${summary.cache.misses} computed)\n`,
  );
  for (const f of summary.files) io.stdout(`  ${relative(process.cwd(), f)}\n`);
  for (const w of summary.warnings) io.stderr(`ntl: warning: ${w}\n`);
}
