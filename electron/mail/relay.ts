import { hostname } from 'node:os';
import type { MailRelaySettings } from '../../shared/mail.dto.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import { checkpointKeyOf } from '../repos/audit-checkpoint.repo.js';
import type { ServiceDeps } from '../services/context.js';
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
 * worker. The queue goes through the core's store (see MailRelayOptions.deps).
 */
export interface MailRelayOptions {
  server: TokenServerContext;
  /**
   * The core's deps: the queue goes through the core's store. Not a connection of the relay's own: on SQLite
   * two connections of one process whose transactions await in between would wait for each other's write
   * lock with the event loop blocked (busy_timeout spins), so one store serializes them instead.
   */
  deps: ServiceDeps;
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
  const checkpointKey = checkpointKeyOf(options.deps.db);
  // Started once the listeners are up (it releases this node's stale claims first); a message queued before wakes nothing and is found by its first poll.
  const started: { worker?: ReturnType<typeof startDeliveryWorker> } = {};
  const rc: MailRelayContext = {
    server,
    store: options.deps.store,
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
    },
  };
}
