#!/usr/bin/env node
// ntl launcher for the Slurm script: the compiled CLI, with `merge` and `slurm` reachable even where
// src/cli/main.ts does not register them yet.
const [cmd, ...rest] = process.argv.slice(2);
const io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
const run = async (mod, name) => {
  try {
    return await (await import(new URL(`../../dist/cli/${mod}.js`, import.meta.url)))[name](rest, io);
  } catch (e) {
    process.stderr.write(`ntl: error: ${e.message}\n`);
    return 1;
  }
};
if (cmd === 'merge') process.exitCode = await run('merge-command', 'mergeCommand');
else if (cmd === 'slurm') process.exitCode = await run('slurm-command', 'slurmCommand');
else {
  const { main } = await import(new URL('../../dist/cli/main.js', import.meta.url));
  process.exitCode = await main(process.argv.slice(2));
}
