import type { TokenServerStatus } from '../../../shared/token-server.dto.js';

export type ListenNote =
  | { key: 'portFixed' | 'portPending'; values: { configured: number; port: number } }
  | { key: 'hostFixed'; values: { host: string } }
  | { key: 'lanPending'; values: Record<string, never> };

/**
 * Where the running server differs from its settings, and why (issue 13: the Port field said 8443 while the
 * server listened elsewhere). Either the host was started with a fixed address or port, which every restart
 * keeps (`status.overrides`), or the settings changed after the start (by the CLI, or on another node), which
 * the next start applies.
 */
export function listenNotes(status: Pick<TokenServerStatus, 'listening' | 'settings' | 'overrides' | 'reach'>): ListenNote[] {
  const { listening, settings, overrides } = status;
  if (!listening) return [];
  const notes: ListenNote[] = [];
  if (listening.port !== settings.port) {
    notes.push({ key: overrides.port !== null ? 'portFixed' : 'portPending', values: { configured: settings.port, port: listening.port } });
  }
  const reachesLan = status.reach === 'network';
  if (settings.lanAccess && !reachesLan) {
    notes.push(overrides.host !== null ? { key: 'hostFixed', values: { host: listening.host } } : { key: 'lanPending', values: {} });
  } else if (!settings.lanAccess && reachesLan && overrides.host === null) {
    notes.push({ key: 'lanPending', values: {} });
  }
  return notes;
}
