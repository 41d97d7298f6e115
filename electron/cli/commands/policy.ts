import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import type { OfficePolicy } from '../../../shared/dto.js';
import { UsageError, type CliContext } from '../context.js';
import { fields } from '../format.js';
import { onOff } from './server.js';

/** `keyrack policy show|set`: office-wide rules, the same the Users page changes. */
export function registerPolicy(program: Command, ctx: CliContext): void {
  const group = program.command('policy').description('office-wide rules every face obeys (the app, the CLI, the bridge)');

  group
    .command('show')
    .description('print the rules')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const policy = await ctx.core().policy.get(ctx.actor);
      ctx.emit(opts.json, policy, () => policyText(policy));
    });

  group
    .command('set')
    .description('change rules (logged with the values before and after)')
    .option('--require-allowlist <on|off>', 'on: every API user must have an allowlist (create and edit refuse an empty one)')
    .option('--json', 'print JSON')
    .action(async (opts: { requireAllowlist?: string; json?: boolean }) => {
      if (opts.requireAllowlist === undefined) throw new UsageError('give a rule to change (see --help)');
      const policy = await ctx.core().policy.set(ctx.actor, parseInputOf('policy.set', { requireAllowlist: onOff(opts.requireAllowlist, '--require-allowlist') }));
      ctx.emit(opts.json, policy, () => policyText(policy));
    });
}

function policyText(p: OfficePolicy): string {
  return fields([['API users must have an allowlist', p.requireAllowlist ? 'on' : 'off']]);
}
