import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StoreObserver } from '../db/store.js';

/**
 * What an operator watches on each node (GET /metrics, Prometheus text format, prom-client): tokens issued,
 * refusals by endpoint and reason, request latency by endpoint and status, the log's group commits (batch
 * size and time from sent to durable) and their failures, the store's round trips and errors (every
 * statement the server runs, each a network round trip on PostgreSQL), answers that failed on our side, the node's
 * identity, and Node's own process metrics (CPU, memory, event-loop delay, GC).
 *
 * Counting is always on (a counter is a few nanoseconds against ~300 µs a request); serving the page, and
 * Node's process metrics (which keep monitors running), depend on the setting (metrics.ts is asked by the router only when the admin turned it on). Labels hold
 * codes from a fixed set (endpoints, reason codes, status codes), never a client id or an address, so the
 * number of series stays bounded whatever callers send.
 */
export interface ServerMetrics extends StoreObserver {
  readonly registry: Registry;
  tokenIssued(): void;
  refused(endpoint: MetricsEndpoint, reason: string): void;
  answered(endpoint: MetricsEndpoint, status: number, seconds: number): void;
  auditCommitted(rows: number, seconds: number): void;
  auditFailed(): void;
}

/** The paths the router serves, by a short name; anything else is `other`. */
export type MetricsEndpoint = 'token' | 'introspect' | 'revoke' | 'register' | 'jwks' | 'metadata' | 'health' | 'metrics' | 'other';

export interface NodeIdentity {
  /** The node's name: the host name unless configured, so a dashboard tells nodes apart. */
  node: string;
  version: string;
  /** Which store the node serves from: `sqlite` or `postgres`. */
  store: string;
}

/** Request latency buckets, seconds: sub-millisecond answers up to the stalls the benchmark reports. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Commit time buckets, seconds: one fdatasync (~0.2 ms here) up to a slow disk's outliers. */
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

export function createServerMetrics(identity: NodeIdentity, served: boolean): ServerMetrics {
  // A registry of its own (not prom-client's global one): two servers in one process (tests) stay apart.
  const registry = new Registry();
  // Node's process metrics keep an event-loop delay monitor and a GC observer running: only when the page is
  // served, so a server with metrics off does no work for them.
  if (served) collectDefaultMetrics({ register: registry, prefix: 'keyrack_' });
  new Gauge({
    name: 'keyrack_node_info',
    help: 'This node: its name, the Keyrack version and the store it serves from (always 1)',
    labelNames: ['node', 'version', 'store'],
    registers: [registry],
  }).set(identity, 1);
  const issued = new Counter({ name: 'keyrack_tokens_issued_total', help: 'Access tokens issued', registers: [registry] });
  const refusals = new Counter({
    name: 'keyrack_requests_refused_total',
    help: 'Requests refused at the credentialed endpoints, by endpoint and the reason code the log gives',
    labelNames: ['endpoint', 'reason'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'keyrack_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being written, by endpoint and status code',
    labelNames: ['endpoint', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'keyrack_audit_batch_rows',
    help: 'Events in each group commit of the log',
    buckets: BATCH_BUCKETS,
    registers: [registry],
  });
  const commitTime = new Histogram({
    name: 'keyrack_audit_commit_seconds',
    help: 'Each group commit of the log, from sent to durable (every answer waits for its own)',
    buckets: COMMIT_BUCKETS,
    registers: [registry],
  });
  const commitFailures = new Counter({
    name: 'keyrack_audit_commit_failures_total',
    help: 'Group commits the store refused (their requests were answered 500, and no token was handed out)',
    registers: [registry],
  });
  const roundTrips = new Histogram({
    name: 'keyrack_store_round_trip_seconds',
    help: "Each statement the token server ran in its store (on PostgreSQL one network round trip), by whether it failed",
    labelNames: ['failed'],
    buckets: COMMIT_BUCKETS,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'keyrack_store_errors_total',
    help: 'Statements the store refused or could not run (unreachable, timed out, a constraint)',
    registers: [registry],
  });
  return {
    registry,
    roundTrip: (seconds, failed) => {
      roundTrips.observe({ failed: failed ? 'true' : 'false' }, seconds);
      if (failed) storeErrors.inc();
    },
    tokenIssued: () => issued.inc(),
    refused: (endpoint, reason) => refusals.inc({ endpoint, reason }),
    answered: (endpoint, status, seconds) => latency.observe({ endpoint, status: String(status) }, seconds),
    auditCommitted: (rows, seconds) => {
      batchSize.observe(rows);
      commitTime.observe(seconds);
    },
    auditFailed: () => commitFailures.inc(),
  };
}
