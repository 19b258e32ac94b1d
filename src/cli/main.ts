/**
 * `ntl <command>`: dispatch to a command, print user errors on one line, exit non-zero.
 * Stack traces only with --debug.
 */
import { readFileSync } from 'node:fs';
import { isNtlError } from '../errors.js';
import { shutdownDecodePool } from '../raster/pool.js';
import type { CommandIo } from './io.js';
import { COMMANDS } from './commands.js';

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `ntl — night-light imagery to county panels\n\nUsage: ntl <command> [options]   (ntl <command> --help for details)\n\nCommands:\n${lines.join('\n')}\n\nEvery command also takes --debug (stack traces on errors) and --version.\n`;
}

/** The known name within two edits of a misspelt one (zonl → zonal), if exactly one is that close. */
function closest(name: string, known: readonly string[]): string | null {
  const dist = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length]!;
  };
  const near = known.filter((k) => dist(name.toLowerCase(), k) <= 2);
  return near.length === 1 ? near[0]! : null;
}

const defaultIo: CommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

/** The package version, read once from package.json next to src/ or dist/. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[], io: CommandIo = defaultIo): Promise<number> {
  // --debug and --version are global flags: every command takes them, none parses them itself.
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  if (args.includes('--version') || args[0] === 'version') {
    io.stdout(`ntl ${version()} (node ${process.versions.node})\n`);
    return 0;
  }
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const near = closest(name, Object.keys(COMMANDS));
    io.stderr(
      `ntl: error: unknown command "${name}"${near ? ` (did you mean ${near}?)` : ''}; known commands: ${Object.keys(COMMANDS).join(', ')} (see \`ntl --help\`)\n`,
    );
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (isNtlError(e)) {
      io.stderr(`ntl: error: ${e.message}\n`);
      if (debug && e.stack) io.stderr(e.stack + '\n');
      // A command (or subcommand) given nothing at all is a usage error of ntl itself (exit 2, as an unknown command),
      // not a bad input.
      const bare = rest.length === 0 || (rest.length === 1 && command.subcommands !== undefined && rest[0]! in command.subcommands);
      return bare ? 2 : e.exitCode;
    }
    const err = e as Error;
    io.stderr(`ntl: internal error: ${err?.message ?? String(e)} (this is a bug; rerun with --debug for details and report it)\n`);
    if (debug && err?.stack) io.stderr(err.stack + '\n');
    return 70;
  } finally {
    // Decoder workers would otherwise keep the process alive until their idle timeout.
    await shutdownDecodePool();
  }
}
