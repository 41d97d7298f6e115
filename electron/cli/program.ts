import { Command, CommanderError } from 'commander';
import { AppError } from '../../shared/errors.js';
import { DatabaseDamagedError } from '../db/open.js';
import { DatabaseTooNewError } from '../db/migrate.js';
import { MasterKeyError } from '../crypto/key-wrap.js';
import { CliContext, UsageError } from './context.js';
import { assertArgumentsAreText, type CliIo } from './io.js';
import { registerApiUsers } from './commands/api-users.js';
import { registerCredentials } from './commands/credentials.js';
import { registerGroups } from './commands/groups.js';
import { registerInit } from './commands/init.js';
import { registerKeys } from './commands/keys.js';
import { registerLog } from './commands/log.js';
import { registerMailboxes } from './commands/mailboxes.js';
import { registerPeople } from './commands/people.js';
import { registerRanges } from './commands/ranges.js';
import { registerRights } from './commands/rights.js';
import { registerSecrets } from './commands/secrets.js';
import { registerServe } from './commands/serve.js';
import { registerTls } from './commands/tls.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Each command group registers itself; adding one: write commands/<group>.ts and list it here. */
const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerInit,
  registerApiUsers,
  registerPeople,
  registerSecrets,
  registerGroups,
  registerRights,
  registerMailboxes,
  registerLog,
  registerRanges,
  registerTls,
  registerCredentials,
  registerServe,
  registerKeys,
];

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('keyrack')
    .description('Keyrack: API users, their credentials and the token server, from the command line.')
    .option('--data <dir>', 'data folder (default: $KEYRACK_DATA, else the desktop app\'s folder)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .hook('preAction', (_program, action) => {
      ctx.dataFlag = action.optsWithGlobals<{ data?: string }>().data;
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
    ctx.close();
  }
}

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
  // Refusals whose message already says what to do (restore a backup, chmod 600 the key file): one line.
  if (error instanceof DatabaseDamagedError || error instanceof DatabaseTooNewError || error instanceof MasterKeyError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failed;
}
