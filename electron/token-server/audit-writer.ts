import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import type { NewAuditEvent } from '../repos/audit.repo.js';
import type { CredentialUse } from '../repos/token-events.repo.js';
import type { AuditSink } from './audit-sink.js';
import type { ServerMetrics } from './metrics.js';

interface Pending {
  event: NewAuditEvent;
  use: CredentialUse | undefined;
  done: () => void;
  failed: (error: Error) => void;
}

/**
 * Group commit for the token endpoint's log. What must be durable before a response leaves: the audit
 * event of that issuance or denial (with its jti) and, for a success, the secret's last use. So each request
 * appends its rows here and waits. Rows appended during one turn of the event loop go to the sink as one
 * batch (one transaction, one fsync) on the next turn; while a batch is being committed, new rows gather
 * for the next one, which is sent the moment the first is durable. Every waiting request is answered only
 * after its batch's commit returned. Under load one fsync covers dozens of requests; at rest a lone request
 * waits for exactly one commit. A crash loses only requests that were never answered. A failed commit
 * fails every request of the batch (500): a token is never handed out without its log entry.
 */
export class AuditWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  /** Batches and rows written, and how long their commits took (sent to durable, ms), for the benchmark's report. */
  readonly stats = { batches: 0, rows: 0, largestBatch: 0, commitMillis: 0, slowestCommitMillis: 0 };
  /** Each commit's time from sent to durable, µs: its tail is what a request that waits behind it sees. */
  readonly commitTimes: RecordableHistogram = createHistogram();

  constructor(
    readonly sink: AuditSink,
    private readonly maxBatch = 1024,
    /** Hears each commit's size and time, and each failed commit (the server's /metrics). */
    private readonly observer?: Pick<ServerMetrics, 'auditCommitted' | 'auditFailed'>,
  ) {}

  append(event: NewAuditEvent, use?: CredentialUse): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the audit writer is closed'));
    return new Promise((done, failed) => {
      this.pending.push({ event, use, done, failed });
      if (!this.scheduled && !this.inFlight) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Sends what is pending as one batch, unless one is being committed (its completion sends the next). */
  private flush(): void {
    this.scheduled = false;
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.pending.length > this.maxBatch ? this.pending.splice(0, this.maxBatch) : this.pending;
    if (batch === this.pending) this.pending = [];
    const uses = batch.flatMap((p) => (p.use ? [p.use] : []));
    const sent = performance.now();
    this.inFlight = this.sink.write(
      batch.map((p) => p.event),
      uses,
    ).then(
      () => {
        this.stats.batches++;
        this.stats.rows += batch.length;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
        const took = performance.now() - sent;
        this.stats.commitMillis += took;
        this.stats.slowestCommitMillis = Math.max(this.stats.slowestCommitMillis, took);
        this.commitTimes.record(Math.max(1, Math.round(took * 1000)));
        this.observer?.auditCommitted(batch.length, took / 1000);
        for (const p of batch) p.done();
      },
      (error: Error) => {
        this.observer?.auditFailed();
        for (const p of batch) p.failed(error);
      },
    ).finally(() => {
      this.inFlight = undefined;
      this.flush();
    });
  }

  /** Refuses further rows, writes everything pending, and closes the sink (server stop). */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    while (this.inFlight) await this.inFlight;
    await this.sink.close();
  }
}
