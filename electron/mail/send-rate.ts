/**
 * Messages a minute per API user, in memory: a sliding window of the last minute's send times. The daily
 * limit is the store's (it must survive a restart and count every node's messages); this one only smooths
 * bursts, and a restart forgetting it is harmless.
 */
export class SendRate {
  private readonly sent = new Map<number, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly maxUsers = 10_000,
  ) {}

  /** Counts one message for the user now; false (and nothing counted) when the minute is full. */
  take(userId: number, now: number): boolean {
    const since = now - 60_000;
    const times = (this.sent.get(userId) ?? []).filter((t) => t > since);
    if (times.length >= this.perMinute) {
      this.sent.set(userId, times);
      return false;
    }
    times.push(now);
    if (!this.sent.has(userId) && this.sent.size >= this.maxUsers) this.sent.clear();
    this.sent.set(userId, times);
    return true;
  }
}
