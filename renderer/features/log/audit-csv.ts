import type { AuditEvent } from '../../../shared/dto.js';
import { csvRecord } from './csv.js';

/** The export's columns, in order. Adding a column: add it to both lists below. */
export const AUDIT_CSV_HEADER = [
  'id',
  'time_utc',
  'actor_kind',
  'actor',
  'event_type',
  'target',
  'outcome',
  'reason',
  'source_ip',
  'details',
] as const;

export function auditCsvHeader(): string {
  return csvRecord(AUDIT_CSV_HEADER);
}

/** One event as a CSV record: times in ISO 8601 UTC, details as compact JSON (never secrets: see EventSpec). */
export function auditEventCsv(event: AuditEvent): string {
  return csvRecord([
    event.id,
    new Date(event.at).toISOString(),
    event.actorKind,
    event.actorName,
    event.type,
    event.targetName,
    event.outcome,
    event.reason,
    event.sourceIp,
    event.details === null ? null : JSON.stringify(event.details),
  ]);
}
