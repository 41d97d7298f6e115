import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixturePath, FIXTURE } from './fixtures.js';

export type Override = (req: IncomingMessage, res: ServerResponse) => void;

export interface FixtureServer {
  baseUrl: string;
  /** Replace what a path answers (e.g. '/aws-ip-ranges.json' → a 500). */
  override(path: string, handler: Override): void;
  clearOverrides(): void;
  requests: string[];
  close(): Promise<void>;
}

const SERVED = new Set<string>(Object.values(FIXTURE));

/** A loopback HTTP server on port 0 serving the fixture files under their own names, like a mirror. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const overrides = new Map<string, Override>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const override = overrides.get(path);
    if (override) return override(req, res);
    const name = path.slice(1);
    if (!SERVED.has(name)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': name.endsWith('.json') ? 'application/json' : 'text/plain' });
    createReadStream(fixturePath(name)).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    override: (path, handler) => void overrides.set(path, handler),
    clearOverrides: () => overrides.clear(),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const serveFixture = (name: string, headers: Record<string, string> = {}): Override => (_req, res) => {
  res.writeHead(200, headers);
  createReadStream(fixturePath(name)).pipe(res);
};
