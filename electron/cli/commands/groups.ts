import type { Command } from 'commander';
import { APP_PERMISSIONS } from '../../../shared/domain.js';
import type { GroupDetail } from '../../../shared/dto.js';
import { collect, UsageError, type CliContext } from '../context.js';
import { fields, table } from '../format.js';
import { resolveGroupId, resolveUserId } from '../resolve.js';

/** `resource:action` as typed on the command line. */
function parseRight(text: string): { resource: string; action: string } {
  const [resource, action, ...rest] = text.split(':');
  if (!resource || !action || rest.length > 0) throw new UsageError(`"${text}" is not a right: write resource:action`);
  return { resource, action };
}

export function registerGroups(program: Command, ctx: CliContext): void {
  const group = program.command('groups').description('groups: app permissions for people, API rights for API users');

  group
    .command('create <name>')
    .description('create a group')
    .option('--description <text>', 'what the group is for')
    .option('--permission <perm>', `app permission (repeatable): ${APP_PERMISSIONS.join(', ')}`, collect)
    .option('--right <resource:action>', 'API right (repeatable)', collect)
    .option('--json', 'print JSON')
    .action((name: string, opts: { description?: string; permission?: string[]; right?: string[]; json?: boolean }) => {
      const created = ctx.core().groups.create(ctx.actor, {
        name,
        description: opts.description,
        appPermissions: opts.permission ?? [],
        rights: (opts.right ?? []).map(parseRight),
      });
      ctx.emit(opts.json, created, () => detail(created));
    });

  group
    .command('list')
    .description('list groups')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const groups = ctx.core().groups.list(ctx.actor);
      ctx.emit(opts.json, groups, () =>
        table(
          groups.map((g) => ({ ...g, builtin: g.builtin ? 'yes' : '' })),
          [
            ['name', 'Name'],
            ['memberCount', 'Members'],
            ['builtin', 'Built in'],
            ['description', 'Description'],
          ],
        ),
      );
    });

  group
    .command('show <group>')
    .description('show a group: permissions, rights, members')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const shown = core.groups.show(ctx.actor, { id: resolveGroupId(core, ref) });
      ctx.emit(opts.json, shown, () => detail(shown));
    });

  for (const [verb, method, description] of [
    ['grant', 'grant', 'give the group an API right'],
    ['revoke', 'revoke', 'take an API right from the group'],
  ] as const) {
    group
      .command(`${verb} <group> <right>`)
      .description(`${description} (right: resource:action)`)
      .option('--json', 'print JSON')
      .action((ref: string, right: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const updated = core.groups[method](ctx.actor, { groupId: resolveGroupId(core, ref), ...parseRight(right) });
        ctx.emit(opts.json, updated, () => detail(updated));
      });
  }

  for (const [verb, method, description] of [
    ['add-member', 'addMember', 'put a user in the group'],
    ['remove-member', 'removeMember', 'take a user out of the group'],
  ] as const) {
    group
      .command(`${verb} <group> <user>`)
      .description(description)
      .option('--json', 'print JSON')
      .action((ref: string, user: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const updated = core.groups[method](ctx.actor, {
          groupId: resolveGroupId(core, ref),
          userId: resolveUserId(core, user),
        });
        ctx.emit(opts.json, updated, () => detail(updated));
      });
  }
}

function detail(g: GroupDetail): string {
  return fields([
    ['Group', g.name],
    ['Description', g.description],
    ['App permissions', g.appPermissions.join(', ')],
    ['API rights', g.rights.map((r) => `${r.resource}:${r.action}`).join(' ')],
    ['Record filters', g.filters.map((f) => `${f.resource}:${f.name}`).join(' ')],
    ['Members', g.members.map((m) => (m.kind === 'api' ? `${m.name} (API)` : m.name)).join(', ')],
  ]);
}
