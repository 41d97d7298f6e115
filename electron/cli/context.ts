import { parseDateText, latestTime, TIME_HORIZON_MS, TIME_HORIZON_YEARS } from '../../shared/time.js';
import { openCore, type Core } from '../core.js';
import { headlessKeyWrapper } from '../crypto/key-wrap.js';
import { upgradeNotice } from '../db/migrate.js';
import { resolveDataDir } from '../paths.js';
import { cliActor, type Actor } from '../services/context.js';
import type { CliIo } from './io.js';
import { json } from './format.js';

/** A wrong flag or value: exit code 2, with the command's usage hint. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What every command gets: the store (opened on first use), its actor, and output helpers. */
export class CliContext {
  private opened: Core | undefined;
  dataFlag: string | undefined;

  constructor(readonly io: CliIo) {}

  get actor(): Actor {
    return cliActor(this.io.osUser);
  }

  get dataDir(): string {
    return resolveDataDir(this.dataFlag, this.io.env);
  }

  core(): Core {
    this.opened ??= openCore({
      dataDir: this.dataDir,
      onMigrate: (plan) => {
        const notice = upgradeNotice(plan);
        if (notice) this.io.stderr.write(`${notice}\n`);
      },
      onNotice: (message) => this.io.stderr.write(`${message}\n`),
      // The master key (file or KEYRACK_MASTER_KEY) wraps the log's checkpoint key, as it wraps signing keys.
      keyWrapper: () => headlessKeyWrapper(this.dataDir, this.io.env),
    });
    return this.opened;
  }

  print(text: string): void {
    this.io.stdout.write(text);
  }

  /** `--json` output, or the human form. */
  emit(asJson: boolean | undefined, value: unknown, human: () => string): void {
    this.print(asJson ? json(value) : human());
  }

  close(): void {
    this.opened?.close();
    this.opened = undefined;
  }
}

const DURATION = /^(\d+)\s*(m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A moment: `2027-01-31`, an ISO date-time, `now`, or a duration from now (`30m`, `12h`, `7d`, `2w`).
 * Impossible dates (2027-02-30) and anything more than a century away are refused here, with the flag's
 * name, rather than rolled over or stored (shared/time.ts says why).
 */
export function parseWhen(text: string, now: number, flag: string): number {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return now;
  const duration = DURATION.exec(trimmed);
  if (duration) {
    const ms = Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!;
    if (ms > TIME_HORIZON_MS) throw new UsageError(`${flag}: "${text}" is more than ${TIME_HORIZON_YEARS} years`);
    return now + ms;
  }
  const parsed = parseDateText(trimmed);
  if (parsed && !parsed.ok) throw new UsageError(`${flag}: ${parsed.message}`);
  if (parsed?.ok) {
    if (parsed.ms > latestTime(now)) throw new UsageError(`${flag}: "${text}" is more than ${TIME_HORIZON_YEARS} years from now`);
    if (parsed.ms < 0) throw new UsageError(`${flag}: "${text}" is before 1970`);
    return parsed.ms;
  }
  throw new UsageError(`${flag}: "${text}" is not a date (2027-01-31, 2027-01-31T12:00Z) or a duration (30m, 12h, 7d, 2w)`);
}

export function parsePositiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag}: "${text}" is not a positive whole number`);
  return Number(text);
}

/** Commander collector for repeatable flags. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
