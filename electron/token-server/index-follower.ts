import type { Store } from '../db/store.js';
import { auditIndexLagOn, catchUpOn } from '../repos/audit-index.repo.js';

/** What the follower keeps up to date: the log's derived indexes in one store. */
export interface FollowedIndex {
  /** Events the indexes do not cover yet. */
  lag(): Promise<number>;
  /** Indexes up to `maxEvents` more (all when omitted), in a write transaction; how many it covered. */
  catchUp(maxEvents?: number): Promise<number>;
}

/** The log's indexes in `store` (audit-index.repo.ts), caught up in the store's write transactions. */
export function followedIndexOf(store: Store): FollowedIndex {
  return {
    lag: () => auditIndexLagOn(store),
    catchUp: (maxEvents) => store.transaction((tx) => catchUpOn(tx, maxEvents)),
  };
}

export interface IndexFollowerTuning {
  /** Appends paused this long: the writer is idle, and the indexes catch up. */
  idleMs: number;
  /** Events indexed per step; between steps new batches are committed first. */
  chunk: number;
  /** Further behind than this, the indexes catch up to half of it even under load, a chunk at a time. */
  maxLag: number;
}

/** How often a failing catch-up is reported: the first failure at once, then at most once in this long. */
export const FAILURE_REPORT_INTERVAL_MS = 60_000;

/** A chunk of 250 events takes about 16 ms to index (full-text with prefix indexes, counts; migration 0081). */
export const DEFAULT_INDEX_FOLLOWER: IndexFollowerTuning = { idleMs: 100, chunk: 250, maxLag: 20_000 };

/**
 * Keeps the log's derived indexes (audit-index.repo.ts) close behind the token server's appends without
 * competing with them: the appends are what a waiting client's answer depends on, the indexes only what a
 * later search or overview reads (and those catch up themselves before reading). So the follower indexes
 * when the appends pause, in steps small enough that a batch arriving meanwhile waits for one step at most;
 * under load it only steps once the lag passes `maxLag` (down to half of it, with the batches still let in
 * between steps), which bounds what a reader may have to catch up.
 * Runs on the thread that writes the batches (the audit worker, or the event loop for the inline sink).
 */
export class IndexFollower {
  private lastAppendAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stepping = false;
  private closed = false;
  private reportedAt = -Infinity;
  private unreported = 0;

  constructor(
    private readonly index: FollowedIndex,
    private readonly tuning: IndexFollowerTuning = DEFAULT_INDEX_FOLLOWER,
    private readonly now: () => number = () => performance.now(),
    /** Where a failing catch-up is said (the server's operational log); never more than once a minute. */
    private readonly report: (message: string) => void = () => {},
  ) {}

  /** A batch was appended: look again once the appends may have paused. */
  appended(): void {
    this.lastAppendAt = this.now();
    this.schedule();
  }

  /** Indexes everything still behind (server stop: the next reader should not have to). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    while (this.stepping) await new Promise((resolve) => setImmediate(resolve));
    await this.attempt(() => this.index.catchUp());
  }

  private schedule(): void {
    if (this.timer || this.stepping || this.closed) return;
    this.timer = setTimeout(() => void this.tick(), this.tuning.idleMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.closed) return;
    this.stepping = true;
    const lag = await this.attempt(() => this.index.lag());
    this.stepping = false;
    if (this.closed) return;
    if (lag === undefined || lag === 0) return lag === undefined ? this.schedule() : undefined;
    if (this.idle() || lag >= this.tuning.maxLag) return this.step();
    this.schedule();
  }

  /**
   * One chunk, then, after whatever arrived meanwhile (setImmediate lets the batches in first), the next:
   * while the appends pause, until nothing is left; under load, until the lag is down to half its bound.
   */
  private async step(): Promise<void> {
    if (this.closed) return;
    this.stepping = true;
    const indexed = await this.attempt(() => this.index.catchUp(this.tuning.chunk));
    if (indexed === undefined) {
      // Failed (the store busy past its timeout, the disk full, unreachable): the appends go on; try again later.
      this.stepping = false;
      this.lastAppendAt = this.now();
      return this.schedule();
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (indexed === 0 || this.closed) {
      this.stepping = false;
      return;
    }
    const lag = this.idle() ? undefined : await this.attempt(() => this.index.lag());
    this.stepping = false;
    if (lag === undefined || lag >= this.tuning.maxLag / 2) return this.step();
    this.schedule();
  }

  private idle(): boolean {
    return this.now() - this.lastAppendAt >= this.tuning.idleMs;
  }

  /**
   * A failure to index must not stop the appends (a client's answer depends on those, not on this), and
   * readers catch up themselves: the follower tries again at its next tick. It still says so, since a
   * failure that lasts (a full disk) makes every search pay the whole catch-up.
   */
  private async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  private failed(error: unknown): void {
    this.unreported++;
    const now = this.now();
    if (now - this.reportedAt < FAILURE_REPORT_INTERVAL_MS) return;
    const times = this.unreported === 1 ? '' : ` (${this.unreported} failures since the last report)`;
    // The store's message names the problem (disk full, busy, I/O error, unreachable), never an event's content.
    this.report(`log index catch-up failed${times}: ${(error as Error).message}; retrying`);
    this.reportedAt = now;
    this.unreported = 0;
  }
}
