import { expect } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Make stderr look like a terminal (progress is then rewritten in place). */
  stderrIsTTY?: boolean;
  /** Extra environment beside KEYRACK_DATA. */
  env?: NodeJS.ProcessEnv;
}

/** Runs the CLI in-process against `dataDir`, as the OS user "tester", feeding `stdin`. */
export async function keyrack(dataDir: string, args: string[], stdin: string | Buffer = '', options: CliRunOptions = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr: PassThrough & { isTTY?: boolean } = new PassThrough();
  if (options.stderrIsTTY) stderr.isTTY = true;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout,
    stderr,
    env: { ...options.env, KEYRACK_DATA: dataDir },
    osUser: 'tester',
  };
  const code = await runCli(args, io);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** Runs a command with --json, expects it to succeed (its stderr in the failure), and returns its output parsed. */
export async function keyrackJson<T = Record<string, unknown>>(dataDir: string, args: string[], stdin = '', env?: NodeJS.ProcessEnv): Promise<T> {
  const run = await keyrack(dataDir, [...args, '--json'], stdin, { env });
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as T;
}
