import type { Provider } from './domain.js';
import type { LogExportFormat, ActivityBucket, OverviewRange } from './log.schemas.js';
import type { SnapshotFreshness } from './range-freshness.js';

/** Output types of the log's channels beyond `log.search` (see shared/contract-log.ts). */

export type ChainProblemKind =
  /** The event's content (or its stored hashes) no longer match: edited, or moved from elsewhere. */
  | 'edited'
  /** The event does not follow its predecessor: events were deleted, inserted or reordered before it. */
  | 'broken_link';

export interface LogVerifyResult {
  ok: boolean;
  /** Events checked before the first problem (all of them when ok). */
  checked: number;
  firstProblem: { id: number; problem: ChainProblemKind; previousId: number | null } | null;
  /** Where the verified part starts when older events were archived by retention: the last archived event. */
  anchorId: number | null;
  /** The head against its newest signed checkpoint (electron/services/audit-anchor.ts). */
  checkpoint: {
    verdict: CheckpointVerdict;
    /** The checkpoint's event id and time; null when there is none. */
    id: number | null;
    at: number | null;
    headId: number | null;
    /** Events after the checkpoint, vouched for by the chain only. */
    uncovered: number;
  };
}

/** What `log verify` found at the log's head (electron/services/audit-anchor.ts checks it). */
export type CheckpointVerdict =
  /** The checkpoints are authentic and the log reaches them with the hashes they recorded. */
  | 'anchored'
  /** The log ends before an authentic checkpoint: its newest events were removed. */
  | 'missing_tail'
  /** The event an authentic checkpoint names has another hash: the chain was edited and recomputed. */
  | 'forged_chain'
  /** A checkpoint (in the store or the file) that this store's key did not sign. */
  | 'forged_checkpoint'
  /** The store has a checkpoint key and events, but neither copy holds a checkpoint. */
  | 'checkpoint_removed'
  /** No checkpoint key in the store: never opened by a process holding a key wrapper. */
  | 'not_anchored'
  /** This process cannot open the key (see CheckpointKeyState), so the head was not checked. */
  | 'no_key';

export type LogExportStarted =
  | { started: true; jobId: string; fileName: string; total: number }
  /** The admin closed the save dialog. */
  | { started: false };

export interface LogExportStatus {
  jobId: string;
  format: LogExportFormat;
  fileName: string;
  /** Events written so far, and how many match (counted when the export started). */
  written: number;
  total: number;
  done: boolean;
  cancelled: boolean;
  /** A plain-words reason when the export stopped on an error (nothing secret). */
  error: string | null;
}

export interface RetentionSettings {
  /** Days to keep; null keeps everything. */
  keepDays: number | null;
  /** The last prune that removed events (a prune with nothing old enough leaves no record). */
  lastPrune: PruneResult | null;
  /** The folder archives are written to (in the data folder), so the admin knows where to look. */
  archiveFolder: string;
  /** What a prune now would archive and remove; null when the log keeps everything. */
  due: PruneDue | null;
}

/** The events older than the retention period at this moment. */
export interface PruneDue {
  /** The cut-off: events before this time (now − keepDays) go. */
  before: number;
  /** How many events that is (0 when none is that old). */
  events: number;
}

export interface PruneResult {
  at: number;
  /** Events removed (0 when nothing was old enough). */
  removed: number;
  /** The archive holding them (in the data folder's archive folder), or null when nothing was removed. */
  archiveFile: string | null;
  /** The id range removed, and the chain's boundary: the last removed event's hash. */
  firstId: number | null;
  lastId: number | null;
  lastHash: string | null;
}

export interface ExpiringCredential {
  /** A client secret that expires, or the API user account itself. */
  kind: 'secret' | 'user';
  userId: number;
  userName: string;
  clientId: string | null;
  /** For a secret: its id and label. */
  secretId: number | null;
  label: string | null;
  expiresAt: number;
  /** Whole days left (0: expires within 24 hours). */
  daysLeft: number;
}

export interface IdleApiUser {
  userId: number;
  name: string;
  clientId: string | null;
  /** The newest use of any of its secrets; null when never used. */
  lastUsedAt: number | null;
  createdAt: number;
}

export interface DenialGroup {
  /** The API user the denial was about; null when the client was unknown. */
  userId: number | null;
  userName: string | null;
  reason: string;
  count: number;
  lastAt: number;
  /** Distinct source addresses (at most 20, most recent first). */
  sourceIps: string[];
}

export interface FailedLoginGroup {
  /** The name that was tried. */
  name: string;
  reason: string;
  count: number;
  lastAt: number;
  sourceIps: string[];
}

export interface ActivityPoint {
  /** Start of the bucket (epoch ms, UTC hour or UTC day). */
  at: number;
  issued: number;
  denied: number;
}

export interface TopApiUser {
  userId: number;
  name: string;
  issued: number;
  denied: number;
}

export interface Overview {
  generatedAt: number;
  /** Credentials (secrets and API user accounts) expiring within 14 days. */
  expiring: ExpiringCredential[];
  /** Active API users with no token issued in 90 days. */
  idleApiUsers: IdleApiUser[];
  /** Token denials of the last 24 hours by API user and reason. */
  denials: DenialGroup[];
  /** Failed admin logins of the last 24 hours by name and reason. */
  failedLogins: FailedLoginGroup[];
  activity: {
    range: OverviewRange;
    bucket: ActivityBucket;
    /** The API user the series is for; null: all API users. */
    userId: number | null;
    since: number;
    until: number;
    points: ActivityPoint[];
  };
  /** By volume (issued + denied) over the chart's range, at most 10. */
  topApiUsers: TopApiUser[];
  /** The first-run checklist, from the store and the log: which steps of setting Keyrack up are done. */
  firstRun: FirstRunSteps;
  /** Provider words in active API users' allowlists whose ranges are missing, damaged or stale; most urgent first. */
  providerWords: ProviderWordWarning[];
}

/**
 * A provider word that active API users' allowlists name while Keyrack holds no usable, recent snapshot of
 * that provider's ranges (shared/range-freshness.ts): without one the word matches no address, and the
 * users are refused from the provider's addresses without anything else saying why.
 */
export interface ProviderWordWarning {
  provider: Provider;
  freshness: Exclude<SnapshotFreshness, 'current'>;
  /** When the snapshot was last downloaded or imported (epoch ms); null when there is none. */
  fetchedAt: number | null;
  /** Every active API user whose allowlist names the word, by name. */
  users: Array<{ userId: number; name: string }>;
}

/**
 * A newcomer's path through the first hour, in order. Each is true once the store shows it done, so the
 * checklist ticks itself off whether the step was done in the app, the CLI or by another administrator.
 */
export interface FirstRunSteps {
  /** A resource beyond the built-in `keyrack` one describes a LAN API. */
  describeApis: boolean;
  /** A group grants at least one right on such a resource. */
  makeGroup: boolean;
  apiUser: boolean;
  /** A credential file was exported (the log has a successful credentials.exported). */
  credentialFile: boolean;
  /** The token server listens on the LAN, not only on this machine. */
  lanAccess: boolean;
}
