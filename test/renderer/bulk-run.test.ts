import { describe, expect, test } from 'vitest';
import { runForEach } from '../../renderer/features/users/bulk-run.js';

const users = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
  { id: 3, name: 'Linus' },
];

describe('runForEach', () => {
  test('a refused user is reported and the rest still run, in order, one at a time', async () => {
    const calls: number[] = [];
    let running = 0;
    const progress: [number, number][] = [];
    const outcome = await runForEach(
      users,
      async (u) => {
        running++;
        expect(running).toBe(1);
        calls.push(u.id);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        if (u.id === 2) throw new Error('The last active administrator cannot be disabled');
      },
      (done, total) => progress.push([done, total]),
    );
    expect(calls).toEqual([1, 2, 3]);
    expect(outcome.succeeded.map((u) => u.name)).toEqual(['Ada', 'Linus']);
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]!.target.name).toBe('Grace');
    expect((outcome.failed[0]!.error as Error).message).toMatch(/last active administrator/);
    expect(progress).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  test('nothing selected: nothing is called', async () => {
    const outcome = await runForEach([], () => Promise.reject(new Error('called')));
    expect(outcome).toEqual({ succeeded: [], failed: [] });
  });
});
