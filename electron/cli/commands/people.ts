import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { resolveUserId } from '../resolve.js';
import { readPassword } from './init.js';

/** People: the accounts that log in to the app (API users have their own group of commands). */
export function registerPeople(program: Command, ctx: CliContext): void {
  const people = program.command('people').description('people: the accounts that log in to the app');

  people
    .command('passwd <person>')
    .description("set a person's password (for one who forgot it); logged as a reset, never the password")
    .option('--password-stdin', 'read the new password from standard input instead of asking')
    .action(async (ref: string, opts: { passwordStdin?: boolean }) => {
      const core = ctx.core();
      const id = resolveUserId(core, ref);
      // Resolve before asking, so a typo fails at once instead of after typing a password twice.
      const newPassword = await readPassword(ctx, opts.passwordStdin === true);
      await core.users.resetPassword(ctx.actor, { id, newPassword });
      ctx.print(`The password of ${ref} is changed. They log in with it from now on.\n`);
    });
}
