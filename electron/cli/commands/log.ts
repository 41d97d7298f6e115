import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import { EVENT_TYPES } from '../../../shared/domain.js';
import { AppError } from '../../../shared/errors.js';
import type { AuditEvent } from '../../../shared/dto.js';
import { LOG_EXPORT_FORMATS } from '../../../shared/log.schemas.js';
import type { Core } from '../../core.js';
import { CHECKPOINT_FILE, checkpointFailed, type CheckpointReport } from '../../services/audit-anchor.js';
import type { AcrossArchivesReport } from '../../services/log-archive.js';
import { LogExportJobs } from '../../services/log-export-jobs.js';
import { RetentionService } from '../../services/retention.js';
import { fixedPathSaveStream } from '../../shell/save-stream.js';
import { parsePositiveInt, parseWhen, UsageError, type CliContext } from '../context.js';
import { fields, table, when } from '../format.js';
import { resolveUserId } from '../resolve.js';
import { progressLine } from '../io.js';

interface FilterOptions {
  user?: string;
  actor?: string;
  type?: string;
  outcome?: string;
  involving?: string;
  ip?: string;
  text?: string;
  since?: string;
  until?: string;
}

/** The same filters on `keyrack log` and `keyrack log export`. */
function addFilterOptions(command: Command): Command {
  return command
    .option('--user <user>', 'events about this user (name, client id or id)')
    .option('--involving <user>', 'events done by or about this user (name, client id or id)')
    .option('--actor <name>', 'events by this actor (a person, or cli:<os user>)')
    .option('--type <type>', `event type, e.g. token.issued (${EVENT_TYPES.length} types)`)
    .option('--outcome <outcome>', 'success | failure')
    .option('--ip <address>', 'events from this source address')
    .option('--text <text>', 'free text')
    .option('--since <when>', 'from this moment (date, or a duration back: 7d)')
    .option('--until <when>', 'up to this moment');
}

/** Filter flags → the filters of log.search and log.export (parsed with them, with messages naming the field). */
async function filtersOf(core: Core, opts: FilterOptions) {
  const now = core.deps.clock.now();
  const back = (text: string, flag: string) => {
    // A bare duration means "that long ago" here: `--since 7d` is the last week.
    const at = parseWhen(text, now, flag);
    return /^\d+\s*[a-z]+$/i.test(text.trim()) && text.trim().toLowerCase() !== 'now' ? 2 * now - at : at;
  };
  return {
    targetUserId: opts.user === undefined ? undefined : await resolveUserId(core, opts.user),
    involving: opts.involving === undefined ? undefined : await resolveUserId(core, opts.involving),
    actor: opts.actor,
    type: opts.type,
    outcome: opts.outcome,
    sourceIp: opts.ip,
    text: opts.text,
    since: opts.since === undefined ? undefined : back(opts.since, '--since'),
    until: opts.until === undefined ? undefined : back(opts.until, '--until'),
  };
}

/**
 * `log` has options of its own (the filters, --json) and subcommands with the same names; commander gives
 * such an option to the parent wherever it appears, so subcommands read optsWithGlobals().
 */
export function registerLog(program: Command, ctx: CliContext): void {
  const log = addFilterOptions(program.command('log').description('read the audit log, newest first (or --order oldest)'))
    .option('--order <order>', 'newest | oldest: which end of the log comes first', 'newest')
    .option('--limit <n>', 'how many events', '100')
    .option('--json', 'print JSON')
    .action(async (opts: FilterOptions & { order: string; limit: string; json?: boolean }) => {
      const core = ctx.core();
      const filters = await filtersOf(core, opts);
      const limit = parsePositiveInt(opts.limit, '--limit');
      const rows: AuditEvent[] = [];
      // The keyset cursor: newest first pages to older events (before), oldest first to newer ones (after).
      const cursorName = opts.order === 'oldest' ? 'after' : 'before';
      let cursor: number | undefined;
      // Page through until `limit` events: the service caps one page at 500.
      while (rows.length < limit) {
        const query = { ...filters, order: opts.order, [cursorName]: cursor, limit: Math.min(500, limit - rows.length) };
        const page = await core.log.search(ctx.actor, parseInputOf('log.search', query));
        rows.push(...page.rows);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      // Reading the log is logged, after the read (the output never contains its own event).
      await core.log.recordView(ctx.actor, { ...filters, limit });
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
    .option('--archive <file...>', 'retention archives to verify first; the log is then verified from the newest one\'s end')
    .option('--json', 'print JSON')
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<{ archive?: string[]; json?: boolean }>();
      const line = progressLine(ctx.io);
      const progress = (checked: number) => line.update(`checked ${checked} events`);
      if (opts.archive) {
        const report = await ctx.core().log.verifyWithArchives(ctx.actor, opts.archive, progress);
        line.done();
        ctx.emit(opts.json, report, () => describeAcrossArchives(report));
        if (!report.ok) throw new TamperedLogError();
        return;
      }
      const report = await ctx.core().log.verify(ctx.actor, progress);
      line.done();
      ctx.emit(opts.json, report, () => {
        const problem = report.firstProblem;
        const chain = !problem
          ? `The log is intact: ${report.checked} events verified.`
          : problem.problem === 'edited'
            ? `TAMPERED: event ${problem.id} was edited (its content no longer matches its hash).`
            : `TAMPERED: event ${problem.id} does not follow event ${problem.previousId ?? '(start)'}: ` +
              'events were deleted, inserted or reordered there.';
        return `${chain}\n${describeCheckpoint(report.checkpoint)}\n`;
      });
      if (report.firstProblem || checkpointFailed(report.checkpoint)) throw new TamperedLogError();
    });

  addFilterOptions(log.command('export').description('write the log (or the events matching the filters) to a file, newest first'))
    .requiredOption('--format <format>', LOG_EXPORT_FORMATS.join(' | '))
    .requiredOption('--out <file>', 'the file to write (replaced once complete)')
    .option('--json', 'print the outcome as JSON')
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<FilterOptions & { format: string; out: string; json?: boolean }>();
      const core = ctx.core();
      const jobs = new LogExportJobs(core.deps, fixedPathSaveStream(opts.out));
      const line = progressLine(ctx.io);
      const started = await jobs.start(ctx.actor, parseInputOf('log.export', { format: opts.format, ...(await filtersOf(core, opts)) }), {
        onProgress: (written, total) => line.update(`exported ${written} / ${total} events`),
      });
      if (!started.started) throw new UsageError('nothing to write to');
      const status = await jobs.wait(started.jobId);
      line.done();
      if (status.error) throw new ExportFailedError(status.error);
      ctx.emit(opts.json, { file: opts.out, written: status.written }, () => `Wrote ${status.written} events to ${opts.out}.\n`);
    });

  log
    .command('retention')
    .description('show, or set, how long the log keeps events (pruned events go to an archive first)')
    .option('--keep-days <n>', 'keep this many days')
    .option('--keep-all', 'keep everything (the default)')
    .option('--json', 'print JSON')
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<{ keepDays?: string; keepAll?: boolean; json?: boolean }>();
      if (opts.keepDays !== undefined && opts.keepAll) throw new UsageError('choose --keep-days or --keep-all, not both');
      const retention = new RetentionService(ctx.core().deps, ctx.core().dataDir);
      const settings =
        opts.keepDays !== undefined || opts.keepAll
          ? await retention.set(ctx.actor, parseInputOf('log.setRetention', { keepDays: opts.keepAll ? null : parsePositiveInt(opts.keepDays!, '--keep-days') }))
          : await retention.get(ctx.actor);
      ctx.emit(opts.json, settings, () =>
        fields([
          ['Keeps', settings.keepDays === null ? 'everything' : `${settings.keepDays} days`],
          ['Last prune', settings.lastPrune ? `${when(settings.lastPrune.at)}: ${settings.lastPrune.removed} events` : 'never'],
          ['Archive', settings.lastPrune?.archiveFile ?? null],
        ]),
      );
    });

  log
    .command('prune')
    .description('archive, then remove, the events older than the retention period')
    .option('--json', 'print JSON')
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<{ json?: boolean }>();
      const result = await new RetentionService(ctx.core().deps, ctx.core().dataDir).prune(ctx.actor);
      ctx.emit(opts.json, result, () =>
        result.removed === 0
          ? 'Nothing to prune (the log keeps everything, or nothing is old enough).\n'
          : `Archived and removed events ${result.firstId}-${result.lastId} (${result.removed}) to ${result.archiveFile}.\n`,
      );
    });
}

function describeAcrossArchives(report: AcrossArchivesReport & { checkpoint: CheckpointReport }): string {
  const lines = report.archives.map((a) =>
    a.problem
      ? `TAMPERED: archive ${a.file}: ${a.problem.problem}${a.problem.id === null ? '' : ` at event ${a.problem.id}`}.`
      : `Archive ${a.file}: events ${a.firstId}-${a.lastId} intact.`,
  );
  if (report.anchorMismatch) lines.push('TAMPERED: the log does not start where the newest archive ends.');
  const problem = report.log?.firstProblem;
  if (problem) lines.push(`TAMPERED: event ${problem.id} (${problem.problem}) after event ${problem.previousId ?? '(start)'}.`);
  if (report.ok) lines.push(`The archives and the log are intact: ${report.log!.checked} events in the log verified.`);
  lines.push(describeCheckpoint(report.checkpoint));
  return `${lines.join('\n')}\n`;
}

/** One line on the log's head against its signed checkpoint; TAMPERED for the verdicts that fail. */
export function describeCheckpoint(c: CheckpointReport): string {
  const cp = c.checkpoint;
  const head = c.headId === null ? 'the log is empty' : `the log ends at event ${c.headId}`;
  switch (c.verdict) {
    case 'anchored': {
      if (!cp) return 'The head is anchored: the log is empty and no checkpoint vouches for more.';
      const tail = c.uncovered > 0 ? ` ${c.uncovered} newer events were written without the checkpoint key (chain only).` : '';
      return `The head is anchored: the signed checkpoint of event ${cp.id} (${when(cp.at)}) matches.${tail}`;
    }
    case 'missing_tail':
      return `TAMPERED: the log's tail is missing: a signed checkpoint (${cp!.source}) vouches for events up to ${cp!.id}, but ${head}` +
        (c.headId === null ? '.' : ` (${cp!.id - c.headId} newest events removed).`);
    case 'forged_chain':
      return 'TAMPERED: the chain was rewritten: an event no longer has the hash its signed checkpoint recorded ' +
        '(events were edited and every hash after them recomputed).';
    case 'forged_checkpoint': {
      const bad = c.copies.filter((k) => k.state === 'forged' || k.state === 'damaged').map((k) => (k.source === 'store' ? 'in the store' : CHECKPOINT_FILE));
      return `TAMPERED: forged checkpoint: the checkpoint ${bad.join(' and ')} was not signed with this store's key.`;
    }
    case 'checkpoint_removed':
      return `TAMPERED: the log's checkpoints were removed: the store has a checkpoint key, but neither it nor ${CHECKPOINT_FILE} holds a checkpoint.`;
    case 'not_anchored':
      return 'The head is not anchored: this store has no checkpoint key yet (nothing vouches against a cut tail or a recomputed chain).';
    case 'no_key':
      return `The head was not checked: the checkpoint key cannot be opened here (${c.reason ?? 'no key'}).`;
  }
}

/** Exit 1 after the report: scripts and monitoring must see a broken chain as a failure. */
class TamperedLogError extends AppError {
  constructor() {
    super('conflict', 'the audit log failed verification');
  }
}

class ExportFailedError extends AppError {
  constructor(reason: string) {
    super('conflict', reason);
  }
}
