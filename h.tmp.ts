import { main } from './src/cli/main.js';
const io = { stdout: (t: string) => void process.stdout.write(t), stderr: (t: string) => void process.stderr.write(t) };
for (const a of process.argv.slice(2)) { console.log('=====', a); console.log('exit', await main(a.split(' '), io)); }
