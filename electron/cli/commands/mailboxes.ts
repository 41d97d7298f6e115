import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import { UsageError, type CliContext } from '../context.js';
import { table } from '../format.js';
import { resolveMailboxId, resolveUserId } from '../resolve.js';
import { registerMailUpstream } from './mail.js';

export function registerMailboxes(program: Command, ctx: CliContext): void {
  const group = program.command('mailboxes').description('mailboxes API users may send from');
  registerMailUpstream(group, ctx);

  group
    .command('create <address>')
    .description('add a mailbox')
    .option('--display-name <name>', 'the name mail is sent under')
    .option('--json', 'print JSON')
    .action(async (address: string, opts: { displayName?: string; json?: boolean }) => {
      const mailbox = await ctx.core().mailboxes.create(ctx.actor, parseInputOf('mailboxes.create', { address, displayName: opts.displayName }));
      ctx.emit(opts.json, mailbox, () => `Added mailbox ${mailbox.address}.\n`);
    });

  group
    .command('list')
    .description('list mailboxes and who may send from them')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const mailboxes = await ctx.core().mailboxes.list(ctx.actor);
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

  group
    .command('update <address>')
    .description("change a mailbox's address or display name")
    .option('--address <address>', 'the new address')
    .option('--display-name <name>', 'the name mail is sent under')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { address?: string; displayName?: string; json?: boolean }) => {
      if (opts.address === undefined && opts.displayName === undefined) throw new UsageError('give --address or --display-name');
      const core = ctx.core();
      const mailbox = await core.mailboxes.update(
        ctx.actor,
        parseInputOf('mailboxes.update', { id: await resolveMailboxId(core, ref), address: opts.address, displayName: opts.displayName }),
      );
      ctx.emit(opts.json, mailbox, () => `Updated mailbox ${mailbox.address}.\n`);
    });

  group
    .command('delete <address>')
    .description('delete a mailbox; API users can no longer send from it')
    .requiredOption('--yes', 'confirm: this cannot be undone')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const id = await resolveMailboxId(core, ref);
      await core.mailboxes.delete(ctx.actor, parseInputOf('mailboxes.delete', { id }));
      ctx.emit(opts.json, { deleted: { id, address: ref } }, () => `Deleted mailbox ${ref}.\n`);
    });

  for (const [verb, description] of [
    ['assign', 'let an API user send from the mailbox'],
    ['unassign', 'stop an API user sending from the mailbox'],
  ] as const) {
    group
      .command(`${verb} <address> <user>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (address: string, user: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const mailbox = await core.mailboxes[verb](
          ctx.actor,
          parseInputOf(`mailboxes.${verb}`, { mailboxId: await resolveMailboxId(core, address), userId: await resolveUserId(core, user) }),
        );
        ctx.emit(opts.json, mailbox, () => `${mailbox.address}: ${mailbox.users.map((u) => u.name).join(', ') || 'no API users'}\n`);
      });
  }
}
