/**
 * Progress of a fetch: on a terminal, one redrawn bar per active file plus an overall bar; otherwise
 * (logs, CI, tests) one line when a file starts and one when it ends, so logs stay readable.
 */
export interface FetchProgress {
  start(id: string, what: string): void;
  update(id: string, received: number, total: number | undefined): void;
  end(id: string, line: string): void;
  /** Stop redrawing (before the final summary). */
  close(): void;
}

const BAR = 24;

function bar(done: number, total: number | undefined): string {
  if (!total) return `${mb(done)}`;
  const f = Math.min(1, done / total);
  const n = Math.round(f * BAR);
  return `[${'#'.repeat(n)}${'-'.repeat(BAR - n)}] ${(f * 100).toFixed(0).padStart(3)}% ${mb(done)}/${mb(total)}`;
}

function mb(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

export function createProgress(write: (text: string) => void, tty: boolean, files: number): FetchProgress {
  let finished = 0;
  const active = new Map<string, { received: number; total: number | undefined }>();
  if (!tty) {
    return {
      start: (id, what) => write(`  fetching ${id}: ${what}\n`),
      update: () => undefined,
      end: (_id, line) => write(`  [${++finished}/${files}] ${line}\n`),
      close: () => undefined,
    };
  }
  let drawn = 0;
  let last = 0;
  const draw = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const lines = [...active].map(([id, s]) => `  ${id.padEnd(24).slice(0, 24)} ${bar(s.received, s.total)}`);
    lines.push(`  overall ${finished}/${files} file(s) ${bar(finished, files).split(' ')[0]}`);
    write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    drawn = lines.length;
  };
  const clear = (): void => {
    if (drawn > 0) write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  return {
    start(id) {
      active.set(id, { received: 0, total: undefined });
      draw(true);
    },
    update(id, received, total) {
      const step = (s?: { received: number; total: number | undefined }) => (s?.total ? Math.floor((20 * s.received) / s.total) : -1);
      const before = step(active.get(id));
      active.set(id, { received, total });
      draw(step(active.get(id)) !== before); // every 5 % at least; in between at most 10 redraws a second
    },
    end(id, line) {
      active.delete(id);
      finished++;
      clear();
      write(`  ${line}\n`);
      draw(true);
    },
    close: clear,
  };
}
