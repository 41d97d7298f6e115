import type { Command } from 'commander';
import { EVENT_TYPES } from '../../../shared/domain.js';
import { AppError } from '../../../shared/errors.js';
import type { AuditEvent } from '../../../shared/dto.js';
import { parsePositiveInt, parseWhen, type CliContext } from '../context.js';
import { table, when } from '../format.js';
import { resolveUserId } from '../resolve.js';

interface LogOptions {
  user?: string;
  actor?: string;
  type?: string;
  outcome?: string;
  text?: string;
  since?: string;
  until?: string;
  limit: string;
  json?: boolean;
}

export function registerLog(program: Command, ctx: CliContext): void {
  const log = program
    .command('log')
    .description('read the audit log, newest first')
    .option('--user <user>', 'events about this user (name, client id or id)')
    .option('--actor <name>', 'events by this actor (a person, or cli:<os user>)')
    .option('--type <type>', `event type, e.g. token.issued (${EVENT_TYPES.length} types)`)
    .option('--outcome <outcome>', 'success | failure')
    .option('--text <text>', 'free text')
    .option('--since <when>', 'from this moment (date, or a duration back: 7d)')
    .option('--until <when>', 'up to this moment')
    .option('--limit <n>', 'how many events', '100')
    .option('--json', 'print JSON')
    .action((opts: LogOptions) => {
      const core = ctx.core();
      const now = core.deps.clock.now();
      const back = (text: string, flag: string) => {
        // A bare duration means "that long ago" here: `--since 7d` is the last week.
        const at = parseWhen(text, now, flag);
        return /^\d+\s*[a-z]+$/i.test(text.trim()) && text.trim().toLowerCase() !== 'now' ? 2 * now - at : at;
      };
      const limit = parsePositiveInt(opts.limit, '--limit');
      const rows: AuditEvent[] = [];
      let before: number | undefined;
      // Page through until `limit` events: the service caps one page at 500.
      while (rows.length < limit) {
        const page = core.log.search(ctx.actor, {
          targetUserId: opts.user === undefined ? undefined : resolveUserId(core, opts.user),
          actor: opts.actor,
          type: opts.type,
          outcome: opts.outcome,
          text: opts.text,
          since: opts.since === undefined ? undefined : back(opts.since, '--since'),
          until: opts.until === undefined ? undefined : back(opts.until, '--until'),
          before,
          limit: Math.min(500, limit - rows.length),
        });
        rows.push(...page.rows);
        if (page.nextCursor === null) break;
        before = page.nextCursor;
      }
      ctx.emit(opts.json, rows, () =>
        table(
          rows.map((e) => ({
            at: when(e.at),
            type: e.type,
            outcome: e.outcome,
            actor: e.actorName,
            target: e.targetName,
            reason: e.reason,
            ip: e.sourceIp,
          })),
          [
            ['at', 'Time'],
            ['type', 'Event'],
            ['outcome', 'Outcome'],
            ['actor', 'Actor'],
            ['target', 'User'],
            ['reason', 'Reason'],
            ['ip', 'Source IP'],
          ],
        ),
      );
    });

  log
    .command('verify')
    .description('check the log\'s hash chain; names the first event that was edited, deleted or reordered')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const report = ctx.core().log.verify(ctx.actor, (checked) => ctx.io.stderr.write(`checked ${checked} events\r`));
      ctx.emit(opts.json, report, () => {
        const problem = report.firstProblem;
        if (!problem) return `The log is intact: ${report.checked} events verified.\n`;
        return problem.problem === 'edited'
          ? `TAMPERED: event ${problem.id} was edited (its content no longer matches its hash).\n`
          : `TAMPERED: event ${problem.id} does not follow event ${problem.previousId ?? '(start)'}: ` +
              'events were deleted, inserted or reordered there.\n';
      });
      if (report.firstProblem) throw new TamperedLogError();
    });
}

/** Exit 1 after the report: scripts and monitoring must see a broken chain as a failure. */
class TamperedLogError extends AppError {
  constructor() {
    super('conflict', 'the audit log failed verification');
  }
}
