import type { Db } from '../db/open.js';
import type { NewAuditEvent } from '../repos/audit.repo.js';
import { appendTokenEvents, type SecretUse } from '../repos/token-events.repo.js';

interface Pending {
  event: NewAuditEvent;
  use: SecretUse | undefined;
  done: () => void;
  failed: (error: Error) => void;
}

/**
 * Group commit for the token endpoint's log. What must be durable before a response leaves: the audit
 * event of that issuance or denial (with its jti) and, for a success, the secret's last use. So each request
 * appends its rows here and waits; all the rows appended during one turn of the event loop are written in
 * one transaction on the next turn (setImmediate), and every waiting request is answered only after that
 * commit returned. Under load one fsync covers dozens of requests; at rest a lone request waits for exactly
 * one commit, as before. A crash loses only requests that were never answered. A failed commit fails every
 * request of the batch (500): a token is never handed out without its log entry.
 */
export class AuditWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  /** Batches and rows written, for the benchmark's report. */
  readonly stats = { batches: 0, rows: 0, largestBatch: 0 };

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 1024,
  ) {}

  append(event: NewAuditEvent, use?: SecretUse): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the audit writer is closed'));
    return new Promise((done, failed) => {
      this.pending.push({ event, use, done, failed });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything pending now. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      appendTokenEvents(
        this.db,
        batch.map((p) => p.event),
        batch.flatMap((p) => (p.use ? [p.use] : [])),
      );
    } catch (error) {
      for (const p of batch) p.failed(error as Error);
      return;
    }
    this.stats.batches++;
    this.stats.rows += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    for (const p of batch) p.done();
  }

  /** Flushes and refuses further rows (server stop). */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
