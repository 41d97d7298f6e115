import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { MailFixture } from './support.js';

/**
 * A raw SMTP client for what no library sends (OAUTHBEARER, exact replies): greeting, EHLO, STARTTLS, EHLO,
 * then each command in turn; returns the final reply line of each command. Bounded by a timeout.
 */
export async function smtpDialogue(
  f: MailFixture,
  commands: string[],
  options: { starttls?: boolean; before?: (index: number) => Promise<void> } = {},
): Promise<string[]> {
  const plain = netConnect(f.submissionPort, '127.0.0.1');
  plain.setTimeout(10_000, () => plain.destroy(new Error('smtp dialogue timed out')));
  let socket: Socket = plain;
  let buffer = '';
  let waiting: ((line: string) => void) | undefined;
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (;;) {
      const end = buffer.indexOf('\r\n');
      if (end < 0) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
        const w = waiting;
        waiting = undefined;
        w?.(line);
      }
    }
  };
  const reply = () => new Promise<string>((resolve) => (waiting = resolve));
  const send = async (command: string) => {
    const next = reply();
    socket.write(`${command}\r\n`);
    return next;
  };
  plain.on('data', onData);
  await reply(); // greeting
  await send('EHLO test.local');
  if (options.starttls !== false) {
    await send('STARTTLS');
    plain.off('data', onData);
    socket = tlsConnect({ socket: plain, ca: f.tls.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', () => resolve());
      socket.once('error', reject);
    });
    socket.on('data', onData);
    await send('EHLO test.local');
  }
  const lines: string[] = [];
  for (const [index, command] of commands.entries()) {
    await options.before?.(index);
    lines.push(await send(command));
  }
  socket.destroy();
  return lines;
}
