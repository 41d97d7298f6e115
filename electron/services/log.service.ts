import type { EventType } from '../../shared/domain.js';
import type { LogPage } from '../../shared/dto.js';
import type { LogVerifyResult } from '../../shared/log.dto.js';
import * as S from '../../shared/schemas.js';
import { parseInput } from '../../shared/validate.js';
import { catchUpAuditIndex } from '../repos/audit-index.repo.js';
import { chainAnchor, searchAuditEvents, verifyAuditChain, verifyAuditChainInSteps, type ChainReport } from '../repos/audit.repo.js';
import { authorize, recordEvent } from './audit.js';
import { verifyAcrossArchives, type AcrossArchivesReport } from './log-archive.js';
import type { Actor, ServiceDeps } from './context.js';

/** The event that records someone reading the log (its details carry the filters and `view: true`). */
export const LOG_VIEW_EVENT: EventType = 'log.viewed';

/** One "read the log" event per person per this long: paging and refining filters are the same reading. */
export const VIEW_LOG_INTERVAL_MS = 10 * 60_000;

/** Reading the audit log. Writing happens only through recordEvent, inside each change's transaction. */
export class LogService {
  private readonly lastViewLogged = new Map<string, number>();

  constructor(private readonly deps: ServiceDeps) {}

  search(actor: Actor, input: unknown): LogPage {
    const query = parseInput(S.logQueryInput, input);
    authorize(this.deps, actor, 'log.view', 'log.viewed');
    // Free text reads the full-text index, which follows the log from a high-water mark.
    if (query.text !== undefined) catchUpAuditIndex(this.deps.db);
    return searchAuditEvents(this.deps.db, query);
  }

  /**
   * search, and the reading logged: once per actor per VIEW_LOG_INTERVAL_MS, after the page was read (so
   * the page never contains its own event, and the next page's cursor is unaffected).
   */
  view(actor: Actor, input: unknown): LogPage {
    const page = this.search(actor, input);
    this.recordView(actor, parseInput(S.logQueryInput, input));
    return page;
  }

  /** Logs that `actor` read the log with these filters (the CLI calls it once per `keyrack log`). */
  recordView(actor: Actor, filters: Record<string, unknown>): void {
    const now = this.deps.clock.now();
    const last = this.lastViewLogged.get(actor.name);
    if (last !== undefined && now - last < VIEW_LOG_INTERVAL_MS) return;
    this.lastViewLogged.set(actor.name, now);
    const { before: _before, limit: _limit, ...shown } = filters;
    recordEvent(this.deps, actor, { type: LOG_VIEW_EVENT, details: { view: true, filters: shown } });
  }

  /**
   * Re-computes the whole hash chain and names the first event that was edited, deleted or reordered.
   * The check itself is logged (after the walk, so its own event is not part of what it vouched for).
   */
  verify(actor: Actor, onProgress?: (checked: number) => void): ChainReport {
    authorize(this.deps, actor, 'log.view', 'log.verified');
    return this.logged(actor, verifyAuditChain(this.deps.db, onProgress));
  }

  /** verify in steps that let the desktop's main process breathe (the Log page's button). */
  async verifyInSteps(actor: Actor, onProgress?: (checked: number) => void): Promise<ChainReport> {
    authorize(this.deps, actor, 'log.view', 'log.verified');
    return this.logged(actor, await verifyAuditChainInSteps(this.deps.db, onProgress));
  }

  private logged(actor: Actor, report: ChainReport): ChainReport {
    recordEvent(this.deps, actor, {
      type: 'log.verified',
      outcome: report.firstProblem ? 'failure' : 'success',
      ...(report.firstProblem ? { reason: report.firstProblem.problem } : {}),
      details: { checked: report.checked, firstProblem: report.firstProblem },
    });
    return report;
  }

  /** verify, starting from retention's archives (oldest first) instead of the store's own anchor. Logged too. */
  async verifyWithArchives(actor: Actor, files: readonly string[], onProgress?: (checked: number) => void): Promise<AcrossArchivesReport> {
    authorize(this.deps, actor, 'log.view', 'log.verified');
    const report = await verifyAcrossArchives(this.deps.db, files, onProgress);
    const archiveProblem = report.archives.find((a) => a.problem)?.problem ?? null;
    recordEvent(this.deps, actor, {
      type: 'log.verified',
      outcome: report.ok ? 'success' : 'failure',
      ...(report.ok ? {} : { reason: archiveProblem?.problem ?? (report.anchorMismatch ? 'anchor_mismatch' : report.log?.firstProblem?.problem ?? 'failed') }),
      details: {
        archives: report.archives.map((a) => ({ firstId: a.firstId, lastId: a.lastId, checked: a.checked, problem: a.problem })),
        checked: report.log?.checked ?? 0,
        firstProblem: report.log?.firstProblem ?? null,
      },
    });
    return report;
  }

  /** verify (in steps), shaped for the UI: ok, and where the verified part starts when retention archived the rest. */
  async verifyResult(actor: Actor): Promise<LogVerifyResult> {
    const report = await this.verifyInSteps(actor);
    return { ok: report.firstProblem === null, checked: report.checked, firstProblem: report.firstProblem, anchorId: chainAnchor(this.deps.db)?.id ?? null };
  }
}
