import type { ParsedInputOf } from '../../shared/contract.js';
import type { EventType } from '../../shared/domain.js';
import type { LogPage } from '../../shared/dto.js';
import type { LogVerifyResult } from '../../shared/log.dto.js';
import { bringAuditIndexUpToDate } from '../repos/audit-index.repo.js';
import { findAuditEvents } from '../repos/audit-search.repo.js';
import { readChainAnchor, verifyAuditChainInSteps, type ChainReport } from '../repos/audit.repo.js';
import { recordEvent, type EventSpec } from './audit.js';
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

/** Reading the audit log. Writing happens only through recordEvent, inside each change's transaction. */
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
    if (query.text !== undefined) await bringAuditIndexUpToDate(this.deps.store);
    return findAuditEvents(this.deps.store, query);
  }

  /**
   * search, and the reading logged: once per actor per VIEW_LOG_INTERVAL_MS, after the page was read (so
   * the page never contains its own event, and the next page's cursor is unaffected).
   */
  async view(actor: Actor, query: ParsedInputOf<'log.search'>): Promise<LogPage> {
    const page = await this.search(actor, query);
    await this.recordView(actor, query);
    return page;
  }

  /** Logs that `actor` read the log with these filters (the CLI calls it once per `keyrack log`). */
  async recordView(actor: Actor, filters: Record<string, unknown>): Promise<void> {
    const now = this.deps.clock.now();
    const last = this.lastViewLogged.get(actor.name);
    if (last !== undefined && now - last < VIEW_LOG_INTERVAL_MS) return;
    this.lastViewLogged.set(actor.name, now);
    const { before: _before, after: _after, limit: _limit, order: _order, ...shown } = filters;
    await this.record(actor, { type: LOG_VIEW_EVENT, details: { view: true, filters: shown } });
  }

  /**
   * Re-computes the whole hash chain and names the first event that was edited, deleted or reordered.
   * The check itself is logged (after the walk, so its own event is not part of what it vouched for).
   */
  async verify(actor: Actor, onProgress?: (checked: number) => void): Promise<LogVerifyReport> {
    await authorize(this.deps, actor, 'log.view', 'log.verified');
    // Progress every 10 000 events (the CLI's line), no pause between pages: nothing else waits on this process.
    const chain = await verifyAuditChainInSteps(this.deps.store, onProgress, undefined, 10_000, false);
    return this.logged(actor, { ...chain, checkpoint: await this.checkpoints() });
  }

  /** verify in steps that let the desktop's main process breathe (the Log page's button). */
  async verifyInSteps(actor: Actor, onProgress?: (checked: number) => void): Promise<LogVerifyReport> {
    await authorize(this.deps, actor, 'log.view', 'log.verified');
    const chain = await verifyAuditChainInSteps(this.deps.store, onProgress);
    return this.logged(actor, { ...chain, checkpoint: await this.checkpoints() });
  }

  /**
   * The head against its signed checkpoints (audit-anchor.ts): what the chain alone cannot see, a cut tail
   * or a chain edited and recomputed. Checked after the walk, before this check's own event moves the head.
   */
  private async checkpoints(): Promise<CheckpointReport> {
    if (!this.anchor) return { verdict: 'not_anchored', checkpoint: null, headId: null, uncovered: 0, copies: [] };
    return verifyCheckpoints(this.deps.store, this.anchor.dataDir, this.anchor.key);
  }

  private async logged(actor: Actor, report: LogVerifyReport): Promise<LogVerifyReport> {
    const failed = checkpointFailed(report.checkpoint);
    const reason = report.firstProblem?.problem ?? (failed ? report.checkpoint.verdict : undefined);
    await this.record(actor, {
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
    const across = await verifyAcrossArchives(this.deps.store, files, onProgress);
    const checkpoint = await this.checkpoints();
    const report = { ...across, ok: across.ok && !checkpointFailed(checkpoint), checkpoint };
    const archiveProblem = report.archives.find((a) => a.problem)?.problem ?? null;
    await this.record(actor, {
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

  /** One event of the log's own, in a transaction of its own (it describes no change). */
  private async record(actor: Actor, spec: EventSpec): Promise<void> {
    await this.deps.store.transaction((tx) => recordEvent(tx, this.deps, actor, spec));
  }

  /** verify (in steps), shaped for the UI: ok, and where the verified part starts when retention archived the rest. */
  async verifyResult(actor: Actor): Promise<LogVerifyResult> {
    const report = await this.verifyInSteps(actor);
    const c = report.checkpoint;
    return {
      ok: report.firstProblem === null && !checkpointFailed(c),
      checked: report.checked,
      firstProblem: report.firstProblem,
      anchorId: (await readChainAnchor(this.deps.store))?.id ?? null,
      checkpoint: { verdict: c.verdict, id: c.checkpoint?.id ?? null, at: c.checkpoint?.at ?? null, headId: c.headId, uncovered: c.uncovered },
    };
  }
}
