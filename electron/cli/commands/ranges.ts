import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import { AppError } from '../../../shared/errors.js';
import { PROVIDERS, type Provider } from '../../../shared/domain.js';
import type { RangeInfo } from '../../../shared/ranges.dto.js';
import { rangesImportInput } from '../../../shared/ranges.schemas.js';
import { parseInput } from '../../../shared/validate.js';
import { mirrorSources } from '../../ranges/sources.js';
import type { RangeUpdateProgress } from '../../ranges/store.js';
import { RangesService, type RangesDownloadSettings } from '../../services/ranges.service.js';
import { collect, parsePositiveInt, UsageError, type CliContext } from '../context.js';
import { table, when } from '../format.js';

interface UpdateOptions {
  provider?: string[];
  mirror?: string;
  timeout: string;
  json?: boolean;
}

export function registerRanges(program: Command, ctx: CliContext): void {
  const group = program
    .command('ranges')
    .description(`cloud providers' published IP ranges behind the allowlist words (${PROVIDERS.join(', ')})`);

  group
    .command('show')
    .description('the snapshot of each provider: its publication date, when it was fetched, how many prefixes')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const info = await service(ctx).info(ctx.actor);
      ctx.emit(opts.json, info, () => showText(info));
    });

  group
    .command('update')
    .description('download the providers\' official files; a provider that fails keeps its previous snapshot')
    .option('--provider <word>', 'only this provider (repeatable)', collect)
    .option('--mirror <url>', 'read the files from this base URL instead (aws-ip-ranges.json, google-cloud-ip-ranges.json, microsoft-azure-ip-ranges.json, cloudflare-v4-ip-ranges.txt, cloudflare-v6-ip-ranges.txt, digitalocean.csv)')
    .option('--timeout <seconds>', 'give up on a provider after this long', '60')
    .option('--json', 'print the report as JSON (progress still goes to stderr)')
    .action(async (opts: UpdateOptions) => {
      const providers = opts.provider?.map((p) => providerWord(p, '--provider'));
      const settings: RangesDownloadSettings = { timeoutMs: parsePositiveInt(opts.timeout, '--timeout') * 1000 };
      if (opts.mirror !== undefined) settings.sources = mirrorSources(mirrorUrl(opts.mirror));
      // Progress is for people: on stdout normally, on stderr under --json so stdout stays one JSON document.
      const progress = (line: string) => (opts.json ? ctx.io.stderr.write(line) : ctx.print(line));
      const report = await service(ctx, settings).update(ctx.actor, parseInputOf('ranges.update', { providers }), (event) => progress(progressLine(event)));
      if (opts.json) ctx.print(`${JSON.stringify(report, null, 2)}\n`);
      const failed = report.results.filter((r) => !r.ok).map((r) => r.provider);
      if (failed.length > 0) throw new RangesNotUpdatedError(failed);
    });

  group
    .command('import <files...>')
    .description('use a file you downloaded from the provider (Cloudflare: both ips-v4 and ips-v6)')
    .option('--provider <word>', 'whose file it is (recognised from the file when omitted)')
    .option('--json', 'print JSON')
    .action(async (files: string[], opts: { provider?: string; json?: boolean }) => {
      const provider = opts.provider === undefined ? undefined : providerWord(opts.provider, '--provider');
      const info = await service(ctx).import(ctx.actor, parseInput(rangesImportInput, { provider, paths: files }));
      ctx.emit(opts.json, info, () => `${infoLine(info)}\n`);
    });
}

function service(ctx: CliContext, settings: RangesDownloadSettings = {}): RangesService {
  const core = ctx.core();
  return new RangesService(core.deps, core.ranges(), settings);
}

function providerWord(text: string, flag: string): Provider {
  const word = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (!(PROVIDERS as readonly string[]).includes(word)) throw new UsageError(`${flag}: "${text}" is not one of ${PROVIDERS.join(', ')}`);
  return word as Provider;
}

function mirrorUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch {
    // falls through to the usage error
  }
  throw new UsageError(`--mirror: "${text}" is not an http(s) URL`);
}

function progressLine(event: RangeUpdateProgress): string {
  const name = event.provider.padEnd(13);
  if (event.phase === 'start') return `${name} downloading ${event.urls.join(', ')}\n`;
  if (event.ok) return `${name} updated: ${infoLine(event.info, false)} (${(event.bytes / 1_000_000).toFixed(1)} MB)\n`;
  const kept = event.previous.status === 'loaded'
    ? `kept the snapshot fetched ${when(event.previous.fetchedAt)}`
    : 'still no snapshot: the word matches nothing';
  return `${name} FAILED: ${event.error}; ${kept}\n`;
}

function infoLine(info: RangeInfo, withName = true): string {
  const published = info.publishedAt === null ? 'no publication date' : `published ${when(Date.parse(info.publishedAt))}`;
  const text = `${info.count} prefixes (${info.ipv4Count} IPv4, ${info.ipv6Count} IPv6), ${published}, fetched ${when(info.fetchedAt)}`;
  return withName ? `${info.provider}: ${text}` : text;
}

function showText(info: readonly RangeInfo[]): string {
  const rows = info.map((i) => ({
    provider: i.provider,
    status: i.status,
    published: i.publishedAt === null ? null : `${when(Date.parse(i.publishedAt))}${i.publishedAtSource === 'Last-Modified' ? ' (server date)' : ''}`,
    fetched: when(i.fetchedAt),
    prefixes: i.status === 'loaded' ? `${i.count} (${i.ipv4Count} v4, ${i.ipv6Count} v6)` : null,
    source: i.source,
  }));
  const notes = info.filter((i) => i.note !== null).map((i) => `${i.provider}: ${i.note}\n`);
  return (
    table(rows, [
      ['provider', 'Provider'],
      ['status', 'Status'],
      ['published', 'Published'],
      ['fetched', 'Fetched'],
      ['prefixes', 'Prefixes'],
      ['source', 'Source'],
    ]) + (notes.length > 0 ? `\n${notes.join('')}` : '')
  );
}

/** Exit 1 after the report: a script refreshing the ranges must notice that a provider was not updated. */
class RangesNotUpdatedError extends AppError {
  constructor(failed: readonly Provider[]) {
    super('conflict', `not updated: ${failed.join(', ')} (their previous snapshots are kept)`);
  }
}
