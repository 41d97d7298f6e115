import type { LogExportStatus } from '../../../shared/log.dto.js';
import type { LogExportFormat } from '../../../shared/log.schemas.js';
import { i18n } from '../../i18n/i18n.js';
import { formatCount } from '../../lib/format.js';

/** Pure helpers for the main-side export's progress (ExportLogDialog shows them). */

/** The export's formats; their names and descriptions are the log catalogue's `export.format`. */
export const EXPORT_FORMATS: readonly LogExportFormat[] = ['csv', 'jsonl'];

/** Whether main has stopped working on the export, for any reason (polling stops then). */
export function exportFinished(status: LogExportStatus): boolean {
  return status.done || status.cancelled || status.error !== null;
}

/** Share written, in [0, 1]. The total was counted when the export started; newer events are not in it. */
export function exportFraction(status: Pick<LogExportStatus, 'written' | 'total' | 'done'>): number {
  if (status.total <= 0) return status.done ? 1 : 0;
  return Math.min(1, Math.max(0, status.written / status.total));
}

/** One line under the progress bar, in plain words. */
export function exportProgressText(status: LogExportStatus): string {
  const t = i18n.getFixedT(null, 'log');
  if (status.error !== null) return t('export.stopped', { error: status.error });
  if (status.cancelled) return t('export.cancelledAfter', { count: status.written });
  if (status.done) return t('export.written', { count: status.written, file: status.fileName });
  return t('export.progress', { written: formatCount(status.written), count: status.total });
}
