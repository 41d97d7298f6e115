import { processIo } from './io.js';
import { runCli } from './program.js';

/** The `keyrack` executable: plain Node, no Electron. */
const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
