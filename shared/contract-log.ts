import { spec } from './channel-spec.js';
import type * as D from './log.dto.js';
import * as L from './log.schemas.js';
import * as S from './schemas.js';

/** The log's channels beyond `log.search` (export, verify, retention, overview, expiring credentials). */
export const logChannels = {
  /** Re-computes the whole hash chain; names the first edited, deleted or reordered event. */
  'log.verify': spec<typeof S.emptyInput, D.LogVerifyResult>(S.emptyInput),
  /** Asks where to save (main's dialog), then streams in the background; poll log.exportStatus. */
  'log.export': spec<typeof L.logExportInput, D.LogExportStarted>(L.logExportInput),
  'log.exportStatus': spec<typeof L.exportJobRef, D.LogExportStatus>(L.exportJobRef),
  'log.exportCancel': spec<typeof L.exportJobRef, D.LogExportStatus>(L.exportJobRef),
  'log.retention': spec<typeof S.emptyInput, D.RetentionSettings>(S.emptyInput),
  'log.setRetention': spec<typeof L.retentionInput, D.RetentionSettings>(L.retentionInput),
  /** Archives then removes events older than the retention period now (also done daily). */
  'log.prune': spec<typeof S.emptyInput, D.PruneResult>(S.emptyInput),
  'overview.get': spec<typeof L.overviewInput, D.Overview>(L.overviewInput),
  'users.expiring': spec<typeof L.expiringInput, D.ExpiringCredential[]>(L.expiringInput),
} as const;
