import type { AuditEvent } from '../../../shared/dto.js';
/** The export's columns, in order. Adding a column: add it to both lists below. */
export declare const AUDIT_CSV_HEADER: readonly ["id", "time_utc", "actor_kind", "actor", "event_type", "target", "outcome", "reason", "source_ip", "details"];
export declare function auditCsvHeader(): string;
/** One event as a CSV record: times in ISO 8601 UTC, details as compact JSON (never secrets: see EventSpec). */
export declare function auditEventCsv(event: AuditEvent): string;
