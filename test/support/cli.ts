import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process against `dataDir`, as the OS user "tester", feeding `stdin`. */
export async function keyrack(dataDir: string, args: string[], stdin: string | Buffer = ''): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout,
    stderr,
    env: { KEYRACK_DATA: dataDir },
    osUser: 'tester',
  };
  const code = await runCli(args, io);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
