/** The verifier is saturated: the caller answers 429 with a short Retry-After. */
export class BusyError extends Error {
  override name = 'BusyError';
}

interface Waiter {
  start: () => void;
  refuse: () => void;
}

/**
 * A concurrency cap for argon2id verifications on the unauthenticated token endpoint: at most `limit` run
 * at once (each holds ~19 MiB and a libuv thread), at most `maxQueue` wait, the rest are refused at once.
 * Waiters from an address the client is known to use go first, and may take the place of an ordinary
 * waiter when the queue is full, so a flood of wrong secrets from elsewhere delays them least.
 */
export class WorkLimiter {
  private running = 0;
  private readonly urgent: Waiter[] = [];
  private readonly normal: Waiter[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxQueue: number,
  ) {}

  /** Runs `work` when a slot is free; rejects with BusyError when no place in the queue is left. */
  async run<T>(work: () => Promise<T>, urgent = false): Promise<T> {
    if (this.running < this.limit) {
      this.running++;
    } else {
      if (this.urgent.length + this.normal.length >= this.maxQueue) {
        if (!urgent || this.normal.length === 0) throw new BusyError();
        this.normal.pop()!.refuse();
      }
      // The slot is handed over by the finishing work (running stays the same), so none is ever over-lent.
      await new Promise<void>((start, refuse) =>
        (urgent ? this.urgent : this.normal).push({ start, refuse: () => refuse(new BusyError()) }),
      );
    }
    try {
      return await work();
    } finally {
      const next = this.urgent.shift() ?? this.normal.shift();
      if (next) next.start();
      else this.running--;
    }
  }

  /** Whether `run` would start or queue this work now rather than refuse it: asked before any other work. */
  hasRoom(urgent = false): boolean {
    return this.running < this.limit || this.queued < this.maxQueue || (urgent && this.normal.length > 0);
  }

  get queued(): number {
    return this.urgent.length + this.normal.length;
  }

  get active(): number {
    return this.running;
  }
}
