import type { LogPage } from '../../shared/dto.js';
import * as S from '../../shared/schemas.js';
import { parseInput } from '../../shared/validate.js';
import { searchAuditEvents } from '../repos/audit.repo.js';
import { authorize } from './audit.js';
import type { Actor, ServiceDeps } from './context.js';

/** Reading the audit log. Writing happens only through recordEvent, inside each change's transaction. */
export class LogService {
  constructor(private readonly deps: ServiceDeps) {}

  search(actor: Actor, input: unknown): LogPage {
    const query = parseInput(S.logQueryInput, input);
    authorize(this.deps, actor, 'log.view', 'log.exported');
    return searchAuditEvents(this.deps.db, query);
  }
}
