import type { IncomingMessage } from 'node:http';

/**
 * A request body's bytes, or 'too_large' as soon as it is known to pass `max` bytes: from the declared
 * Content-Length before anything is read, else from the bytes as they arrive. Past the limit nothing more is
 * kept; the rest is left unread (paused), so the caller answers 413 and closes the connection.
 * One reader for every HTTP body Keyrack takes (the token server's forms and registrations, POST /v1/mail,
 * the web bridge).
 */
export function readBodyUpTo(req: IncomingMessage, max: number): Promise<Buffer | 'too_large'> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > max) return Promise.resolve('too_large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (outcome: Buffer | 'too_large' | Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        finish('too_large');
      } else chunks.push(chunk);
    };
    const onEnd = () => finish(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onError = (error: Error) => finish(error);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
