import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { ParsedInputOf } from '../../shared/contract.js';
import type { LogExportStarted, LogExportStatus } from '../../shared/log.dto.js';
import { NotFoundError } from '../../shared/errors.js';
import { openAtomicWriteStream } from '../fs/atomic-write.js';
import type { SaveStream } from '../shell/save-stream.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';
import { exportAuditLog } from './log-export.js';

interface Job {
  status: LogExportStatus;
  abort: AbortController;
  /** Settles when the export ended (written, cancelled or failed). */
  finished: Promise<void>;
}

/** Finished jobs are forgotten after this long (the UI polls while it shows the progress bar). */
const KEEP_FINISHED_MS = 60 * 60_000;

/**
 * Log exports running in the background of main: `log.export` asks where to save (SaveStream), starts the
 * stream and returns a job id at once; the UI polls `log.exportStatus` for its progress bar and may
 * `log.exportCancel`. Each export is logged when it ends (how many events, which filters, the file's name,
 * and whether it completed).
 */
export class LogExportJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly finishedAt = new Map<string, number>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly saveStream: SaveStream,
  ) {}

  async start(actor: Actor, { format, ...filters }: ParsedInputOf<'log.export'>, options: { onProgress?: (written: number, total: number) => void } = {}): Promise<LogExportStarted> {
    await authorize(this.deps, actor, 'log.view', 'log.exported');
    const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    const target = await this.saveStream({
      defaultName: `keyrack-log-${day}.${format}`,
      filters: [format === 'csv' ? { name: 'CSV', extensions: ['csv'] } : { name: 'JSON Lines', extensions: ['jsonl'] }],
    });
    if (!target.saved) return { started: false };

    this.forgetOldJobs();
    const jobId = randomBytes(16).toString('hex');
    // Owner-only (the default): a log export names people, addresses and API users.
    const file = openAtomicWriteStream(target.path);
    const status: LogExportStatus = {
      jobId,
      format,
      fileName: basename(target.path),
      written: 0,
      total: 0,
      done: false,
      cancelled: false,
      error: null,
    };
    const abort = new AbortController();
    // Settles once the export counted the matching events (its first progress), or failed before.
    let counted!: () => void;
    const totalKnown = new Promise<void>((resolve) => (counted = resolve));
    const finished = (async () => {
      try {
        const outcome = await exportAuditLog(this.deps, filters, format, file.stream, {
          signal: abort.signal,
          onProgress: (written, total) => {
            Object.assign(status, { written, total });
            counted();
            options.onProgress?.(written, total);
          },
        });
        if (outcome.cancelled) await file.abort();
        else await file.commit();
        status.cancelled = outcome.cancelled;
      } catch (error) {
        counted();
        await file.abort();
        status.error = error instanceof Error && 'code' in error ? `Could not write the file (${String(error.code)})` : 'The export failed';
      }
      try {
        await this.deps.store.transaction((tx) =>
          recordEvent(tx, this.deps, actor, {
            type: 'log.exported',
            outcome: status.cancelled || status.error ? 'failure' : 'success',
            ...(status.cancelled ? { reason: 'cancelled' } : status.error ? { reason: 'write_failed' } : {}),
            details: { format, file: status.fileName, written: status.written, total: status.total, filters },
          }),
        );
      } finally {
        // Done only once its event is in the log: whoever polls the status until done finds the event.
        status.done = true;
        this.finishedAt.set(jobId, this.deps.clock.now());
      }
    })();
    this.jobs.set(jobId, { status, abort, finished });
    // exportAuditLog counts the matching events first (on SQLite before its first await), so the total is known here.
    await totalKnown;
    return { started: true, jobId, fileName: status.fileName, total: status.total };
  }

  async status(actor: Actor, { jobId }: ParsedInputOf<'log.exportStatus'>): Promise<LogExportStatus> {
    await authorize(this.deps, actor, 'log.view', 'log.exported');
    return { ...this.job(jobId).status };
  }

  async cancel(actor: Actor, { jobId }: ParsedInputOf<'log.exportCancel'>): Promise<LogExportStatus> {
    await authorize(this.deps, actor, 'log.view', 'log.exported');
    const job = this.job(jobId);
    if (!job.status.done) job.abort.abort();
    return { ...job.status };
  }

  /** Waits for an export to end (tests, and the CLI which runs one export and exits). */
  async wait(jobId: string): Promise<LogExportStatus> {
    const job = this.job(jobId);
    await job.finished;
    return { ...job.status };
  }

  private job(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError('No such export (it may have ended more than an hour ago)');
    return job;
  }

  private forgetOldJobs(): void {
    const now = this.deps.clock.now();
    for (const [id, at] of this.finishedAt) {
      if (now - at > KEEP_FINISHED_MS) {
        this.finishedAt.delete(id);
        this.jobs.delete(id);
      }
    }
  }
}
