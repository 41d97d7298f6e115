import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Everything the CLI touches outside itself, so tests run it in-process with fakes. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
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

export interface ProgressLine {
  update(text: string): void;
  /** Ends the in-place line on a terminal; a no-op elsewhere. */
  done(): void;
}

/**
 * Progress on stderr. On a terminal one line is rewritten in place (`\r`, then erase to the end of the
 * line); anywhere else (a pipe, a file, a CI log) `\r` does not return to the line start, so each update
 * is a line of its own instead of running together.
 */
export function progressLine(io: CliIo): ProgressLine {
  const terminal = io.stderr.isTTY === true;
  let written = false;
  return {
    update(text) {
      io.stderr.write(terminal ? `\r${text}\x1b[K` : `${text}\n`);
      written = true;
    },
    done() {
      if (terminal && written) io.stderr.write('\n');
      written = false;
    },
  };
}
