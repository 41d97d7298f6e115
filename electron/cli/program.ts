import { Command, CommanderError } from 'commander';
import { AppError } from '../../shared/errors.js';
import { DatabaseDamagedError } from '../db/open.js';
import { DatabaseTooNewError } from '../db/migrate.js';
import { MasterKeyError } from '../crypto/key-wrap.js';
import { StoreDatabaseMissingError, StoreLoginError, StoreUnreachableError, StoreUrlError } from '../db/postgres.js';
import { DatabaseEncodingError, ForeignDatabaseError } from '../db/postgres-migrate.js';
import { NoStoreError } from '../db/sqlite-snapshot.js';
import { StoreCopyError } from '../db/store-copy-plan.js';
import { STORE_ENV, StoreSettingError } from '../db/store-choice.js';
import { StoreUnavailableError } from '../db/store.js';
import { CliContext, UsageError } from './context.js';
import { assertArgumentsAreText, type CliIo } from './io.js';
import { registerApiUsers } from './commands/api-users.js';
import { registerCredentials } from './commands/credentials.js';
import { registerGroups } from './commands/groups.js';
import { registerInit } from './commands/init.js';
import { registerKeys } from './commands/keys.js';
import { registerLog } from './commands/log.js';
import { registerMail } from './commands/mail.js';
import { registerMailboxes } from './commands/mailboxes.js';
import { registerActivations } from './commands/activations.js';
import { registerPeople } from './commands/people.js';
import { registerPolicy } from './commands/policy.js';
import { registerRanges } from './commands/ranges.js';
import { registerRights } from './commands/rights.js';
import { registerSecrets } from './commands/secrets.js';
import { registerServe } from './commands/serve.js';
import { registerServer } from './commands/server.js';
import { registerStore } from './commands/store.js';
import { registerTls } from './commands/tls.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * The commands that do not use the chosen store, so nothing is opened before them (`store status` reads the
 * chosen store itself without migrating it; `store use` checks the store it is given). Every other command
 * gets the chosen store opened (and migrated) before its action runs (CliContext.openStore).
 */
const WITHOUT_STORE = new Set(['store status', 'store copy', 'store master-key', 'store use', 'credentials open']);

/** `store status`, `api-users create`: the command's names below the program. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Each command group registers itself; adding one: write commands/<group>.ts and list it here. */
const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerInit,
  registerApiUsers,
  registerPeople,
  registerSecrets,
  registerGroups,
  registerRights,
  registerMailboxes,
  registerActivations,
  registerMail,
  registerPolicy,
  registerLog,
  registerRanges,
  registerTls,
  registerCredentials,
  registerServe,
  registerServer,
  registerKeys,
  registerStore,
];

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('keyrack')
    .description('Keyrack: API users, their credentials and the token server, from the command line.')
    .option('--data <dir>', 'data folder (default: $KEYRACK_DATA, else the desktop app\'s folder)')
    .option(
      '--store <store>',
      `the store: sqlite (the data folder's file) or postgres://user@host[:port]/database, the password from PGPASSWORD, ~/.pgpass or a prompt (default: $${STORE_ENV}, else the data folder's store.json, else sqlite)`,
    )
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .hook('preAction', async (_program, action) => {
      const globals = action.optsWithGlobals<{ data?: string; store?: string }>();
      ctx.dataFlag = globals.data;
      ctx.storeFlag = globals.store;
      const path = commandPath(action);
      if (WITHOUT_STORE.has(path)) return;
      await ctx.openStore();
    });
  for (const register of COMMAND_GROUPS) register(program, ctx);
  return program;
}

/** Runs one CLI invocation; returns its exit code (0 done, 1 failed, 2 usage). Never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    assertArgumentsAreText(argv);
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return report(error, io);
  } finally {
    await ctx.close();
  }
}

/** Errors whose message is complete for a person: printed as one line, exit 1, no stack. */
const ONE_LINE_REFUSALS: (abstract new (...args: never[]) => Error)[] = [
  DatabaseDamagedError,
  DatabaseTooNewError,
  MasterKeyError,
  NoStoreError,
  StoreCopyError,
  StoreSettingError,
  StoreUnreachableError,
  StoreUnavailableError,
  StoreLoginError,
  StoreDatabaseMissingError,
  ForeignDatabaseError,
  DatabaseEncodingError,
];

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are successful exits; everything else commander raises is a usage error.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof AppError) {
    io.stderr.write(`error: ${error.message}\n`);
    for (const [field, message] of Object.entries(error.fields ?? {})) {
      if (!error.message.startsWith(`${field}: `)) io.stderr.write(`  ${field}: ${message}\n`);
    }
    return error.code === 'validation' ? EXIT.usage : EXIT.failed;
  }
  // A store URL that cannot be read is bad input, like a bad flag.
  if (error instanceof StoreUrlError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  // Refusals whose message already says what to do (restore a backup, chmod 600 the key file): one line.
  if (error instanceof Error && ONE_LINE_REFUSALS.some((kind) => error instanceof kind)) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failed;
}
