import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import { APP_PERMISSIONS } from '../../../shared/domain.js';
import type { GroupDetail } from '../../../shared/dto.js';
import { collect, UsageError, type CliContext } from '../context.js';
import { fields, table } from '../format.js';
import { resolveFilterIds, resolveGroupId, resolveUserId } from '../resolve.js';

/** `resource:action` as typed on the command line. */
function parseRight(text: string): { resource: string; action: string } {
  // Endpoint-style resources hold `/` but never `:`, so the one colon splits resource from action.
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
    .option('--right <resource:action>', 'API right (repeatable); grant write and delete only where needed', collect)
    .option('--filter <resource:filter>', 'record filter (repeatable), e.g. properties:published_only', collect)
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { description?: string; permission?: string[]; right?: string[]; filter?: string[]; json?: boolean }) => {
      const core = ctx.core();
      const created = await core.groups.create(
        ctx.actor,
        parseInputOf('groups.create', {
          name,
          description: opts.description,
          appPermissions: opts.permission ?? [],
          rights: (opts.right ?? []).map(parseRight),
          filterIds: await resolveFilterIds(core, ctx.actor, opts.filter ?? []),
        }),
      );
      ctx.emit(opts.json, created, () => detail(created));
    });

  group
    .command('list')
    .description('list groups')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const groups = await ctx.core().groups.list(ctx.actor);
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
    .action(async (ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const shown = await core.groups.show(ctx.actor, parseInputOf('groups.show', { id: await resolveGroupId(core, ref) }));
      ctx.emit(opts.json, shown, () => detail(shown));
    });

  group
    .command('update <group>')
    .description('change a group: name, description, and (each replacing the whole list) permissions, rights, record filters')
    .option('--name <name>', 'the new name')
    .option('--description <text>', 'what the group is for')
    .option('--permission <perm>', `app permission (repeatable, replaces the list): ${APP_PERMISSIONS.join(', ')}`, collect)
    .option('--clear-permissions', 'no app permissions')
    .option('--right <resource:action>', 'API right (repeatable, replaces the list)', collect)
    .option('--clear-rights', 'no API rights')
    .option('--filter <resource:filter>', 'record filter (repeatable, replaces the list)', collect)
    .option('--clear-filters', 'no record filters')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: UpdateOptions) => {
      const core = ctx.core();
      const input: Record<string, unknown> = { id: await resolveGroupId(core, ref) };
      if (opts.name !== undefined) input.name = opts.name;
      if (opts.description !== undefined) input.description = opts.description;
      const permissions = replacement(opts.permission, opts.clearPermissions, '--permission');
      if (permissions) input.appPermissions = permissions;
      const rights = replacement(opts.right, opts.clearRights, '--right');
      if (rights) input.rights = rights.map(parseRight);
      const filters = replacement(opts.filter, opts.clearFilters, '--filter');
      if (filters) input.filterIds = await resolveFilterIds(core, ctx.actor, filters);
      if (Object.keys(input).length === 1) throw new UsageError('give at least one thing to change (see --help)');
      const updated = await core.groups.update(ctx.actor, parseInputOf('groups.update', input));
      ctx.emit(opts.json, updated, () => detail(updated));
    });

  group
    .command('delete <group>')
    .description('delete a group (its members lose what it gave them; the Administrators group stays)')
    .requiredOption('--yes', 'confirm: this cannot be undone')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const id = await resolveGroupId(core, ref);
      const { name } = await core.groups.show(ctx.actor, parseInputOf('groups.show', { id }));
      await core.groups.delete(ctx.actor, parseInputOf('groups.delete', { id }));
      ctx.emit(opts.json, { deleted: { id, name } }, () => `Deleted the group ${name}.\n`);
    });

  for (const [verb, method, description] of [
    ['grant', 'grant', 'give the group an API right'],
    ['revoke', 'revoke', 'take an API right from the group'],
  ] as const) {
    group
      .command(`${verb} <group> <right>`)
      .description(`${description} (right: resource:action)`)
      .option('--json', 'print JSON')
      .action(async (ref: string, right: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const updated = await core.groups[method](ctx.actor, parseInputOf(`groups.${method}`, { groupId: await resolveGroupId(core, ref), ...parseRight(right) }));
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
      .action(async (ref: string, user: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const updated = await core.groups[method](
          ctx.actor,
          parseInputOf(`groups.${method}`, { groupId: await resolveGroupId(core, ref), userId: await resolveUserId(core, user) }),
        );
        ctx.emit(opts.json, updated, () => detail(updated));
      });
  }
}

interface UpdateOptions {
  name?: string;
  description?: string;
  permission?: string[];
  clearPermissions?: boolean;
  right?: string[];
  clearRights?: boolean;
  filter?: string[];
  clearFilters?: boolean;
  json?: boolean;
}

/** A list flag of `update`: the new list, [] for its --clear-… flag, undefined to leave it as it is. */
function replacement(values: string[] | undefined, clear: boolean | undefined, flag: string): string[] | undefined {
  if (values && clear) throw new UsageError(`give ${flag} or its --clear flag, not both`);
  return clear ? [] : values;
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
