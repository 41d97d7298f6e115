import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db, type OpenDatabaseOptions } from './db/open.js';
import { createPasswordHasher, type PasswordHasher } from './crypto/password.js';
import { DATABASE_FILE } from './paths.js';
import { AuthService } from './services/auth.service.js';
import { systemClock, type Clock, type ServiceDeps } from './services/context.js';
import { GroupsService } from './services/groups.service.js';
import { LogService } from './services/log.service.js';
import { MailboxesService } from './services/mailboxes.service.js';
import { PolicyService } from './services/policy.service.js';
import { RightsService } from './services/rights.service.js';
import { SecretsService } from './services/secrets.service.js';
import { UsersService } from './services/users.service.js';

export interface CoreOptions {
  dataDir: string;
  clock?: Clock;
  passwords?: PasswordHasher;
  /** better-sqlite3 binary for a runtime other than this Node (the Electron app's). */
  nativeBinding?: string;
  /** Hears a schema upgrade's plan before it runs, to tell the person waiting (see upgradeNotice). */
  onMigrate?: OpenDatabaseOptions['onMigrate'];
}

/** The composition root: one store, the services over it. Used by the desktop app, the CLI and tests. */
export interface Core {
  readonly dataDir: string;
  readonly db: Db;
  readonly deps: ServiceDeps;
  readonly auth: AuthService;
  readonly users: UsersService;
  readonly secrets: SecretsService;
  readonly groups: GroupsService;
  readonly rights: RightsService;
  readonly mailboxes: MailboxesService;
  readonly log: LogService;
  readonly policy: PolicyService;
  close(): void;
}

export function openCore(options: CoreOptions): Core {
  // Owner-only: the folder holds password hashes, secret hashes and (encrypted) signing keys.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding, onMigrate: options.onMigrate });
  const deps: ServiceDeps = {
    db,
    clock: options.clock ?? systemClock,
    passwords: options.passwords ?? createPasswordHasher(),
  };
  return {
    dataDir: options.dataDir,
    db,
    deps,
    auth: new AuthService(deps),
    users: new UsersService(deps),
    secrets: new SecretsService(deps),
    groups: new GroupsService(deps),
    rights: new RightsService(deps),
    mailboxes: new MailboxesService(deps),
    log: new LogService(deps),
    policy: new PolicyService(deps),
    close: () => db.close(),
  };
}
