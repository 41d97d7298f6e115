import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server (the tests' PostgreSQL), to cut the way to it the ways a network
 * does: `blackhole` (packets dropped: connections stay open and nothing comes back, new ones are accepted
 * and never answered) and `refuse` (the port closed: connections reset, new ones refused). `forward` heals
 * it; connections from the cut are reset first, as a real network's would have timed out meanwhile.
 */
export type ProxyMode = 'forward' | 'blackhole' | 'refuse';

export interface TcpProxy {
  readonly port: number;
  setMode(mode: ProxyMode): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreamHost: string, upstreamPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  };
  const onConnection = (client: Socket) => {
    track(client);
    if (mode !== 'forward') return; // blackhole: accepted, never answered
    const upstream = createConnection({ host: upstreamHost, port: upstreamPort });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  let server: Server = createServer(onConnection);
  await listen(server, 0);
  const port = (server.address() as { port: number }).port;
  const resetAll = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    port,
    async setMode(next) {
      if (next === mode) return;
      const was = mode;
      mode = next;
      if (next === 'blackhole') {
        // Whatever was in flight gets no answer: stop moving bytes both ways, keep the sockets open.
        for (const socket of open) socket.unpipe().pause();
      } else if (next === 'refuse') {
        resetAll();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } else {
        resetAll();
        if (was === 'refuse') {
          server = createServer(onConnection);
          await listen(server, port);
        }
      }
    },
    async close() {
      resetAll();
      if (mode !== 'refuse') await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
