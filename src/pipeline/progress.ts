/**
 * Progress per stage on standard error: a redrawn bar on a terminal, one summary line per stage otherwise
 * (logs stay readable in CI).
 */
export interface StageProgress {
  tick(n?: number): void;
  done(note?: string): void;
}

export interface ProgressSink {
  readonly isTTY: boolean;
  write(text: string): void;
}

export function stageProgress(sink: ProgressSink | null, stage: string, total: number): StageProgress {
  const t0 = Date.now();
  let count = 0;
  const width = 24;
  const draw = () => {
    if (!sink?.isTTY) return;
    const filled = total > 0 ? Math.round((count / total) * width) : width;
    sink.write(`\r${stage.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`);
  };
  draw();
  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    done(note) {
      if (!sink) return;
      const secs = ((Date.now() - t0) / 1000).toFixed(2);
      const line = `${stage.padEnd(12)} ${count}/${total} done in ${secs} s${note ? ` (${note})` : ''}`;
      sink.write(sink.isTTY ? `\r${line.padEnd(width + 30)}\n` : `${line}\n`);
    },
  };
}
