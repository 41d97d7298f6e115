/**
 * Failed-authentication back-off, in memory. After `freeFailures` failures a key must wait, and every
 * further failure doubles the wait up to `maxDelayMs`; a key is forgotten after `resetAfterMs` without a
 * failure, or at once on a success. Memory is bounded: past `maxKeys` the least recently failing key goes.
 */
export interface BackoffPolicy {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  resetAfterMs: number;
  maxKeys: number;
}

interface KeyState {
  failures: number;
  lastFailureAt: number;
  /** The wait this key earned at its last failure (0 while within the free failures). */
  delayMs: number;
}

/** What a request waiting for other attempts' outcome is told: try again in a second. */
const ATTEMPT_WAIT_MS = 1_000;

export class BackoffLimiter {
  private readonly keys = new Map<string, KeyState>();
  /** Attempts past waitFor whose outcome is not known yet, per key (begin/end); empty keys are removed. */
  private readonly inFlight = new Map<string, number>();

  constructor(readonly policy: BackoffPolicy) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitFor(key: string, now: number): number {
    let state = this.keys.get(key);
    if (state && now - state.lastFailureAt >= this.policy.resetAfterMs) {
      this.keys.delete(key);
      state = undefined;
    }
    // Never more than the wait earned, even if the clock stepped back since the failure.
    const earned = state ? Math.max(0, Math.min(state.delayMs, state.lastFailureAt + state.delayMs - now)) : 0;
    if (earned > 0) return earned;
    const running = this.inFlight.get(key) ?? 0;
    return running > 0 && running >= this.allowance(state) ? ATTEMPT_WAIT_MS : 0;
  }

  /**
   * An attempt that waitFor let through begins its slow work (an argon2id verification). A key has at most
   * as many attempts in flight as it has free failures left, and one once they are used up: otherwise a
   * flood's requests would all pass before the first outcome (at its start, and each time its wait ends),
   * and each would cost a verification (issue 17, item 2). Every `begin` needs its `end`.
   */
  begin(key: string): void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
  }

  end(key: string): void {
    const left = (this.inFlight.get(key) ?? 1) - 1;
    if (left <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, left);
  }

  private allowance(state: KeyState | undefined): number {
    return Math.max(1, this.policy.freeFailures - (state?.failures ?? 0));
  }

  fail(key: string, now: number): void {
    const previous = this.keys.get(key);
    const failures = previous && now - previous.lastFailureAt < this.policy.resetAfterMs ? previous.failures + 1 : 1;
    const over = failures - this.policy.freeFailures;
    const delay = over < 0 ? 0 : Math.min(this.policy.firstDelayMs * 2 ** Math.min(over, 30), this.policy.maxDelayMs);
    this.keys.delete(key);
    if (this.keys.size >= this.policy.maxKeys) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    this.keys.set(key, { failures, lastFailureAt: now, delayMs: delay });
  }

  succeed(key: string): void {
    this.keys.delete(key);
  }

  /** No key has failures or attempts in flight: waitFor answers 0 for every key. */
  get idle(): boolean {
    return this.keys.size === 0 && this.inFlight.size === 0;
  }

  get size(): number {
    return this.keys.size;
  }
}

/** How long "not a known address" is believed without asking the store again, and how many such answers are kept. */
const MISS_MS = 5_000;
const MAX_MISSES = 50_000;

/**
 * Addresses a client authenticated from. A flood of failures against a client id blocks that client id, but
 * not from these addresses: an attacker elsewhere cannot lock the real integration out. The store is the
 * record (client-addresses.repo.ts: it survives a restart, is shared by every node over the store, and holds
 * a pool of workers' many addresses); this class keeps the recent ones in memory in front of it, so an
 * address that answered once is not read again.
 */
export class KnownAddresses {
  private readonly byClient = new Map<string, Map<string, number>>();
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly rememberMs: number,
    /** When the store last saw the client at the address; undefined: never, or forgotten. */
    private readonly stored: (clientId: string, ip: string) => Promise<number | undefined> = () => Promise.resolve(undefined),
    private readonly perClient = 16,
    private readonly maxClients = 10_000,
  ) {}

  add(clientId: string, ip: string, now: number): void {
    let addresses = this.byClient.get(clientId);
    if (!addresses) {
      if (this.byClient.size >= this.maxClients) {
        const oldest = this.byClient.keys().next().value;
        if (oldest !== undefined) this.byClient.delete(oldest);
      }
      this.byClient.set(clientId, (addresses = new Map()));
    }
    addresses.delete(ip);
    addresses.set(ip, now);
    this.misses.delete(`${clientId}\0${ip}`);
    if (addresses.size > this.perClient) addresses.delete(addresses.keys().next().value!);
  }

  /**
   * Memory first, then the store (one primary-key read). A miss is remembered for a few seconds: a flood
   * from addresses the client never used would otherwise read the store on each of its requests. A success
   * on this node ends the miss at once (add); one on another node is seen when the miss expires.
   */
  async has(clientId: string, ip: string, now: number): Promise<boolean> {
    const at = this.byClient.get(clientId)?.get(ip);
    if (at !== undefined && now - at < this.rememberMs) return true;
    const key = `${clientId}\0${ip}`;
    const missUntil = this.misses.get(key);
    if (missUntil !== undefined && missUntil > now) return false;
    const seen = await this.stored(clientId, ip);
    if (seen === undefined || now - seen >= this.rememberMs) {
      if (this.misses.size >= MAX_MISSES) this.misses.clear();
      this.misses.set(key, now + MISS_MS);
      return false;
    }
    this.add(clientId, ip, seen);
    return true;
  }

  dropClient(clientId: string): void {
    this.byClient.delete(clientId);
  }
}

/**
 * Refusals of throttled requests are logged once per key and window, with the count of those left out, so a
 * flood leaves a readable log of bounded size instead of one row per attempt.
 */
export class LogSampler {
  private readonly windows = new Map<string, { until: number; skipped: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** The number of refusals skipped since the last logged one, or -1 when this one is not to be logged. */
  admit(key: string, now: number): number {
    const window = this.windows.get(key);
    if (window && window.until > now) {
      window.skipped++;
      return -1;
    }
    if (this.windows.size >= this.maxKeys) this.windows.clear();
    this.windows.set(key, { until: now + this.windowMs, skipped: 0 });
    return window?.skipped ?? 0;
  }
}
