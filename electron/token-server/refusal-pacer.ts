/**
 * The pace at which throttled requests (429) are answered. A flood of wrong secrets is a closed loop: each
 * flooding connection sends its next request the moment the last is answered, so answering refusals as
 * fast as the CPU allows hands the attacker all of it, and a legitimate request waits behind hundreds of
 * refusals in every turn of the event loop. Refusals beyond `perSecond` (after a burst) wait in a queue
 * instead, holding nothing but their connection (no argon2 slot, no failure-floor timer of their own: one
 * timer drains the whole queue); the flood then runs at this rate, and the CPU is left to known clients,
 * which are never paced. A full queue drops its oldest waiter's connection.
 *
 * Only refusals (RateLimitedError: back-off and a busy verifier) are paced: those already carry Retry-After
 * and are of no use to a well-behaved client before it.
 */
export class RefusalPacer {
  private tokens: number;
  private last: number;
  private readonly queue: Waiter[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Connections dropped because the queue was full, for the benchmark and tests. */
  dropped = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxQueue: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = this.now();
  }

  /**
   * `answer` runs now when the pace allows, else once a turn comes; `drop` runs instead when the queue is
   * full and this waiter, the oldest, is pushed out.
   */
  pace(answer: () => void, drop: () => void): void {
    this.refill();
    if (this.tokens >= 1 && this.waiting === 0) {
      this.tokens -= 1;
      answer();
      return;
    }
    if (this.waiting >= this.maxQueue) {
      const oldest = this.queue[this.head++]!;
      this.dropped++;
      oldest.drop();
    }
    this.queue.push({ answer, drop });
    this.schedule();
  }

  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Answers every waiter now (server stop: the requests in flight finish). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiting > 0) this.queue[this.head++]!.answer();
    this.compact();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
  }

  private schedule(): void {
    if (this.timer) return;
    // Often enough that waiters go out in small groups, rarely enough to cost nothing.
    this.timer = setTimeout(() => this.drain(), Math.max(5, Math.ceil(1000 / this.perSecond)));
    this.timer.unref();
  }

  private drain(): void {
    this.timer = undefined;
    this.refill();
    while (this.tokens >= 1 && this.waiting > 0) {
      this.tokens -= 1;
      this.queue[this.head++]!.answer();
    }
    this.compact();
    if (this.waiting > 0) this.schedule();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    } else if (this.waiting === 0) {
      this.queue.length = 0;
      this.head = 0;
    }
  }
}

interface Waiter {
  answer: () => void;
  drop: () => void;
}
