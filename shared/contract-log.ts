import { takes } from './channel-spec.js';
import type { LogPage } from './dto.js';
import type * as D from './log.dto.js';
import * as L from './log.schemas.js';
import * as S from './schemas.js';

/** The log (search, verify, export, retention) and the overview built from it, with expiring credentials. */
export const logChannels = {
  'log.search': takes(S.logQueryInput).returns<LogPage>(),
  /** Re-computes the whole hash chain; names the first edited, deleted or reordered event. */
  'log.verify': takes(S.emptyInput).returns<D.LogVerifyResult>(),
  /** Asks where to save (main's dialog), then streams in the background; poll log.exportStatus. */
  'log.export': takes(L.logExportInput).returns<D.LogExportStarted>(),
  'log.exportStatus': takes(L.exportJobRef).returns<D.LogExportStatus>(),
  'log.exportCancel': takes(L.exportJobRef).returns<D.LogExportStatus>(),
  'log.retention': takes(S.emptyInput).returns<D.RetentionSettings>(),
  'log.setRetention': takes(L.retentionInput).returns<D.RetentionSettings>(),
  /** Archives then removes events older than the retention period now (also done daily). */
  'log.prune': takes(S.emptyInput).returns<D.PruneResult>(),
  'overview.get': takes(L.overviewInput).returns<D.Overview>(),
  'users.expiring': takes(L.expiringInput).returns<D.ExpiringCredential[]>(),
} as const;
