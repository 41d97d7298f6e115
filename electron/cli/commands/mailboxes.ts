import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { table } from '../format.js';
import { resolveMailboxId, resolveUserId } from '../resolve.js';

export function registerMailboxes(program: Command, ctx: CliContext): void {
  const group = program.command('mailboxes').description('mailboxes API users may send from');

  group
    .command('create <address>')
    .description('add a mailbox')
    .option('--display-name <name>', 'the name mail is sent under')
    .option('--json', 'print JSON')
    .action((address: string, opts: { displayName?: string; json?: boolean }) => {
      const mailbox = ctx.core().mailboxes.create(ctx.actor, { address, displayName: opts.displayName });
      ctx.emit(opts.json, mailbox, () => `Added mailbox ${mailbox.address}.\n`);
    });

  group
    .command('list')
    .description('list mailboxes and who may send from them')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const mailboxes = ctx.core().mailboxes.list(ctx.actor);
      ctx.emit(opts.json, mailboxes, () =>
        table(
          mailboxes.map((m) => ({ ...m, users: m.users.map((u) => u.name).join(', ') })),
          [
            ['address', 'Address'],
            ['displayName', 'Display name'],
            ['users', 'API users'],
          ],
        ),
      );
    });

  for (const [verb, description] of [
    ['assign', 'let an API user send from the mailbox'],
    ['unassign', 'stop an API user sending from the mailbox'],
  ] as const) {
    group
      .command(`${verb} <address> <user>`)
      .description(description)
      .option('--json', 'print JSON')
      .action((address: string, user: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const mailbox = core.mailboxes[verb](ctx.actor, {
          mailboxId: resolveMailboxId(core, address),
          userId: resolveUserId(core, user),
        });
        ctx.emit(opts.json, mailbox, () => `${mailbox.address}: ${mailbox.users.map((u) => u.name).join(', ') || 'no API users'}\n`);
      });
  }
}
