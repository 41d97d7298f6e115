import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { REPLACEMENT_CHARACTER } from '../../shared/text.js';
import { UsageError } from './context.js';

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

const NOT_UTF8 = 'is not valid UTF-8 text; set the terminal or the script that feeds Keyrack to UTF-8';

/**
 * Reads all of stdin, for `--password-stdin`; a trailing newline is not part of the password. Invalid UTF-8
 * is refused, not replaced with U+FFFD: a password decoded lossily is not the one that was typed, and two
 * different byte strings would become the same password.
 */
export async function readAllStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  let text: string;
  try {
    // ignoreBOM keeps a leading U+FEFF as before (Buffer#toString kept it); fatal refuses bad bytes.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new UsageError(`standard input ${NOT_UTF8}`);
  }
  return text.replace(/\r?\n$/, '');
}

/**
 * Node decodes argv as UTF-8 and puts U+FFFD where the bytes were not UTF-8 (on Linux and macOS, argv
 * is bytes); the original bytes are gone, so a U+FFFD in an argument is refused rather than stored.
 */
export function assertArgumentsAreText(argv: readonly string[]): void {
  const at = argv.findIndex((a) => a.includes(REPLACEMENT_CHARACTER));
  if (at !== -1) throw new UsageError(`argument ${at + 1} (${JSON.stringify(argv[at])}) ${NOT_UTF8}`);
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
      // readline decodes lossily, like argv: U+FFFD means the terminal sent bytes that were not UTF-8.
      if (answer.includes(REPLACEMENT_CHARACTER)) reject(new UsageError(`the answer ${NOT_UTF8}`));
      else resolve(answer);
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
