import { describe, expect, test } from 'vitest';
import { lazyPage, preloadPages } from '../../renderer/app/lazy-page.js';

const Page = () => null;

describe('lazy pages', () => {
  test('load once, whether preloaded or shown first', async () => {
    let loads = 0;
    const page = lazyPage(() => {
      loads++;
      return Promise.resolve(Page);
    });
    expect(loads).toBe(0);
    preloadPages();
    preloadPages();
    expect(await page.preload()).toBe(Page);
    expect(loads).toBe(1);
  });

  test('a failed load is tried again on the next visit instead of failing for good', async () => {
    let attempts = 0;
    const page = lazyPage(() => (++attempts === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(Page)));
    await expect(page.preload()).rejects.toThrow('offline');
    expect(await page.preload()).toBe(Page);
    expect(attempts).toBe(2);
  });
});
