/**
 * What the audit log's signed checkpoint (electron/services/audit-anchor.ts) adds to a batch of appends:
 * the token server's hot path commits one batch per turn of its audit thread. Runs batches of 1 and 32
 * token events through appendAuditEvents in IMMEDIATE transactions, alternating a store without a
 * checkpoint key and one with, and prints the median CPU and wall time per batch of each, with
 * synchronous=OFF (the work itself) and FULL (what the server runs: the commit's fsync dominates).
 *
 *   npm run bench:checkpoint          (BENCH_ROUNDS=<batches per run>, default 2000; FULL uses a tenth)
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../electron/db/open.js';
import { useCheckpointKey } from '../electron/repos/audit-checkpoint.repo.js';
import { appendAuditEvents, type NewAuditEvent } from '../electron/repos/audit.repo.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const REPEATS = 5;

const tokenEvent = (): NewAuditEvent => ({
  at: Date.now(),
  actorKind: 'api',
  actorId: null,
  actorName: 'keyrack-erp',
  type: 'token.issued',
  targetUserId: 3,
  targetName: 'erp',
  outcome: 'success',
  reason: null,
  sourceIp: '10.1.2.3',
  details: { jti: randomBytes(16).toString('hex'), scope: 'properties:read' },
});

function perBatch(keyed: boolean, batch: number, rounds: number, sync: 'OFF' | 'FULL'): { cpu: number; wall: number } {
  const dir = mkdtempSync(join(tmpdir(), 'keyrack-bench-checkpoint-'));
  const db = openDatabase(join(dir, 'keyrack.db'));
  try {
    db.pragma(`synchronous = ${sync}`);
    if (keyed) useCheckpointKey(db, randomBytes(32));
    const append = db.transaction((events: NewAuditEvent[]) => appendAuditEvents(db, events));
    for (let i = 0; i < 200; i++) append.immediate(Array.from({ length: batch }, tokenEvent)); // warm up
    const batches = Array.from({ length: rounds }, () => Array.from({ length: batch }, tokenEvent));
    const wall0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    for (const events of batches) append.immediate(events);
    const cpu = process.cpuUsage(cpu0);
    return { cpu: (cpu.user + cpu.system) / rounds, wall: Number(process.hrtime.bigint() - wall0) / 1e3 / rounds };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const key = randomBytes(32);
const hash = randomBytes(32);
const hmacRounds = 200_000;
const hmac0 = process.hrtime.bigint();
for (let i = 0; i < hmacRounds; i++) createHmac('sha256', key).update(`keyrack audit checkpoint v1\n${i}\n1764000000000\n`).update(hash).digest();
console.log(`load average ${loadavg()[0]!.toFixed(2)}; one checkpoint HMAC: ${(Number(process.hrtime.bigint() - hmac0) / 1e3 / hmacRounds).toFixed(2)} µs`);

for (const sync of ['OFF', 'FULL'] as const) {
  for (const batch of [1, 32]) {
    const rounds = sync === 'FULL' ? Math.max(50, Math.floor(ROUNDS / 10)) : ROUNDS;
    const without: { cpu: number; wall: number }[] = [];
    const withKey: { cpu: number; wall: number }[] = [];
    for (let r = 0; r < REPEATS; r++) {
      without.push(perBatch(false, batch, rounds, sync));
      withKey.push(perBatch(true, batch, rounds, sync));
    }
    const cpu = [median(without.map((x) => x.cpu)), median(withKey.map((x) => x.cpu))];
    const wall = [median(without.map((x) => x.wall)), median(withKey.map((x) => x.wall))];
    console.log(
      `synchronous=${sync} batch of ${String(batch).padStart(2)}: CPU ${cpu[0]!.toFixed(1)} → ${cpu[1]!.toFixed(1)} µs ` +
        `(+${(cpu[1]! - cpu[0]!).toFixed(1)}), wall ${wall[0]!.toFixed(1)} → ${wall[1]!.toFixed(1)} µs a batch`,
    );
  }
}
