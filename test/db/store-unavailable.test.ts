import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { StoreUnavailableError } from '../../electron/db/store.js';
import { asUnavailable, withinDeadline } from '../../electron/db/store-postgres.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('which failures mean the store cannot be reached (the token server answers 503 for them)', () => {
  test.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', withCode('ECONNRESET')],
    ['no route', withCode('EHOSTUNREACH')],
    ['SQLSTATE 08006 connection failure', withCode('08006')],
    ['SQLSTATE 57P01 admin shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['SQLSTATE 57P03 cannot connect now', withCode('57P03', 'the database system is starting up')],
    ['SQLSTATE 53300 too many connections', withCode('53300')],
    ['the socket ended under a query', new Error('Connection terminated unexpectedly')],
    ['no connection within the pool\'s timeout', new Error('timeout exceeded when trying to connect')],
  ])('%s', (_name, error) => {
    const translated = asUnavailable(error);
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect((translated as Error).cause).toBe(error);
  });

  test.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', withCode('42601')],
    ['a serialization failure', withCode('40001')],
    ['a plain error', new Error('no active signing key')],
  ])('%s is the statement\'s own failure and passes unchanged', (_name, error) => {
    expect(asUnavailable(error)).toBe(error);
  });
});

describe('withinDeadline', () => {
  test('a statement that never answers fails after the deadline; what arrives late is handed back', async () => {
    let arrive!: (value: string) => void;
    const late: string[] = [];
    const started = performance.now();
    const pending = withinDeadline(new Promise<string>((resolve) => (arrive = resolve)), 50, (value) => late.push(value));
    await expect(pending).rejects.toThrow(new StoreUnavailableError('no answer within 50 ms'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    arrive('connection');
    await sleep(0);
    expect(late).toEqual(['connection']);
  });

  test('an answer in time passes; a failure in time is translated; no deadline only translates', async () => {
    await expect(withinDeadline(Promise.resolve(7), 1_000)).resolves.toBe(7);
    await expect(withinDeadline(Promise.reject(withCode('ECONNREFUSED')), 1_000)).rejects.toBeInstanceOf(StoreUnavailableError);
    const own = withCode('23505');
    await expect(withinDeadline(Promise.reject(own), undefined)).rejects.toBe(own);
  });
});
