import { existsSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { basename, join } from 'node:path';
import type { ParsedInputOf } from '../../shared/contract.js';
import type { PruneDue, PruneResult, RetentionSettings } from '../../shared/log.dto.js';
import { ConflictError } from '../../shared/errors.js';
import { GENESIS_HASH } from '../crypto/audit-chain.js';
import { firstAuditEventId, lastEventBefore, pruneAuditEventsThrough, readChainAnchor } from '../repos/audit.repo.js';
import { deleteSetting, readSetting, writeSetting } from '../repos/settings.repo.js';
import type { Queryable } from '../db/store.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';
import { ARCHIVE_FOLDER, verifyArchive, writeArchive } from './log-archive.js';

const DAY = 86_400_000;
export const RETENTION_KEY = 'log.retention';
export const LAST_PRUNE_KEY = 'log.last_prune';
/** A prune whose archive is written and whose events are being removed: finished by the next prune. */
export const PRUNE_IN_PROGRESS_KEY = 'log.prune_in_progress';

/**
 * Events removed per transaction. Every write to the store waits while one runs, the token server's log
 * of each request included (its connection gives up after 5 s: busy_timeout), and the process pruning
 * waits for it too (`keyrack serve` runs the token server on the same event loop). Measured on the
 * bench:log store (1M events): 100 000 events in one transaction held the store 25 s; 2 000 take about
 * 0.25 s, most of it the commit.
 */
export const PRUNE_CHUNK_EVENTS = 2_000;
/**
 * After each chunk the prune waits at least as long as the chunk took (and at least this long), so it
 * never takes more than half of the process's time and writers that waited get the store in between.
 */
const MIN_PAUSE_BETWEEN_CHUNKS_MS = 20;

/** A prune whose archive is written: what it will record, with the events removed so far. */
type PlannedPrune = PruneResult & { keepDays: number };

/**
 * How long the audit log keeps events (default: for ever). Pruning first writes the events it removes to a
 * compressed archive in the data folder (log-archive.ts), then removes them oldest first in short
 * transactions, each moving the chain anchor to the last event it removed, so the archive and the remaining
 * log verify together after the last one. A prune cut short (a crash, a full disk) is recorded as in
 * progress and finished by the next one, from the archive already written.
 */
export class RetentionService {
  private pruning = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly dataDir: string,
    private readonly chunkEvents = PRUNE_CHUNK_EVENTS,
  ) {}

  async get(actor: Actor): Promise<RetentionSettings> {
    await authorize(this.deps, actor, 'log.view', 'settings.changed');
    return this.settings();
  }

  /** What the log keeps is an app setting that deletes history: server.manage, like the token server's. */
  async set(actor: Actor, { keepDays }: ParsedInputOf<'log.setRetention'>): Promise<RetentionSettings> {
    await authorize(this.deps, actor, 'server.manage', 'settings.changed');
    await this.deps.store.transaction(async (tx) => {
      const before = await this.keepDays(tx);
      await writeSetting(tx, RETENTION_KEY, { keepDays });
      await recordEvent(tx, this.deps, actor, { type: 'settings.changed', details: { setting: RETENTION_KEY, from: before, to: keepDays } });
    });
    return this.settings();
  }

  /** Archives and removes the events older than the retention period; nothing when it keeps everything. */
  async prune(actor: Actor): Promise<PruneResult> {
    await authorize(this.deps, actor, 'server.manage', 'log.pruned');
    if (this.pruning) throw new ConflictError('The log is being pruned already');
    this.pruning = true;
    try {
      return await this.pruneNow(actor);
    } finally {
      this.pruning = false;
    }
  }

  private async pruneNow(actor: Actor): Promise<PruneResult> {
    const { store, clock } = this.deps;
    const unfinished = await readSetting<PlannedPrune>(store, PRUNE_IN_PROGRESS_KEY);
    // Finished from its archive; an archive deleted meanwhile vouches for nothing, so the prune starts over.
    if (unfinished && existsSync(unfinished.archiveFile!)) return this.removeArchived(actor, unfinished);
    if (unfinished) await deleteSetting(store, PRUNE_IN_PROGRESS_KEY);
    const now = clock.now();
    const keepDays = await this.keepDays();
    const nothing: PruneResult = { at: now, removed: 0, archiveFile: null, firstId: null, lastId: null, lastHash: null };
    if (keepDays === null) return nothing;
    const last = await lastEventBefore(store, now - keepDays * DAY);
    const firstId = await firstAuditEventId(store);
    if (!last || firstId === undefined || last.id < firstId) return nothing;
    const anchor = await readChainAnchor(store);
    const archive = await writeArchive(
      store,
      this.dataDir,
      { firstId, lastId: last.id, prevHash: anchor?.hash ?? GENESIS_HASH, lastHash: last.hash },
      now,
    );
    // Never delete what the archive cannot vouch for: an edited or missing event stops the prune here.
    const check = await verifyArchive(archive.file, anchor ? { id: firstId - 1, hash: anchor.hash.toString('hex') } : undefined);
    if (check.problem) {
      rmSync(archive.file, { force: true });
      throw new ConflictError(
        `The events to prune do not verify (event ${check.problem.id ?? '?'}: ${check.problem.problem}); ` +
          'nothing was removed. Run keyrack log verify.',
      );
    }
    const planned: PlannedPrune = { at: now, removed: 0, archiveFile: archive.file, firstId, lastId: last.id, lastHash: last.hash.toString('hex'), keepDays };
    await writeSetting(store, PRUNE_IN_PROGRESS_KEY, planned);
    return this.removeArchived(actor, planned);
  }

  /**
   * Removes the archived events still in the log, a chunk per transaction, then records the prune. Each chunk
   * starts at the oldest event left, read inside its transaction, so a run resuming an interrupted prune (or
   * another process pruning at the same time) skips what is already gone; the run that clears the
   * in-progress mark is the one that records the prune.
   */
  private async removeArchived(actor: Actor, planned: PlannedPrune): Promise<PruneResult> {
    const { store } = this.deps;
    const lastId = planned.lastId!;
    let removed = planned.removed;
    for (let more = true; more; ) {
      const started = performance.now();
      more = await store.transaction(async (tx) => {
        const first = await firstAuditEventId(tx);
        if (first === undefined || first > lastId) return false;
        const through = Math.min(lastId, first + this.chunkEvents - 1);
        removed += await pruneAuditEventsThrough(tx, through);
        await writeSetting(tx, PRUNE_IN_PROGRESS_KEY, { ...planned, removed });
        return through < lastId;
      });
      if (more) await new Promise((resume) => setTimeout(resume, Math.max(MIN_PAUSE_BETWEEN_CHUNKS_MS, performance.now() - started)));
    }
    const { keepDays, ...result } = { ...planned, removed };
    return store.transaction(async (tx) => {
      if (!(await readSetting(tx, PRUNE_IN_PROGRESS_KEY))) return (await readSetting<PruneResult>(tx, LAST_PRUNE_KEY)) ?? result; // finished elsewhere
      // The archive is a copy of the log written to a file: the event names the file only.
      await recordEvent(tx, this.deps, actor, {
        type: 'log.pruned',
        details: { purpose: 'retention', archive: basename(result.archiveFile!), firstId: result.firstId, lastId, removed, keepDays },
      });
      await writeSetting(tx, LAST_PRUNE_KEY, result);
      await deleteSetting(tx, PRUNE_IN_PROGRESS_KEY);
      return result;
    });
  }

  /** The retention period in days (null: keep everything), read through `q` (a transaction's, or the store). */
  async keepDays(q: Queryable = this.deps.store): Promise<number | null> {
    return (await readSetting<{ keepDays: number | null }>(q, RETENTION_KEY))?.keepDays ?? null;
  }

  private async settings(): Promise<RetentionSettings> {
    const keepDays = await this.keepDays();
    return {
      keepDays,
      lastPrune: (await readSetting<PruneResult>(this.deps.store, LAST_PRUNE_KEY)) ?? null,
      archiveFolder: join(this.dataDir, ARCHIVE_FOLDER),
      due: keepDays === null ? null : await this.due(keepDays),
    };
  }

  /**
   * What pruneNow would remove, from two index lookups (no count over the rows): ids follow each other
   * without gaps (each event's hash links it to id − 1, so a gap fails verification) and times never go
   * back as ids go up (appendAuditEvents), so the events before the cut-off are exactly ids first..last.
   */
  private async due(keepDays: number): Promise<PruneDue> {
    const before = this.deps.clock.now() - keepDays * DAY;
    const last = await lastEventBefore(this.deps.store, before);
    const firstId = await firstAuditEventId(this.deps.store);
    const events = last && firstId !== undefined && last.id >= firstId ? last.id - firstId + 1 : 0;
    return { before, events };
  }
}
