import { join } from 'node:path';
import type { KeyWrapper } from './crypto/key-wrap.js';
import { useCheckpointKey } from './repos/audit-checkpoint.repo.js';
import { keepCheckpointFile, openCheckpointKey, type CheckpointKeyState } from './services/audit-anchor.js';
import { describeFolderSecurity, secureDataFolder, secureStoreFiles } from './db/data-folder.js';
import { openDatabase, type Db, type OpenDatabaseOptions } from './db/open.js';
import { sqliteStore } from './db/store-sqlite.js';
import type { Store } from './db/store.js';
import { createPasswordHasher, type PasswordHasher } from './crypto/password.js';
import { DATABASE_FILE } from './paths.js';
import { ProviderRangesStore } from './ranges/store.js';
import { ActivationsService } from './services/activations.service.js';
import { AuthService } from './services/auth.service.js';
import { knownIssuer } from './credentials/endpoints.js';
import { readRunningRecord } from './token-server/running-record.js';
import { REGISTRATION_PATH } from './services/activations.service.js';
import { readTokenServerSettings } from './services/token-server-settings.js';
import { systemClock, type Clock, type ServiceDeps } from './services/context.js';
import { GroupsService } from './services/groups.service.js';
import { LogService } from './services/log.service.js';
import { MailboxesService } from './services/mailboxes.service.js';
import { PolicyService } from './services/policy.service.js';
import { RightsService } from './services/rights.service.js';
import { SecretsService } from './services/secrets.service.js';
import { ClientKeysService } from './services/client-keys.service.js';
import { UsersService } from './services/users.service.js';

export interface CoreOptions {
  dataDir: string;
  clock?: Clock;
  passwords?: PasswordHasher;
  /** better-sqlite3 binary for a runtime other than this Node (the Electron app's). */
  nativeBinding?: string;
  /** Hears a schema upgrade's plan before it runs, to tell the person waiting (see upgradeNotice). */
  onMigrate?: OpenDatabaseOptions['onMigrate'];
  /** Hears what the open had to fix (a data folder readable by others); default: stderr. */
  onNotice?: (message: string) => void;
  /**
   * Wraps the audit log's checkpoint key (the master key, or the OS keychain in the app). Without one,
   * events are chained but the head is not anchored (services/audit-anchor.ts). Called once, at open.
   */
  keyWrapper?: () => KeyWrapper;
  /**
   * The Store port the services on it use (issue 10), instead of one over the SQLite file: a PostgreSQL store
   * in the tests that run the service suites on both engines. The caller owns it (close() leaves it open).
   * The SQLite file is still opened for what is not on the port yet (the log's search, export and retention).
   */
  store?: Store;
  /**
   * The checkpoint key as opened on `store` by the caller (openCheckpointKeyOn: on PostgreSQL the key is the
   * store's, shared by every node), instead of the SQLite file's. The checkpoint file beside the store is
   * then not kept: it anchors the SQLite file (docs/scale-out.md says what anchors a PostgreSQL store).
   */
  checkpointKey?: CheckpointKeyState;
}

/** The composition root: one store, the services over it. Used by the desktop app, the CLI and tests. */
export interface Core {
  readonly dataDir: string;
  readonly db: Db;
  /**
   * The better-sqlite3 binary the store was opened with (undefined: this Node's). Other connections to the
   * store in this process load the same one: the token server's own (token-server/context.ts).
   */
  readonly nativeBinding: string | undefined;
  readonly deps: ServiceDeps;
  readonly auth: AuthService;
  readonly users: UsersService;
  readonly secrets: SecretsService;
  readonly clientKeys: ClientKeysService;
  readonly groups: GroupsService;
  readonly rights: RightsService;
  readonly mailboxes: MailboxesService;
  readonly activations: ActivationsService;
  readonly log: LogService;
  /** Whether this process signs the log's checkpoints, and why not when it does not. */
  readonly checkpointKey: CheckpointKeyState | undefined;
  readonly policy: PolicyService;
  /**
   * The providers' range snapshots, opened at the first call and compiled once for the process: the token
   * server's allowlist, the ranges admin and the Overview share them (each had its own copy before).
   */
  ranges(): ProviderRangesStore;
  close(): void;
}

/** Why an activation's snippet has no registration URL (the code itself works regardless). */
const UNKNOWN_REGISTRATION_ADDRESS =
  'Keyrack does not know the address integrators reach the token server at: no issuer is set and the server is not running. ' +
  'The code works regardless: the vendor registers at <issuer>/oauth2/register. To have the URL here, set the issuer ' +
  '(Token server page, or keyrack server settings set --issuer https://keyrack.office.lan:8443) or start the server.';

export function openCore(options: CoreOptions): Core {
  // Owner-only, at every open: the folder holds password hashes, secret hashes, wrapped keys and the log.
  const security = secureDataFolder(options.dataDir);
  const file = join(options.dataDir, DATABASE_FILE);
  secureStoreFiles(options.dataDir, file, security);
  const db = openDatabase(file, { nativeBinding: options.nativeBinding, onMigrate: options.onMigrate });
  // Said once per open, and only when something was wider than owner-only.
  const notify = options.onNotice ?? ((m: string) => process.stderr.write(`${m}\n`));
  const notice = describeFolderSecurity(options.dataDir, security);
  if (notice) notify(notice);
  const checkpointKey = options.checkpointKey ?? (options.keyWrapper ? openCheckpointKey(db, options.keyWrapper) : undefined);
  let keyedAnchor: { stop(): void } | undefined;
  if (checkpointKey?.state === 'held') {
    if (options.checkpointKey) {
      // The store's key, held for this core's appends (checkpointKeyOf(core.db) is what services read).
      useCheckpointKey(db, checkpointKey.key);
    } else {
      keyedAnchor = keepCheckpointFile(options.dataDir, db, checkpointKey.key, notify);
    }
  }
  const deps: ServiceDeps = {
    db,
    store: options.store ?? sqliteStore(db),
    clock: options.clock ?? systemClock,
    passwords: options.passwords ?? createPasswordHasher(),
  };
  let ranges: ProviderRangesStore | undefined;
  return {
    dataDir: options.dataDir,
    db,
    nativeBinding: options.nativeBinding,
    deps,
    auth: new AuthService(deps),
    users: new UsersService(deps),
    secrets: new SecretsService(deps),
    clientKeys: new ClientKeysService(deps),
    groups: new GroupsService(deps),
    rights: new RightsService(deps),
    mailboxes: new MailboxesService(deps),
    // The vendor snippet names the address credential files name (credentials/endpoints.ts): known, never guessed.
    activations: new ActivationsService(deps, async () => {
      const issuer = knownIssuer(await readTokenServerSettings(deps), readRunningRecord(options.dataDir));
      return issuer === null ? { url: null, problem: UNKNOWN_REGISTRATION_ADDRESS } : { url: new URL(REGISTRATION_PATH, issuer).href, problem: null };
    }),
    log: new LogService(deps, { dataDir: options.dataDir, key: checkpointKey }),
    policy: new PolicyService(deps),
    checkpointKey,
    ranges: () => (ranges ??= ProviderRangesStore.open(options.dataDir, { now: () => deps.clock.now() })),
    close: () => {
      keyedAnchor?.stop();
      db.close();
    },
  };
}
