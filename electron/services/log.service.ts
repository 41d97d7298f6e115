import type { ParsedInputOf } from '../../shared/contract.js';
import type { EventType } from '../../shared/domain.js';
import type { LogPage } from '../../shared/dto.js';
import type { LogVerifyResult } from '../../shared/log.dto.js';
import { catchUpAuditIndex } from '../repos/audit-index.repo.js';
import { searchAuditEvents } from '../repos/audit-search.repo.js';
import { chainAnchor, verifyAuditChain, verifyAuditChainInSteps, type ChainReport } from '../repos/audit.repo.js';
import { recordEventOnDb } from './audit.js';
import { authorize } from './authorize.js';
import { checkpointFailed, verifyCheckpoints, type CheckpointKeyState, type CheckpointReport } from './audit-anchor.js';
import { verifyAcrossArchives, type AcrossArchivesReport } from './log-archive.js';
import type { Actor, ServiceDeps } from './context.js';

/** The chain walk and the checkpoint check of one verification. */
export type LogVerifyReport = ChainReport & { checkpoint: CheckpointReport };

/** What the log keeps of a checkpoint check: the verdict and the ids, never the key or a MAC. */
function checkpointDetails(c: CheckpointReport): Record<string, unknown> {
  return { verdict: c.verdict, id: c.checkpoint?.id ?? null, source: c.checkpoint?.source ?? null, headId: c.headId, uncovered: c.uncovered };
}

/** The event that records someone reading the log (its details carry the filters and `view: true`). */
export const LOG_VIEW_EVENT: EventType = 'log.viewed';

/** One "read the log" event per person per this long: paging and refining filters are the same reading. */
export const VIEW_LOG_INTERVAL_MS = 10 * 60_000;

/** Reading the audit log. Writing happens only through recordEventOnDb, inside each change's transaction. */
export class LogService {
  private readonly lastViewLogged = new Map<string, number>();

  constructor(
    private readonly deps: ServiceDeps,
    /** Where the checkpoint file lives and this process's checkpoint key (core.ts), for verify. */
    private readonly anchor: { dataDir: string; key: CheckpointKeyState | undefined } | undefined = undefined,
  ) {}

  async search(actor: Actor, query: ParsedInputOf<'log.search'>): Promise<LogPage> {
    await authorize(this.deps, actor, 'log.view', 'log.viewed');
    // Free text reads the full-text index, which follows the log from a high-water mark.
    if (query.text !== undefined) catchUpAuditIndex(this.deps.db);
    return searchAuditEvents(this.deps.db, query);
  }

  /**
   * search, and the reading logged: once per actor per VIEW_LOG_INTERVAL_MS, after the page was read (so
   * the page never contains its own event, and the next page's cursor is unaffected).
   */
  async view(actor: Actor, query: ParsedInputOf<'log.search'>): Promise<LogPage> {
    const page = await this.search(actor, query);
    this.recordView(actor, query);
    return page;
  }

  /** Logs that `actor` read the log with these filters (the CLI calls it once per `keyrack log`). */
  recordView(actor: Actor, filters: Record<string, unknown>): void {
    const now = this.deps.clock.now();
    const last = this.lastViewLogged.get(actor.name);
    if (last !== undefined && now - last < VIEW_LOG_INTERVAL_MS) return;
    this.lastViewLogged.set(actor.name, now);
    const { before: _before, after: _after, limit: _limit, order: _order, ...shown } = filters;
    recordEventOnDb(this.deps, actor, { type: LOG_VIEW_EVENT, details: { view: true, filters: shown } });
  }

  /**
   * Re-computes the whole hash chain and names the first event that was edited, deleted or reordered.
   * The check itself is logged (after the walk, so its own event is not part of what it vouched for).
   */
  async verify(actor: Actor, onProgress?: (checked: number) => void): Promise<LogVerifyReport> {
    await authorize(this.deps, actor, 'log.view', 'log.verified');
    return this.logged(actor, { ...verifyAuditChain(this.deps.db, onProgress), checkpoint: this.checkpoints() });
  }

  /** verify in steps that let the desktop's main process breathe (the Log page's button). */
  async verifyInSteps(actor: Actor, onProgress?: (checked: number) => void): Promise<LogVerifyReport> {
    await authorize(this.deps, actor, 'log.view', 'log.verified');
    const chain = await verifyAuditChainInSteps(this.deps.db, onProgress);
    return this.logged(actor, { ...chain, checkpoint: this.checkpoints() });
  }

  /**
   * The head against its signed checkpoints (audit-anchor.ts): what the chain alone cannot see, a cut tail
   * or a chain edited and recomputed. Checked after the walk, before this check's own event moves the head.
   */
  private checkpoints(): CheckpointReport {
    if (!this.anchor) return { verdict: 'not_anchored', checkpoint: null, headId: null, uncovered: 0, copies: [] };
    return verifyCheckpoints(this.deps.db, this.anchor.dataDir, this.anchor.key);
  }

  private logged(actor: Actor, report: LogVerifyReport): LogVerifyReport {
    const failed = checkpointFailed(report.checkpoint);
    const reason = report.firstProblem?.problem ?? (failed ? report.checkpoint.verdict : undefined);
    recordEventOnDb(this.deps, actor, {
      type: 'log.verified',
      outcome: reason ? 'failure' : 'success',
      ...(reason ? { reason } : {}),
      details: { checked: report.checked, firstProblem: report.firstProblem, checkpoint: checkpointDetails(report.checkpoint) },
    });
    return report;
  }

  /** verify, starting from retention's archives (oldest first) instead of the store's own anchor. Logged too. */
  async verifyWithArchives(
    actor: Actor,
    files: readonly string[],
    onProgress?: (checked: number) => void,
  ): Promise<AcrossArchivesReport & { checkpoint: CheckpointReport }> {
    await authorize(this.deps, actor, 'log.view', 'log.verified');
    const across = await verifyAcrossArchives(this.deps.db, files, onProgress);
    const checkpoint = this.checkpoints();
    const report = { ...across, ok: across.ok && !checkpointFailed(checkpoint), checkpoint };
    const archiveProblem = report.archives.find((a) => a.problem)?.problem ?? null;
    recordEventOnDb(this.deps, actor, {
      type: 'log.verified',
      outcome: report.ok ? 'success' : 'failure',
      ...(report.ok
        ? {}
        : {
            reason:
              archiveProblem?.problem ??
              (report.anchorMismatch ? 'anchor_mismatch' : (report.log?.firstProblem?.problem ?? checkpoint.verdict)),
          }),
      details: {
        archives: report.archives.map((a) => ({ firstId: a.firstId, lastId: a.lastId, checked: a.checked, problem: a.problem })),
        checked: report.log?.checked ?? 0,
        firstProblem: report.log?.firstProblem ?? null,
        checkpoint: checkpointDetails(checkpoint),
      },
    });
    return report;
  }

  /** verify (in steps), shaped for the UI: ok, and where the verified part starts when retention archived the rest. */
  async verifyResult(actor: Actor): Promise<LogVerifyResult> {
    const report = await this.verifyInSteps(actor);
    const c = report.checkpoint;
    return {
      ok: report.firstProblem === null && !checkpointFailed(c),
      checked: report.checked,
      firstProblem: report.firstProblem,
      anchorId: chainAnchor(this.deps.db)?.id ?? null,
      checkpoint: { verdict: c.verdict, id: c.checkpoint?.id ?? null, at: c.checkpoint?.at ?? null, headId: c.headId, uncovered: c.uncovered },
    };
  }
}
