import { randomBytes } from 'node:crypto';
import { latestVersion } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { openCopyTarget } from '../../electron/db/store-copy.js';
import { PASSWORD_ROLE } from '../../devkit/postgres-cluster.js';
import { adminClient, type PostgresScratch, type TestDatabase } from './postgres.js';

/**
 * The PostgreSQL databases the CLI's store tests point a command at to see it refused (test/cli/store.test.ts,
 * store-choice.test.ts): another application's database, a store newer than this program, a login that
 * needs a password. Each returns what the test then checks, so the setup is written once.
 */

/** A database another application uses: a table of its own and no Keyrack schema. */
export interface ForeignDatabase {
  database: TestDatabase;
  /** The relations of its public schema now: ['invoices', 'invoices_pkey'] while nothing was written. */
  relations(): Promise<string[]>;
}

export const FOREIGN_RELATIONS = ['invoices', 'invoices_pkey'];

export async function foreignDatabase(scratch: PostgresScratch): Promise<ForeignDatabase> {
  const database = await scratch.database();
  await asAdmin(database, (admin) => admin.query('CREATE TABLE invoices (id integer PRIMARY KEY)'));
  return {
    database,
    relations: () =>
      asAdmin(database, async (admin) => {
        const { rows } = await admin.query(`SELECT relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' ORDER BY 1`);
        return rows.map((r: { relname: string }) => r.relname);
      }),
  };
}

/** A Keyrack store whose schema mark is `ahead` versions past this program's, as a newer Keyrack leaves it. */
export async function newerStore(scratch: PostgresScratch, ahead = 10): Promise<{ database: TestDatabase; version: number }> {
  const database = await scratch.database();
  scratch.keep(await openCopyTarget(database.url)); // migrated to this program's version, then moved past it
  const version = latestVersion(migrations) + ahead;
  await asAdmin(database, (admin) => admin.query('UPDATE keyrack_schema SET version = $1', [version]));
  return { database, version };
}

/** The message every command gives for newerStore's database. */
export const newerSchemaRefusal = (version: number): string =>
  `error: This database has schema version ${version}, newer than this Keyrack understands (${latestVersion(migrations)}). Update Keyrack before opening it.\n`;

export interface PasswordLogin {
  /** postgres://role@host:port/database, no password in it. */
  url: string;
  role: string;
  /** Sets PGPASSWORD for the commands run in this process (undefined: none), with ~/.pgpass out of the way. */
  usePassword(password: string | undefined): void;
  /** Restores PGPASSWORD and PGPASSFILE and drops the role. Call in finally. */
  end(): Promise<void>;
}

/**
 * A role that logs in to `database` with `password` only (the cluster trusts every other role on loopback),
 * optionally its owner (PostgreSQL 15: only the owner creates a store's tables in its public schema).
 */
export async function passwordLogin(database: TestDatabase, password: string, options: { owner?: boolean } = {}): Promise<PasswordLogin> {
  const role = `keyrack_login_${randomBytes(4).toString('hex')}`;
  await asAdmin(undefined, async (admin) => {
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE ${PASSWORD_ROLE}`);
    if (options.owner) await admin.query(`ALTER DATABASE ${database.address.database} OWNER TO ${role}`);
  });
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
  return {
    url: `postgres://${role}@${database.address.host}:${database.address.port}/${database.address.database}`,
    role,
    usePassword(given) {
      // pg reads the password from the process environment itself, as a node would.
      process.env.PGPASSFILE = '/nonexistent/keyrack-test-pgpass';
      if (given === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = given;
    },
    async end() {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      // The database first: its connections (and ownership) go with it, so the role can be dropped.
      await database.drop();
      await asAdmin(undefined, (admin) => admin.query(`DROP ROLE IF EXISTS ${role}`));
    },
  };
}

async function asAdmin<T>(database: TestDatabase | undefined, body: (admin: Awaited<ReturnType<typeof adminClient>>) => Promise<T>): Promise<T> {
  const admin = await adminClient(database?.address.database);
  try {
    return await body(admin);
  } finally {
    await admin.end();
  }
}
