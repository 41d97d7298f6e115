import { systemClock, type Clock } from '../services/context.js';
import type { Queryable } from './store.js';

/**
 * A node's heartbeat in the store (issue 10, migration 0130's store_nodes): a `keyrack serve` node upserts
 * its row when it starts and every `intervalMs` after, and `keyrack store status` lists the nodes seen in
 * the last minute. A failed beat (the store briefly unreachable) is counted, never thrown: the node keeps
 * serving and the next beat tries again. stop() only stops the timer; the row stays and ages out.
 */

export const HEARTBEAT_INTERVAL_MS = 10_000;

export interface HeartbeatOptions {
  /** The node's name, unique over the store (its host name, unless the operator names it). */
  node: string;
  /** The program's version. */
  version: string;
  /** Where the node serves (its URL or listen address), when it knows. */
  url?: string | null;
  clock?: Clock;
  intervalMs?: number;
}

export interface Heartbeat {
  /** The first beat, written at start; resolves whether it succeeded or not (see failures). */
  readonly first: Promise<void>;
  /** Writes the row now (as the timer does); never rejects. */
  beat(): Promise<void>;
  /** Beats that failed so far, and the last failure's error. */
  readonly failures: number;
  readonly lastError: unknown;
  /** Stops the timer; removes nothing. */
  stop(): void;
}

/** A row of store_nodes, as status shows it. */
export interface StoreNode {
  node: string;
  version: string;
  startedAt: number;
  seenAt: number;
  url: string | null;
}

const UPSERT = `INSERT INTO store_nodes (node, version, started_at, seen_at, url) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (node) DO UPDATE SET version = excluded.version, started_at = excluded.started_at,
    seen_at = excluded.seen_at, url = excluded.url`;

/** Upserts this node's row at once and every interval (an unref'd timer: it never keeps the process up). */
export function startHeartbeat(store: Queryable, options: HeartbeatOptions): Heartbeat {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  let failures = 0;
  let lastError: unknown;
  let stopped = false;
  const beat = async (): Promise<void> => {
    try {
      await store.run(UPSERT, [options.node, options.version, startedAt, clock.now(), options.url ?? null]);
    } catch (error) {
      failures += 1;
      lastError = error;
    }
  };
  const first = beat();
  // One beat at a time: while the database does not answer, beats would otherwise pile up, each holding
  // one of the pool's connections the token server needs once it answers again.
  let beating: Promise<void> | undefined = first;
  void first.finally(() => (beating = undefined));
  const timer = setInterval(() => {
    if (stopped || beating) return;
    beating = beat().finally(() => (beating = undefined));
  }, options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    first,
    beat,
    get failures() {
      return failures;
    },
    get lastError() {
      return lastError;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** The nodes whose last beat was at or after `since` (epoch ms), the most recently seen first. */
export async function nodesSeenSince(store: Queryable, since: number): Promise<StoreNode[]> {
  return store.all<StoreNode>(
    `SELECT node, version, started_at AS "startedAt", seen_at AS "seenAt", url FROM store_nodes
     WHERE seen_at >= ? ORDER BY seen_at DESC, node`,
    [since],
  );
}
