import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../context.js';
import { promptHidden, readAllStdin } from '../io.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create the first administrator of a new Keyrack store')
    .requiredOption('--name <name>', 'login name of the first administrator')
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .action(async (opts: { name: string; passwordStdin?: boolean }) => {
      const password = await readPassword(ctx, opts.passwordStdin === true);
      const session = await ctx.core().auth.setup(parseInputOf('auth.setup', { name: opts.name, password }));
      ctx.print(`Keyrack is set up in ${ctx.dataDir}.\n${session.name} is its first administrator.\n`);
    });
}

/** A new password: from stdin, or asked twice at a terminal without echo (init, people passwd). */
export async function readPassword(ctx: CliContext, fromStdin: boolean): Promise<string> {
  if (fromStdin) return readAllStdin(ctx.io);
  if (!ctx.io.stdin.isTTY) throw new UsageError('no terminal to ask for a password: use --password-stdin');
  const first = await promptHidden(ctx.io, 'Password (at least 12 characters): ');
  const again = await promptHidden(ctx.io, 'Repeat it: ');
  if (first !== again) throw new UsageError('the two passwords differ');
  return first;
}
