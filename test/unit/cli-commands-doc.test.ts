/** docs/commands.md, the command reference, is exactly what scripts/docs/commands.ts generates from the flag specs. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandsDoc, usageLines } from '../../scripts/docs/commands.js';
import { COMMANDS } from '../../src/cli/commands.js';

describe('docs/commands.md', () => {
  it('is generated from the specs (npx tsx scripts/docs/commands.ts)', async () => {
    expect(readFileSync('docs/commands.md', 'utf8')).toBe(await commandsDoc());
  });

  it('has a section for every command and subcommand, and a row for every flag', () => {
    const doc = readFileSync('docs/commands.md', 'utf8');
    for (const [name, c] of Object.entries(COMMANDS)) {
      expect(doc).toContain(`\n## ntl ${name}\n`);
      for (const sub of Object.keys(c.subcommands ?? {})) expect(doc).toContain(`\n### ntl ${name} ${sub}\n`);
    }
    expect(doc).toMatch(/^\| `--time-limit` \| `<T>` \| +\| .* \| `--time` \|$/m);
  });

  it('takes usage lines from a help text', () => {
    expect(usageLines('ntl x — y\n\nUsage:\n  ntl x --a <f>\n  ntl x --b\n\nOptions:\n')).toEqual(['ntl x --a <f>', 'ntl x --b']);
    expect(usageLines('ntl c — y\n\nUsage: ntl c <verb> [flags]      (ntl c <verb> --help: its flags)\n')).toEqual(['ntl c <verb> [flags]']);
  });
});
