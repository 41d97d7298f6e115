import type { Command } from 'commander';
import { collect, type CliContext } from '../context.js';
import { table } from '../format.js';

export function registerRights(program: Command, ctx: CliContext): void {
  const group = program.command('rights').description('the rights catalogue: what your LAN APIs understand');

  group
    .command('add-resource <name>')
    .description('describe a resource of your LAN APIs, its actions and record filters')
    .option('--action <action>', 'an action on it (repeatable), e.g. read, write, delete, send', collect)
    .option('--filter <filter>', 'a record filter (repeatable), e.g. published_only', collect)
    .option('--description <text>', 'what the resource is')
    .option('--json', 'print JSON')
    .action((name: string, opts: { action?: string[]; filter?: string[]; description?: string; json?: boolean }) => {
      const resource = ctx.core().rights.addResource(ctx.actor, {
        name,
        description: opts.description,
        actions: opts.action ?? [],
        filters: (opts.filter ?? []).map((f) => ({ name: f })),
      });
      ctx.emit(opts.json, resource, () => `Added ${resource.name}: ${resource.actions.map((a) => `${resource.name}:${a}`).join(' ')}\n`);
    });

  group
    .command('list')
    .description('list resources with their actions and filters')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const resources = ctx.core().rights.list(ctx.actor);
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
