import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import { collect, UsageError, type CliContext } from '../context.js';
import { table } from '../format.js';
import { resolveResource } from '../resolve.js';

export function registerRights(program: Command, ctx: CliContext): void {
  const group = program.command('rights').description('the rights catalogue: what your LAN APIs understand');

  group
    .command('add-resource <name>')
    .description('describe a resource of your LAN APIs, its actions and record filters')
    .option('--action <action>', 'an action on it (repeatable), e.g. read, write, delete, send', collect)
    .option('--filter <filter>', 'a record filter (repeatable), e.g. published_only', collect)
    .option('--description <text>', 'what the resource is')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { action?: string[]; filter?: string[]; description?: string; json?: boolean }) => {
      const resource = await ctx.core().rights.addResource(
        ctx.actor,
        parseInputOf('rights.addResource', {
          name,
          description: opts.description,
          actions: opts.action ?? [],
          filters: (opts.filter ?? []).map((f) => ({ name: f })),
        }),
      );
      ctx.emit(opts.json, resource, () => `Added ${resource.name}: ${resource.actions.map((a) => `${resource.name}:${a}`).join(' ')}\n`);
    });

  group
    .command('update-resource <name>')
    .description('change a resource: its description, and (each replacing the whole list) its actions and record filters')
    .option('--description <text>', 'what the resource is')
    .option('--action <action>', 'an action (repeatable, replaces the list); groups lose rights on a removed one', collect)
    .option('--filter <filter>', 'a record filter (repeatable, replaces the list)', collect)
    .option('--clear-filters', 'no record filters')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { description?: string; action?: string[]; filter?: string[]; clearFilters?: boolean; json?: boolean }) => {
      const core = ctx.core();
      const resource = await resolveResource(core, ctx.actor, name);
      if (opts.filter && opts.clearFilters) throw new UsageError('give --filter or --clear-filters, not both');
      const input: Record<string, unknown> = { id: resource.id };
      if (opts.description !== undefined) input.description = opts.description;
      if (opts.action) input.actions = opts.action;
      if (opts.filter || opts.clearFilters) {
        // A kept filter keeps its description (and its id, so groups keep it).
        input.filters = (opts.filter ?? []).map((f) => ({ name: f, description: resource.filters.find((old) => old.name === f)?.description ?? '' }));
      }
      if (Object.keys(input).length === 1) throw new UsageError('give at least one thing to change (see --help)');
      const updated = await core.rights.updateResource(ctx.actor, parseInputOf('rights.updateResource', input));
      ctx.emit(opts.json, updated, () => `Updated ${updated.name}: ${updated.actions.map((a) => `${updated.name}:${a}`).join(' ')}\n`);
    });

  group
    .command('remove-resource <name>')
    .description('remove a resource from the catalogue; every group loses its rights and filters on it')
    .requiredOption('--yes', 'confirm: groups lose these rights')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const resource = await resolveResource(core, ctx.actor, name);
      await core.rights.removeResource(ctx.actor, parseInputOf('rights.removeResource', { id: resource.id }));
      ctx.emit(opts.json, { removed: { id: resource.id, name: resource.name } }, () => `Removed ${resource.name} from the rights catalogue.\n`);
    });

  group
    .command('list')
    .description('list resources with their actions and filters')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const resources = await ctx.core().rights.list(ctx.actor);
      ctx.emit(opts.json, resources, () =>
        table(
          resources.map((r) => ({
            name: r.name,
            actions: r.actions.join(', '),
            filters: r.filters.map((f) => f.name).join(', '),
            description: r.description,
          })),
          [
            ['name', 'Resource'],
            ['actions', 'Actions'],
            ['filters', 'Record filters'],
            ['description', 'Description'],
          ],
        ),
      );
    });
}
