import { describe, expect, test } from 'vitest';
import type { Core } from '../../electron/core.js';
import type { KeyWrapper } from '../../electron/crypto/key-wrap.js';
import {
  startBackgroundServices,
  type BackgroundContext,
  type BackgroundService,
} from '../../electron/shell/background-services.js';
import { orderlyShutdown } from '../../electron/shell/shutdown.js';
import { focusExistingWindow } from '../../electron/shell/single-instance.js';

function context(events: string[]): BackgroundContext {
  return {
    core: {} as Core,
    keyWrapper: { description: 'test', wrap: (b) => b, unwrap: (b) => b } as KeyWrapper,
    log: (message) => events.push(`log: ${message}`),
  };
}

const service = (name: string, events: string[], failStart = false, failStop = false): BackgroundService => ({
  name,
  async start() {
    if (failStart) throw new Error(`port 8443 is in use`);
    events.push(`start ${name}`);
    return {
      async stop() {
        if (failStop) throw new Error('drain timed out');
        events.push(`stop ${name}`);
      },
    };
  },
});

describe('background services', () => {
  test('start in order, stop in reverse order, once', async () => {
    const events: string[] = [];
    const running = await startBackgroundServices([service('a', events), service('b', events)], context(events));
    expect(running.names).toEqual(['a', 'b']);
    await Promise.all([running.stop(), running.stop()]);
    await running.stop();
    expect(events.filter((e) => !e.startsWith('log'))).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  test('one that fails to start is logged and skipped; one that fails to stop does not stop the others', async () => {
    const events: string[] = [];
    const running = await startBackgroundServices(
      [service('a', events, false, true), service('token server', events, true), service('c', events)],
      context(events),
    );
    expect(running.names).toEqual(['a', 'c']);
    expect(events).toContain('log: token server did not start: port 8443 is in use');
    await expect(running.stop()).resolves.toBeUndefined();
    expect(events).toContain('stop c');
    expect(events).toContain('log: a did not stop cleanly: drain timed out');
  });
});

describe('orderly shutdown', () => {
  test('services, then IPC, then the store; once, however often quit is asked', async () => {
    const events: string[] = [];
    const shutdown = orderlyShutdown({
      services: { stop: async () => void events.push('services') },
      unregisterIpc: () => events.push('ipc'),
      closeCore: () => events.push('store'),
      log: () => undefined,
    });
    await Promise.all([shutdown(), shutdown()]);
    await shutdown();
    expect(events).toEqual(['services', 'ipc', 'store']);
  });

  test('the store is closed even when an earlier step fails, and the failure is logged', async () => {
    const events: string[] = [];
    const shutdown = orderlyShutdown({
      services: { stop: () => Promise.reject(new Error('token server hung')) },
      unregisterIpc: () => {
        throw new Error('already removed');
      },
      closeCore: () => events.push('store'),
      log: (m) => events.push(m),
    });
    await expect(shutdown()).resolves.toBeUndefined();
    expect(events).toEqual([
      'stopping background services failed: token server hung',
      'removing the IPC handler failed: already removed',
      'store',
    ]);
  });
});

describe('single instance', () => {
  const fakeWindow = (minimized: boolean, destroyed = false) => {
    const calls: string[] = [];
    return {
      calls,
      isDestroyed: () => destroyed,
      isMinimized: () => minimized,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    };
  };

  test('a second launch brings the existing window forward', () => {
    const minimized = fakeWindow(true);
    expect(focusExistingWindow(minimized)).toBe(true);
    expect(minimized.calls).toEqual(['restore', 'show', 'focus']);
    const visible = fakeWindow(false);
    expect(focusExistingWindow(visible)).toBe(true);
    expect(visible.calls).toEqual(['show', 'focus']);
  });

  test('with no live window, says so (main opens one)', () => {
    expect(focusExistingWindow(null)).toBe(false);
    const gone = fakeWindow(false, true);
    expect(focusExistingWindow(gone)).toBe(false);
    expect(gone.calls).toEqual([]);
  });
});
