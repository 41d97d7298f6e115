import type { LogExportStatus } from '../../../shared/log.dto.js';
import type { LogExportFormat } from '../../../shared/log.schemas.js';
import { formatCount, plural } from '../../lib/format.js';

/** Pure helpers for the main-side export's progress (ExportLogDialog shows them). */

export const EXPORT_FORMAT_OPTIONS: { value: LogExportFormat; label: string; description: string }[] = [
  { value: 'csv', label: 'CSV', description: 'For spreadsheets. Cells that start with = + - @ are made inert.' },
  { value: 'jsonl', label: 'JSON Lines', description: 'One JSON object per line, for scripts and log tools.' },
];

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
  if (status.error !== null) return `The export stopped: ${status.error}`;
  if (status.cancelled) return `Cancelled after ${plural(status.written, 'event')}.`;
  if (status.done) return `${plural(status.written, 'event')} written to ${status.fileName}.`;
  return `${formatCount(status.written)} of ${plural(status.total, 'event')} written…`;
}
