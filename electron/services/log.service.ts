import type { LogPage } from '../../shared/dto.js';
import * as S from '../../shared/schemas.js';
import { parseInput } from '../../shared/validate.js';
import { searchAuditEvents, verifyAuditChain, type ChainReport } from '../repos/audit.repo.js';
import { authorize, recordEvent } from './audit.js';
import type { Actor, ServiceDeps } from './context.js';

/** Reading the audit log. Writing happens only through recordEvent, inside each change's transaction. */
export class LogService {
  constructor(private readonly deps: ServiceDeps) {}

  search(actor: Actor, input: unknown): LogPage {
    const query = parseInput(S.logQueryInput, input);
    authorize(this.deps, actor, 'log.view', 'log.exported');
    return searchAuditEvents(this.deps.db, query);
  }

  /**
   * Re-computes the whole hash chain and names the first event that was edited, deleted or reordered.
   * The check itself is logged (after the walk, so its own event is not part of what it vouched for).
   */
  verify(actor: Actor, onProgress?: (checked: number) => void): ChainReport {
    authorize(this.deps, actor, 'log.view', 'log.verified');
    const report = verifyAuditChain(this.deps.db, onProgress);
    recordEvent(this.deps, actor, {
      type: 'log.verified',
      outcome: report.firstProblem ? 'failure' : 'success',
      ...(report.firstProblem ? { reason: report.firstProblem.problem } : {}),
      details: { checked: report.checked, firstProblem: report.firstProblem },
    });
    return report;
  }
}
