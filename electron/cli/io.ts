import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Everything the CLI touches outside itself, so tests run it in-process with fakes. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** The operating-system user, recorded as the actor `cli:<name>`. */
  osUser: string;
}

export function processIo(): CliIo {
  let osUser = process.env.USER ?? 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, osUser };
}

/** Reads all of stdin, for `--password-stdin`; a trailing newline is not part of the password. */
export async function readAllStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks for a line without echoing it (a password). */
export function promptHidden(io: CliIo, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput?: (s: string) => void };
    io.stdout.write(question);
    output._writeToOutput = () => {}; // swallow the echo of typed characters
    rl.question('', (answer) => {
      rl.close();
      io.stdout.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}
