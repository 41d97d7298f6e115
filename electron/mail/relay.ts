import { hostname } from 'node:os';
import type { MailRelaySettings } from '../../shared/mail.dto.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import { openConnection } from '../db/open.js';
import { sqliteStore } from '../db/store-sqlite.js';
import { checkpointKeyOf, useCheckpointKey } from '../repos/audit-checkpoint.repo.js';
import type { TokenServerContext } from '../token-server/context.js';
import { isLoopback } from '../token-server/listen-address.js';
import { DEFAULT_DELIVERY_TUNING, startDeliveryWorker, type DeliveryTuning } from './delivery-worker.js';
import { mailEndpoint } from './http-endpoint.js';
import type { MailRelayContext } from './relay-context.js';
import { SendRate } from './send-rate.js';
import { startSmtpListener, type ListenerMode, type RunningListener } from './smtp-listener.js';
import type { UpstreamConnectOptions } from './upstream.js';

/**
 * The mail relay (issue 12), started beside the token server by the same host (token-server/host.ts) and
 * sharing its context: SMTP submission listeners, POST /v1/mail on the token server's port, and the delivery
 * worker. It opens its own connection to the store for the queue (see relay-context.ts).
 */
export interface MailRelayOptions {
  server: TokenServerContext;
  /** The store's file (the core's connection's name). */
  databaseFile: string;
  nativeBinding?: string | undefined;
  settings: MailRelaySettings;
  host: string;
  /** The token server's TLS key and certificate; without them only loopback listeners, plain. */
  tls?: { key: string; cert: string } | undefined;
  /** Unwraps the upstream secrets. */
  keyWrapper: KeyWrapper | undefined;
  /** Port overrides (tests' 0); default the settings'. */
  submissionPort?: number | null | undefined;
  implicitTlsPort?: number | null | undefined;
  delivery?: Partial<DeliveryTuning> | undefined;
  upstream?: UpstreamConnectOptions | undefined;
  log?: ((message: string) => void) | undefined;
}

export interface RunningMailRelay {
  listeners: { mode: ListenerMode; port: number }[];
  context: MailRelayContext;
  /** Looks for due messages now (after an admin's retry). */
  wake(): void;
  close(): Promise<void>;
}

export class MailRelayRefusedError extends Error {
  override name = 'MailRelayRefusedError';
}

export async function startMailRelay(options: MailRelayOptions): Promise<RunningMailRelay> {
  const { settings, server } = options;
  const log = options.log ?? (() => {});
  if (!options.tls && !isLoopback(options.host)) {
    throw new MailRelayRefusedError(`Refusing plain SMTP on ${options.host}: the relay listens beyond this computer only with TLS`);
  }
  const db = openConnection(options.databaseFile, { nativeBinding: options.nativeBinding });
  const checkpointKey = checkpointKeyOf(server.db);
  if (checkpointKey) useCheckpointKey(db, checkpointKey);
  // Started once the listeners are up (it releases this node's stale claims first); a message queued before wakes nothing and is found by its first poll.
  const started: { worker?: ReturnType<typeof startDeliveryWorker> } = {};
  const rc: MailRelayContext = {
    server,
    db,
    store: sqliteStore(db),
    clock: server.clock,
    settings,
    rate: new SendRate(settings.ratePerMinute),
    checkpointKey,
    queued: () => started.worker?.wake(),
  };
  const listeners: RunningListener[] = [];
  try {
    const name = hostname();
    const submissionPort = options.submissionPort === undefined ? settings.submissionPort : options.submissionPort;
    const implicitPort = options.implicitTlsPort === undefined ? settings.implicitTlsPort : options.implicitTlsPort;
    if (submissionPort !== null) {
      const mode: ListenerMode = options.tls ? 'starttls' : 'plain-loopback';
      listeners.push(await startSmtpListener(rc, { mode, host: options.host, port: submissionPort, tls: options.tls, name }));
    }
    if (implicitPort !== null && options.tls) {
      listeners.push(await startSmtpListener(rc, { mode: 'implicit', host: options.host, port: implicitPort, tls: options.tls, name }));
    }
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    db.close();
    throw error;
  }
  const worker = (started.worker = startDeliveryWorker(rc, options.keyWrapper, { ...DEFAULT_DELIVERY_TUNING, ...options.delivery }, options.upstream, log));
  server.mailEndpoint = (req, res, request) => mailEndpoint(rc, req, res, request);
  return {
    listeners: listeners.map((l) => ({ mode: l.mode, port: l.port })),
    context: rc,
    wake: () => worker.wake(),
    async close() {
      server.mailEndpoint = undefined;
      await Promise.all(listeners.map((l) => l.close()));
      await worker.stop();
      db.close();
    },
  };
}
