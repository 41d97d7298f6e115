import { z } from 'zod';
import { message as m } from './messages.js';
import * as S from './schemas.js';

/**
 * Input schemas of the log's channels beyond `log.search` (export, verify, retention, overview, expiring
 * credentials). The UI's forms validate with them too.
 */

const searchShape = S.logQueryInput.shape;

/** The filters `log.search` offers, without its paging: an export takes every matching event. */
export const logFiltersShape = {
  since: searchShape.since,
  until: searchShape.until,
  actor: searchShape.actor,
  targetUserId: searchShape.targetUserId,
  involving: searchShape.involving,
  type: searchShape.type,
  outcome: searchShape.outcome,
  sourceIp: searchShape.sourceIp,
  text: searchShape.text,
};

export const LOG_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type LogExportFormat = (typeof LOG_EXPORT_FORMATS)[number];

export const logExportInput = z
  .strictObject({
    format: z.enum(LOG_EXPORT_FORMATS, { error: m('logFormat') }),
    ...logFiltersShape,
  })
  .refine((q) => q.since === undefined || q.until === undefined || q.since <= q.until, {
    message: m('rangeOrder'),
    path: ['since'],
  });

export const exportJobRef = z.strictObject({
  jobId: z.string().regex(/^[0-9a-f]{32}$/, m('unknownExport')),
});

/** Days to keep; null keeps everything (the default). At least a day, at most 100 years. */
export const retentionInput = z.strictObject({
  keepDays: z.int(m('daysWhole')).min(1, m('keepOneDay')).max(36_500, m('atMostDays', { max: '36 500' })).nullable(),
});

export const OVERVIEW_RANGES = ['24h', '7d', '30d', '90d'] as const;
export type OverviewRange = (typeof OVERVIEW_RANGES)[number];
export const ACTIVITY_BUCKETS = ['hour', 'day'] as const;
export type ActivityBucket = (typeof ACTIVITY_BUCKETS)[number];

export const overviewInput = z.strictObject({
  /** How far back the chart and the top API users reach. */
  range: z.enum(OVERVIEW_RANGES).default('7d'),
  /** Omitted: hours up to 7 days, days beyond. */
  bucket: z.enum(ACTIVITY_BUCKETS).optional(),
  /** The chart for this API user only (its id); omitted: all API users. */
  userId: S.id.optional(),
});

export const expiringInput = z.strictObject({
  days: z.int(m('daysWhole')).min(1, m('atLeastOneDay')).max(3650, m('atMostDays', { max: 3650 })).default(14),
});
