import { describe, expect, test } from 'vitest';
import { loadOnce } from '../../renderer/lib/load-once.js';

/** How lazy pages load their code (renderer/app/lazy-page.ts): once, shared by the preload and the visit. */
describe('loadOnce', () => {
  test('loads once, whoever asks first', async () => {
    let loads = 0;
    const load = loadOnce(() => Promise.resolve(++loads));
    const [a, b] = await Promise.all([load(), load()]);
    expect([a, b, await load()]).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  test('a failed load is tried again on the next call instead of failing for good', async () => {
    let attempts = 0;
    const load = loadOnce(() => (++attempts === 1 ? Promise.reject(new Error('offline')) : Promise.resolve('page')));
    await expect(load()).rejects.toThrow('offline');
    expect(await load()).toBe('page');
    expect(attempts).toBe(2);
  });
});
