import { describe, expect, test } from 'vitest';
import { listenNotes } from '../../renderer/features/server/listen-notes.js';
import type { TokenServerStatus } from '../../shared/token-server.dto.js';

/**
 * Issue 13 item 7c: the Port field said 8443 while the server listened elsewhere. The Token server page says
 * both, and why they differ: fixed when the host was made (a restart keeps it), or changed since the start.
 */
const SETTINGS = { port: 8443, lanAccess: false } as TokenServerStatus['settings'];
const status = (over: Partial<Pick<TokenServerStatus, 'listening' | 'settings' | 'overrides' | 'reach'>>) => ({
  listening: { host: '127.0.0.1', port: 8443 },
  settings: SETTINGS,
  overrides: { host: null, port: null },
  reach: 'this-computer' as const,
  ...over,
});

describe('listenNotes', () => {
  test('stopped, or listening as configured: nothing to say', () => {
    expect(listenNotes(status({ listening: null, reach: null }))).toEqual([]);
    expect(listenNotes(status({}))).toEqual([]);
  });

  test('a port fixed at start (keyrack serve --port, the web bridge): both ports, and that a restart keeps it', () => {
    expect(listenNotes(status({ listening: { host: '127.0.0.1', port: 53127 }, overrides: { host: '127.0.0.1', port: 0 } }))).toEqual([
      { key: 'portFixed', values: { configured: 8443, port: 53127 } },
    ]);
  });

  test('the setting changed after the start (the CLI beside the app): both ports, and that a restart applies it', () => {
    expect(listenNotes(status({ listening: { host: '127.0.0.1', port: 9443 } }))).toEqual([
      { key: 'portPending', values: { configured: 8443, port: 9443 } },
    ]);
  });

  test('LAN access on while the server answers on loopback: fixed at start, or waiting for a restart', () => {
    const lanOn = { ...SETTINGS, lanAccess: true };
    expect(listenNotes(status({ settings: lanOn, overrides: { host: '127.0.0.1', port: null } }))).toEqual([
      { key: 'hostFixed', values: { host: '127.0.0.1' } },
    ]);
    expect(listenNotes(status({ settings: lanOn }))).toEqual([{ key: 'lanPending', values: {} }]);
    expect(listenNotes(status({ settings: lanOn, listening: { host: '0.0.0.0', port: 8443 }, reach: 'network' }))).toEqual([]);
  });

  test('LAN access turned off while the server still answers the network: a restart applies it', () => {
    expect(listenNotes(status({ listening: { host: '0.0.0.0', port: 8443 }, reach: 'network' }))).toEqual([{ key: 'lanPending', values: {} }]);
  });
});
