import { hostname } from 'node:os';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import { insertAuditEvent, type NewAuditEvent } from '../repos/audit.repo.js';
import { claimDueMessage, markDeferred, markFailed, markSent, releaseClaimsOf, type ClaimedMessage } from '../repos/mail-queue.repo.js';
import { effectiveMailSettings } from './mail-settings.js';
import { withNode, type MailRelayContext } from './relay-context.js';
import { deliver, UpstreamPools, upstreamTransportOptions, type DeliveryOutcome, type UpstreamConnectOptions } from './upstream.js';

/**
 * Hands queued messages to their mailbox's upstream, a few at a time over pooled connections, each step a state change in
 * its own transaction (mail-queue.repo.ts): claim (queued → sending, leased), then sent, deferred (back to
 * queued with a growing delay) or failed (a 5xx from the upstream, or still undelivered at give_up_at).
 *
 * Exactly once, as far as SMTP allows: a message accepted and not yet claimed survives any crash as
 * `queued` and is claimed once by whichever relay comes next. A relay killed after the upstream took the
 * message but before `sent` was committed leaves a `sending` row that is claimed again when its lease runs
 * out: that narrow window is at-least-once (the same Message-ID lets the receiving side see the repeat).
 */

export interface DeliveryTuning {
  /** How often the worker looks for due messages when nothing woke it. */
  pollMs: number;
  /** How long a claimed message stays `sending` before another relay may take it over. */
  leaseMs: number;
  /**
   * This node's name in the queue's claims: a relay that starts again on the same node releases the claims it
   * left when it was killed (mail-queue.repo.ts releaseClaimsOf).
   */
  owner: string;
  /** Messages handed to upstreams at once (each claim is its own; the pools hold the connections). */
  concurrency: number;
  /** First retry delay; each further attempt doubles it, up to maxRetryMs. */
  firstRetryMs: number;
  maxRetryMs: number;
}

export const DEFAULT_DELIVERY_TUNING: DeliveryTuning = {
  pollMs: 5_000,
  leaseMs: 10 * 60_000,
  owner: hostname(),
  concurrency: 4,
  firstRetryMs: 60_000,
  maxRetryMs: 60 * 60_000,
};

export interface DeliveryWorker {
  /** Look for due messages now. */
  wake(): void;
  /** Stops after the message in hand, if any. */
  stop(): Promise<void>;
}

export function startDeliveryWorker(
  rc: MailRelayContext,
  wrapper: KeyWrapper | undefined,
  tuning: DeliveryTuning,
  connect: UpstreamConnectOptions = {},
  log: (message: string) => void = () => {},
): DeliveryWorker {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  const timer = setInterval(() => wake(), tuning.pollMs);
  timer.unref();

  const pools = new UpstreamPools(tuning.concurrency);
  let released = false;
  /** One lane: claims and delivers until nothing is due. `concurrency` lanes run at once. */
  const lane = async (): Promise<void> => {
    for (;;) {
      if (stopped) return;
      const now = rc.clock.now();
      const claimed = await rc.store.transaction((tx) => claimDueMessage(tx, now, tuning.leaseMs, tuning.owner));
      if (!claimed) return;
      await deliverOne(claimed);
    }
  };
  const drain = async (): Promise<void> => {
    if (!released) {
      released = true;
      const count = await rc.store.transaction((tx) => releaseClaimsOf(tx, tuning.owner, rc.clock.now()));
      if (count > 0) log(`mail relay: ${count} message(s) this node was sending when it stopped are queued again`);
    }
    do {
      again = false;
      await Promise.all(Array.from({ length: tuning.concurrency }, lane));
    } while (again && !stopped);
  };

  const deliverOne = async (m: ClaimedMessage): Promise<void> => {
    let outcome: DeliveryOutcome;
    try {
      const settings = m.mailboxId === null ? undefined : await effectiveMailSettings(rc.store, m.mailboxId, rc.settings);
      if (!settings?.upstream) {
        outcome = { kind: 'temporary', reply: null, error: m.mailboxId === null ? 'the mailbox was deleted' : 'no outgoing server is set for this mailbox' };
      } else {
        const transport = pools.get(upstreamTransportOptions(settings.upstream, wrapper, connect), String(m.mailboxId));
        outcome = await deliver(transport, { from: m.envelopeFrom, to: m.envelopeTo }, m.message);
      }
    } catch (error) {
      outcome = { kind: 'temporary', reply: null, error: (error as Error).message };
    }
    const now = rc.clock.now();
    const delay = Math.min(tuning.maxRetryMs, tuning.firstRetryMs * 2 ** Math.max(0, m.attempts - 1));
    const givingUp = outcome.kind === 'permanent' || (outcome.kind === 'temporary' && now + delay > m.giveUpAt);
    await rc.store.transaction(async (tx) => {
      let moved: boolean;
      let event: Pick<NewAuditEvent, 'type' | 'outcome' | 'reason'> & { details: Record<string, unknown> };
      if (outcome.kind === 'sent') {
        moved = await markSent(tx, m.id, now, outcome.reply);
        event = { type: 'mail.sent', outcome: 'success', reason: null, details: { upstreamReply: outcome.reply } };
      } else if (givingUp) {
        const why = outcome.kind === 'permanent' ? outcome.error : `still undelivered at the give-up time: ${outcome.error}`;
        moved = await markFailed(tx, m.id, now, why, outcome.reply);
        event = { type: 'mail.failed', outcome: 'failure', reason: outcome.kind === 'permanent' ? 'upstream_refused' : 'gave_up', details: { error: why, upstreamReply: outcome.reply } };
      } else {
        moved = await markDeferred(tx, m.id, now, now + delay, outcome.error, outcome.reply);
        event = { type: 'mail.deferred', outcome: 'failure', reason: 'upstream_unavailable', details: { error: outcome.error, upstreamReply: outcome.reply, nextAttemptAt: now + delay } };
      }
      // Another relay took the row over after our lease ran out: its outcome is the one that counts.
      if (!moved) return;
      await insertAuditEvent(
        tx,
        {
          at: now,
          actorKind: 'system',
          actorId: null,
          actorName: 'mail relay',
          type: event.type,
          targetUserId: m.userId,
          targetName: m.userName,
          outcome: event.outcome,
          reason: event.reason,
          sourceIp: null,
          details: withNode(rc, {
            messageId: m.id, mailbox: m.mailboxAddress, recipients: m.envelopeTo.length, recipientDomains: m.recipientDomains,
            size: m.size, attempt: m.attempts, ...event.details,
          }),
        },
        rc.checkpointKey,
      );
    });
    if (outcome.kind !== 'sent') log(`mail relay: message ${m.id} from ${m.mailboxAddress}: ${givingUp ? 'given up' : 'will retry'} (${outcome.error})`);
  };

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => log(`mail relay: delivery worker: ${(error as Error).message}`))
      .finally(() => {
        running = undefined;
      });
  }

  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      pools.closeAll();
    },
  };
}
