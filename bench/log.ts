/**
 * npm run bench:log — the log at a million events: every filter the UI offers (first page and next
 * page, p50/p95 over BENCH_RUNS runs), the CSV and JSON Lines export of everything (time and peak memory,
 * each in a fresh child process so its peak RSS is its own), the overview, and a full chain verification.
 *
 * The store is seeded once (BENCH_LOG_EVENTS, default 1 000 000) into BENCH_LOG_DATA (default
 * <tmp>/keyrack-bench-log) and reused by later runs. Targets: ≤ 50 ms a page, ≤ 15 s an export.
 */
import { fork } from 'node:child_process';
import { createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openCore, type Core } from '../electron/core.js';
import { cliActor } from '../electron/services/context.js';
import { exportAuditLog } from '../electron/services/log-export.js';
import { snapshotInfoReader } from '../electron/ranges/store.js';
import { OverviewService } from '../electron/services/overview.service.js';
import type { LogExportFormat } from '../shared/log.schemas.js';
import { seedStore } from './seed-store.js';

const DATA = process.env.BENCH_LOG_DATA ?? join(tmpdir(), 'keyrack-bench-log');
const EVENTS = Number(process.env.BENCH_LOG_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const actor = cliActor('bench');
const DAY = 86_400_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(10);

/** Typed to take what the services return (promises): a timer that did not wait would time nothing. */
async function measure(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run(); // warm the page cache and the statement
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Every filter the log view offers, alone and in the combinations an admin reaches for. */
function queries(core: Core): Array<[string, Record<string, unknown>]> {
  const now = core.deps.clock.now();
  const sample = core.db
    .prepare<[], { target_user_id: number; source_ip: string }>(
      `SELECT target_user_id, source_ip FROM audit_events WHERE type = 'token.denied' AND target_user_id IS NOT NULL ORDER BY id DESC LIMIT 1`,
    )
    .get()!;
  const user = sample.target_user_id;
  const ip = sample.source_ip;
  const lastDay = { since: now - DAY, until: now };
  const lastMonth = { since: now - 30 * DAY, until: now };
  const longAgo = { since: now - 300 * DAY, until: now - 299 * DAY };
  return [
    ['no filter', {}],
    ['time: last 24 h', lastDay],
    ['time: one day, 300 days ago', longAgo],
    ['actor (person)', { actor: 'alice' }],
    ['actor (API client)', { actor: `keyrack-integration-1` }],
    ['user', { targetUserId: user }],
    ['type token.issued', { type: 'token.issued' }],
    ['type auth.login', { type: 'auth.login' }],
    ['type rare (none)', { type: 'keys.rotated' }],
    ['outcome failure', { outcome: 'failure' }],
    ['source IP', { sourceIp: ip }],
    ['text: common word (token)', { text: 'token' }],
    ['text: reason', { text: 'ip_not_allowed' }],
    ['text: address prefix', { text: '10.1.2' }],
    ['text: no match', { text: 'zzzzqqq' }],
    ['user + type denied', { targetUserId: user, type: 'token.denied' }],
    ['user + outcome failure', { targetUserId: user, outcome: 'failure' }],
    ['type + outcome', { type: 'token.denied', outcome: 'failure' }],
    ['type + source IP', { type: 'token.denied', sourceIp: ip }],
    ['outcome + source IP', { outcome: 'failure', sourceIp: ip }],
    ['actor + type (no match)', { actor: 'alice', type: 'token.issued' }],
    ['user + source IP', { targetUserId: user, sourceIp: ip }],
    ['type issued + last 30 days', { type: 'token.issued', ...lastMonth }],
    ['user + last 30 days', { targetUserId: user, ...lastMonth }],
    ['failure + last 24 h', { outcome: 'failure', ...lastDay }],
    ['text + type', { text: 'wrong_secret', type: 'token.denied' }],
    ['text + user', { text: 'wrong_secret', targetUserId: user }],
    ['text + last 24 h', { text: 'token', ...lastDay }],
    ['everything', { targetUserId: user, type: 'token.denied', outcome: 'failure', sourceIp: ip, text: 'denied', ...lastMonth }],
  ];
}

async function exportChild(format: LogExportFormat): Promise<void> {
  const core = openCore({ dataDir: DATA });
  const out = join(tmpdir(), `keyrack-bench-export.${format}`);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const outcome = await exportAuditLog(core.deps, {}, format, createWriteStream(out));
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const size = statSync(out).size;
  rmSync(out);
  core.close();
  process.send!({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, written: outcome.written, bytes: size, maxRssMb: process.resourceUsage().maxRSS / 1024 });
}

function runExportChild(format: LogExportFormat): Promise<{ seconds: number; cpuSeconds: number; written: number; bytes: number; maxRssMb: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['export', format], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as never));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`export child exited ${code}`)));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === 'export') return exportChild(process.argv[3] as LogExportFormat);

  const count = existsSync(join(DATA, 'keyrack.db'))
    ? (() => {
        const core = openCore({ dataDir: DATA });
        const n = core.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_events').get()!.n;
        core.close();
        return n;
      })()
    : 0;
  if (count < EVENTS) {
    rmSync(DATA, { recursive: true, force: true });
    const start = performance.now();
    await seedStore({ dataDir: DATA, events: EVENTS, apiUsers: 200, days: 365, log: (line) => process.stderr.write(`${line}\r`) });
    console.log(`\nseeded ${EVENTS} events in ${((performance.now() - start) / 1000).toFixed(1)} s into ${DATA}`);
  } else {
    console.log(`reusing ${DATA} (${count} events)`);
  }

  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (wall times include waiting for the CPU)`);
  const core = openCore({ dataDir: DATA });
  const started = performance.now();
  await core.log.search(actor, { limit: 50 });
  console.log(`open + first page (cold): ${ms(performance.now() - started)}`);

  console.log(`\nlog.search, 50 events a page, ${RUNS} runs each: p50 / p95`);
  console.log(`${'filter'.padEnd(32)} ${'first page p50'.padStart(14)} ${'p95'.padStart(10)}   ${'next page p50'.padStart(13)} ${'p95'.padStart(10)}   rows`);
  const slow: string[] = [];
  for (const [name, filters] of queries(core)) {
    const first = await core.log.search(actor, { ...filters, limit: 50 });
    const a = await measure(() => core.log.search(actor, { ...filters, limit: 50 }));
    const next = first.nextCursor;
    const b = next === null ? null : await measure(() => core.log.search(actor, { ...filters, before: next, limit: 50 }));
    if (a.p95 > 50 || (b && b.p95 > 50)) slow.push(name);
    console.log(
      `${name.padEnd(32)} ${ms(a.p50).padStart(14)} ${ms(a.p95)}   ${(b ? ms(b.p50) : '(one page)').padStart(13)} ${b ? ms(b.p95) : ''.padStart(10)}   ${first.rows.length}`,
    );
  }
  console.log(slow.length ? `over 50 ms (p95): ${slow.join(', ')}` : 'every query: p95 ≤ 50 ms');

  console.log('\noverview.get (p50 / p95)');
  const overview = new OverviewService(core.deps, snapshotInfoReader(core.ranges));
  for (const range of ['24h', '7d', '30d', '90d'] as const) {
    const t = await measure(() => overview.get(actor, { range }));
    console.log(`  range ${range.padEnd(4)} ${ms(t.p50)} ${ms(t.p95)}`);
  }
  const perUser = await measure(() => overview.get(actor, { range: '90d', userId: 5 }));
  console.log(`  90d, one API user ${ms(perUser.p50)} ${ms(perUser.p95)}`);

  const verifyStart = performance.now();
  const verifyCpu = process.cpuUsage();
  const report = await core.log.verify(actor);
  const cpu = process.cpuUsage(verifyCpu);
  console.log(
    `\nverify the whole chain: ${((performance.now() - verifyStart) / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s), ` +
      `${report.checked} events, ${report.firstProblem ? 'PROBLEM' : 'intact'}`,
  );
  core.close();

  console.log('\nexport of every event (fresh process each)');
  for (const format of ['csv', 'jsonl'] as const) {
    const r = await runExportChild(format);
    console.log(
      `  ${format.padEnd(5)} ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s), ${r.written} events, ${(r.bytes / 2 ** 20).toFixed(0)} MiB, peak RSS ${r.maxRssMb.toFixed(0)} MiB` +
        (r.seconds > 15 ? '  (over 15 s)' : ''),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
