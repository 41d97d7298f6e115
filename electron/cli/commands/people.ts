import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import { collect, parsePositiveInt, type CliContext } from '../context.js';
import { table, when } from '../format.js';
import { resolveGroupIds } from '../resolve.js';
import { addDeleteCommand, addExportCommand, addUpdateCommand, detail, resolvePerson } from './api-users.js';
import { readPassword } from './init.js';

/** People: the administrators who log in to the app (what the Users page does for them). */
export function registerPeople(program: Command, ctx: CliContext): void {
  const group = program.command('people').description('people who log in to the desktop app');

  group
    .command('create')
    .description('add a person who logs in to the app (app permissions come from their groups)')
    .requiredOption('--name <name>', 'login name')
    .option('--email <email>', 'their address')
    .option('--group <group>', 'a group to join (repeatable)', collect)
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; email?: string; group?: string[]; passwordStdin?: boolean; json?: boolean }) => {
      const password = await readPassword(ctx, opts.passwordStdin === true);
      const core = ctx.core();
      const person = await core.users.createPerson(
        ctx.actor,
        parseInputOf('users.createPerson', {
          name: opts.name,
          email: opts.email,
          password,
          groupIds: await resolveGroupIds(core, opts.group ?? []),
        }),
      );
      ctx.emit(opts.json, person, () => detail(person));
    });

  group
    .command('list')
    .description('list people')
    .option('--page <n>', 'page number', '1')
    .option('--json', 'print JSON')
    .action(async (opts: { page: string; json?: boolean }) => {
      const page = await ctx.core().users.list(ctx.actor, parseInputOf('users.list', { kind: 'person', page: parsePositiveInt(opts.page, '--page'), pageSize: 200 }));
      ctx.emit(opts.json, page, () =>
        table(
          page.rows.map((u) => ({ name: u.name, status: u.expired ? 'expired' : u.status, groups: u.groups.map((g) => g.name).join(', '), created: when(u.createdAt) })),
          [
            ['name', 'Name'],
            ['status', 'Status'],
            ['groups', 'Groups'],
            ['created', 'Created'],
          ],
        ),
      );
    });

  addUpdateCommand(group, ctx, 'person');

  for (const [verb, description] of [
    ['disable', 'stop a person from logging in (reversible; the last active administrator cannot be disabled)'],
    ['enable', 'let a disabled person log in again'],
  ] as const) {
    group
      .command(`${verb} <user>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (ref: string, opts: { json?: boolean }) => {
        const user = await ctx.core().users[verb](ctx.actor, parseInputOf(`users.${verb}`, { id: await resolvePerson(ctx, ref) }));
        ctx.emit(opts.json, user, () => `${user.name} is now ${user.status}.\n`);
      });
  }

  addDeleteCommand(group, ctx, 'person');

  addExportCommand(group, ctx, 'person');

  group
    .command('passwd <person>')
    .description("set a person's password (for one who forgot it); logged as a reset, never the password")
    .option('--password-stdin', 'read the new password from standard input instead of asking')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { passwordStdin?: boolean; json?: boolean }) => {
      const core = ctx.core();
      // Resolve before asking, so a typo fails at once instead of after typing a password twice.
      const id = await resolvePerson(ctx, ref);
      const newPassword = await readPassword(ctx, opts.passwordStdin === true);
      await core.users.resetPassword(ctx.actor, parseInputOf('users.resetPassword', { id, newPassword }));
      const { name } = await core.users.show(ctx.actor, parseInputOf('users.show', { id }));
      ctx.emit(opts.json, { passwordReset: { id, name } }, () => `The password of ${name} is changed. They log in with it from now on.\n`);
    });
}
