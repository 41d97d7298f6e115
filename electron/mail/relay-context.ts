import type { Store } from '../db/store.js';
import type { MailRelaySettings } from '../../shared/mail.dto.js';
import type { Clock } from '../services/context.js';
import type { TokenServerContext } from '../token-server/context.js';
import type { SendRate } from './send-rate.js';

/**
 * What the relay's listeners, its HTTP endpoint and its delivery worker share. The token server's context
 * gives the client authentication, rights, allowlists and the audit writer for refusals; the core's store
 * carries the queue (its transactions await between statements, so they must not run on the token server's
 * synchronous connection, nor on a second connection of this process: relay.ts).
 */
export interface MailRelayContext {
  server: TokenServerContext;
  store: Store;
  clock: Clock;
  settings: MailRelaySettings;
  rate: SendRate;
  /** The audit log's checkpoint key of this process, if it holds one (signs the relay's appends too). */
  checkpointKey: Buffer | undefined;
  /** Tells the delivery worker a message was queued, so it does not wait for its next poll. */
  queued(): void;
}

/**
 * An event's details with the node that wrote it, on a shared store (as the token server's events carry it:
 * token-server/context.ts, IssuerConfig.node); unchanged on SQLite.
 */
export function withNode(rc: Pick<MailRelayContext, 'server'>, details: Record<string, unknown>): Record<string, unknown> {
  const node = rc.server.config.node;
  return node === null ? details : { ...details, node };
}
