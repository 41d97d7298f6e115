import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as L from '../../shared/log.schemas.js';
import type { PruneDue, PruneResult, RetentionSettings } from '../../shared/log.dto.js';
import { ConflictError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import { GENESIS_HASH } from '../crypto/audit-chain.js';
import { chainAnchor, firstAuditEventId, lastEventBefore, pruneAuditEventsThrough } from '../repos/audit.repo.js';
import { readSetting, writeSetting } from '../repos/settings.repo.js';
import { authorize, recordEvent } from './audit.js';
import type { Actor, ServiceDeps } from './context.js';
import { ARCHIVE_FOLDER, verifyArchive, writeArchive } from './log-archive.js';

const DAY = 86_400_000;
export const RETENTION_KEY = 'log.retention';
export const LAST_PRUNE_KEY = 'log.last_prune';

/**
 * How long the audit log keeps events (default: for ever). Pruning first writes the events it removes to a
 * compressed archive in the data folder (log-archive.ts), then removes them in one transaction that also
 * moves the chain anchor to the last archived event, so the archive and the remaining log verify together.
 */
export class RetentionService {
  private pruning = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly dataDir: string,
  ) {}

  get(actor: Actor): RetentionSettings {
    authorize(this.deps, actor, 'log.view', 'settings.changed');
    return this.settings();
  }

  /** What the log keeps is an app setting that deletes history: server.manage, like the token server's. */
  set(actor: Actor, input: unknown): RetentionSettings {
    const { keepDays } = parseInput(L.retentionInput, input);
    authorize(this.deps, actor, 'server.manage', 'settings.changed');
    this.deps.db.transaction(() => {
      const before = this.keepDays();
      writeSetting(this.deps.db, RETENTION_KEY, { keepDays });
      recordEvent(this.deps, actor, { type: 'settings.changed', details: { setting: RETENTION_KEY, from: before, to: keepDays } });
    }).immediate();
    return this.settings();
  }

  /** Archives and removes the events older than the retention period; nothing when it keeps everything. */
  async prune(actor: Actor): Promise<PruneResult> {
    authorize(this.deps, actor, 'server.manage', 'log.pruned');
    if (this.pruning) throw new ConflictError('The log is being pruned already');
    this.pruning = true;
    try {
      return await this.pruneNow(actor);
    } finally {
      this.pruning = false;
    }
  }

  private async pruneNow(actor: Actor): Promise<PruneResult> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const keepDays = this.keepDays();
    const nothing: PruneResult = { at: now, removed: 0, archiveFile: null, firstId: null, lastId: null, lastHash: null };
    if (keepDays === null) return nothing;
    const last = lastEventBefore(db, now - keepDays * DAY);
    const firstId = firstAuditEventId(db);
    if (!last || firstId === undefined || last.id < firstId) return nothing;
    const anchor = chainAnchor(db);
    const archive = await writeArchive(
      db,
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
    const result: PruneResult = {
      at: now,
      removed: 0,
      archiveFile: archive.file,
      firstId,
      lastId: last.id,
      lastHash: last.hash.toString('hex'),
    };
    db.transaction(() => {
      result.removed = pruneAuditEventsThrough(db, last.id, last.hash);
      // The archive is a copy of the log written to a file: logged as an export, naming the file only.
      recordEvent(this.deps, actor, {
        type: 'log.pruned',
        details: { purpose: 'retention', archive: basename(archive.file), firstId, lastId: last.id, removed: result.removed, keepDays },
      });
      writeSetting(db, LAST_PRUNE_KEY, result);
    }).immediate();
    return result;
  }

  keepDays(): number | null {
    return readSetting<{ keepDays: number | null }>(this.deps.db, RETENTION_KEY)?.keepDays ?? null;
  }

  private settings(): RetentionSettings {
    const keepDays = this.keepDays();
    return {
      keepDays,
      lastPrune: readSetting<PruneResult>(this.deps.db, LAST_PRUNE_KEY) ?? null,
      archiveFolder: join(this.dataDir, ARCHIVE_FOLDER),
      due: keepDays === null ? null : this.due(keepDays),
    };
  }

  /**
   * What pruneNow would remove, from two index lookups (no count over the rows): ids follow each other
   * without gaps (each event's hash links it to id − 1, so a gap fails verification) and times never go
   * back as ids go up (appendAuditEvents), so the events before the cut-off are exactly ids first..last.
   */
  private due(keepDays: number): PruneDue {
    const before = this.deps.clock.now() - keepDays * DAY;
    const last = lastEventBefore(this.deps.db, before);
    const firstId = firstAuditEventId(this.deps.db);
    const events = last && firstId !== undefined && last.id >= firstId ? last.id - firstId + 1 : 0;
    return { before, events };
  }
}
