import { describe, expect, test } from 'vitest';
import { eventDetailFields, referencedIds } from '../../renderer/features/log/event-details.js';
import { detailHelp, detailLabel, eventTypeHelp } from '../../renderer/features/log/event-labels.js';
import { detailSummary } from '../../renderer/features/log/event-details-summary.js';
import { i18n } from '../../renderer/i18n/i18n.js';
import { en } from '../../renderer/i18n/en/index.js';

/** The details as the services write them (electron/services/*.ts), read as labelled fields. */
describe('eventDetailFields', () => {
  test('a settings change is one "from → to" field, under the setting it names', () => {
    expect(eventDetailFields({ setting: 'log.retentionDays', from: null, to: 90 })).toEqual([
      { key: 'setting', value: { kind: 'code', family: 'setting', code: 'log.retentionDays' } },
      { key: 'change', value: { kind: 'change', from: { kind: 'none' }, to: { kind: 'number', n: 90 } } },
    ]);
  });

  test('before/after of several settings: one change per setting, and no separate list of their names', () => {
    const fields = eventDetailFields({
      area: 'token_server',
      changed: ['tokenLifetimeSeconds', 'plainHttpOnLan'],
      before: { tokenLifetimeSeconds: 3600, plainHttpOnLan: false },
      after: { tokenLifetimeSeconds: 900, plainHttpOnLan: true },
    });
    expect(fields.map((f) => f.key)).toEqual(['area', 'change']);
    expect(fields[0]!.value).toEqual({ kind: 'code', family: 'area', code: 'token_server' });
    expect(fields[1]!.value).toEqual({
      kind: 'fields',
      fields: [
        { key: 'tokenLifetimeSeconds', value: { kind: 'change', from: { kind: 'number', n: 3600 }, to: { kind: 'number', n: 900 } } },
        { key: 'plainHttpOnLan', value: { kind: 'change', from: { kind: 'yesNo', value: false }, to: { kind: 'yesNo', value: true } } },
      ],
    });
  });

  test('times in epoch ms, JWT expiry in seconds, a missing expiry as "never"', () => {
    const fields = eventDetailFields({ secretId: 4, label: 'Nightly', expiresAt: null, graceUntil: 1_800_000_000_000, exp: 1_800_000_000 });
    expect(fields).toEqual([
      // The label the event carries names the secret; it is not repeated on its own.
      { key: 'secretId', value: { kind: 'ref', entity: 'secret', id: 4, name: 'Nightly' } },
      { key: 'expiresAt', value: { kind: 'never' } },
      { key: 'graceUntil', value: { kind: 'time', ms: 1_800_000_000_000 } },
      { key: 'exp', value: { kind: 'time', ms: 1_800_000_000_000 } },
    ]);
  });

  test('ids become references: a group with the name the event carries, lists of ids for lookup', () => {
    const fields = eventDetailFields({ groupId: 3, group: 'Accounting', scope: 'invoices:read' });
    expect(fields).toEqual([
      { key: 'groupId', value: { kind: 'ref', entity: 'group', id: 3, name: 'Accounting' } },
      { key: 'scope', value: { kind: 'text', text: 'invoices:read' } },
    ]);
    const created = eventDetailFields({ kind: 'api', clientId: 'keyrack-crm', groupIds: [2, 5], mailboxIds: [], allowlist: ['10.0.0.0/8'] });
    expect(created[0]).toEqual({ key: 'kind', value: { kind: 'userKind', userKind: 'api' } });
    expect(created[2]).toEqual({ key: 'groupIds', value: { kind: 'list', items: [2, 5].map((id) => ({ kind: 'ref', entity: 'group', id, name: null })) } });
    expect(created[3]).toEqual({ key: 'mailboxIds', value: { kind: 'list', items: [] } });
    expect(created[4]).toEqual({ key: 'allowlist', value: { kind: 'list', items: [{ kind: 'text', text: '10.0.0.0/8' }] } });
    expect(referencedIds(created, 'group')).toEqual([2, 5]);
    expect(referencedIds(fields, 'group')).toEqual([]); // named already: nothing to look up
  });

  test('a mailbox by its address (its id adds nothing), a changed address as from → to', () => {
    expect(eventDetailFields({ mailboxId: 7, address: 'new@example.com', previous: 'old@example.com' })).toEqual([
      { key: 'address', value: { kind: 'change', from: { kind: 'text', text: 'old@example.com' }, to: { kind: 'text', text: 'new@example.com' } } },
    ]);
    expect(eventDetailFields({ mailboxId: 7, address: 'same@example.com', previous: 'same@example.com' })).toEqual([
      { key: 'address', value: { kind: 'text', text: 'same@example.com' } },
    ]);
  });

  test('nested objects (the filters of a log view) keep their labels and read event types and times', () => {
    const [filters] = eventDetailFields({ filters: { type: 'token.denied', since: 1_700_000_000_000 } });
    expect(filters).toEqual({
      key: 'filters',
      value: {
        kind: 'fields',
        fields: [
          { key: 'type', value: { kind: 'eventType', type: 'token.denied' } },
          { key: 'since', value: { kind: 'time', ms: 1_700_000_000_000 } },
        ],
      },
    });
  });

  test('unknown keys still show, under their own name, with their value as text', () => {
    const fields = eventDetailFields({ somethingNew: 'x<script>', count: 3, flag: true });
    expect(fields).toEqual([
      { key: 'somethingNew', value: { kind: 'text', text: 'x<script>' } },
      { key: 'count', value: { kind: 'number', n: 3 } },
      { key: 'flag', value: { kind: 'yesNo', value: true } },
    ]);
    expect(detailLabel('somethingNew')).toBe('somethingNew');
  });
});

describe('labels and help', () => {
  // Every key the services log today (grep `details:` in electron/) has a label in the catalogue.
  const LOGGED_KEYS = [
    'setting', 'purpose', 'archive', 'firstId', 'lastId', 'removed', 'keepDays', 'permission', 'urls', 'what', 'fingerprint', 'path',
    'how', 'error', 'tls', 'provider', 'kept', 'files', 'secretId', 'label', 'expiresAt', 'oldSecretId', 'newSecretId', 'graceUntil',
    'kind', 'groupIds', 'mailboxIds', 'entries', 'allowlist', 'changed', 'clientId', 'resource', 'actions', 'filters', 'view', 'checked',
    'firstProblem', 'checkpoint', 'archives', 'format', 'file', 'fileName', 'written', 'total', 'mailboxId', 'address', 'previous',
    'users', 'kid', 'alg', 'retired', 'wrappedWith', 'groupId', 'name', 'group', 'appPermissions', 'rights', 'members', 'scope', 'jti',
    'aud', 'exp', 'method', 'active', 'tokenClientId', 'encrypted', 'containsSecret', 'containsPrivateKey', 'action', 'source', 'subject', 'caFingerprint',
    'area', 'filterIds', 'change',
  ];

  test.each(['en', 'de'] as const)('every logged key has its own label in %s', async (language) => {
    await i18n.changeLanguage(language);
    const missing = LOGGED_KEYS.filter((key) => detailLabel(key) === key);
    expect(missing).toEqual([]);
    expect(Object.keys(en.log.detail.label).sort()).toEqual(expect.arrayContaining([...LOGGED_KEYS].sort()));
  });

  test.each(['en', 'de'] as const)('technical words carry a plain explanation (%s)', async (language) => {
    await i18n.changeLanguage(language);
    for (const key of ['scope', 'aud', 'jti', 'alg', 'kid', 'method', 'issuer', 'defaultAudience', 'audiences']) expect(detailHelp(key)).toMatch(/\w{3,}/);
    expect(detailHelp('label')).toBeNull();
    expect(eventTypeHelp('token.introspected')).toMatch(/Introspe/);
    expect(eventTypeHelp('user.created')).toBeNull();
  });

  test('the one-line summary for the Activity tab, in each language', async () => {
    const details = { kind: 'api', secretId: 4, label: 'Nightly', expiresAt: null, groupIds: [2], changed: ['name'] };
    await i18n.changeLanguage('en');
    expect(detailSummary(details)).toBe('Kind: API user · Secret: “Nightly” (secret #4) · Expires: Never · Groups: Group #2 · Changed: Name');
    await i18n.changeLanguage('de');
    expect(detailSummary(details)).toBe('Art: API-Benutzer · Secret: „Nightly“ (Secret Nr. 4) · Läuft ab: Nie · Gruppen: Gruppe Nr. 2 · Geändert: Name');
    await i18n.changeLanguage('en');
  });

  // Issue 13's re-read: an office administrator reads words, not codes; the OAuth error keeps its code
  // beside the words, as the integrator's software shows it.
  test.each([
    ['en', 'Error: Client id or secret not accepted (invalid_client) · Credentials sent: In the request’s header (Basic)'],
    ['de', 'Fehler: Client-ID oder Secret nicht angenommen (invalid_client) · Zugangsdaten gesendet: Im Kopf der Anfrage (Basic)'],
  ] as const)('a refused token request in words (%s)', async (language, summary) => {
    await i18n.changeLanguage(language);
    expect(detailSummary({ error: 'invalid_client', method: 'client_secret_basic' })).toBe(summary);
    await i18n.changeLanguage('en');
  });

  test.each([
    ['en', 'Credentials sent: A signed assertion (the integration’s private key)'],
    ['de', 'Zugangsdaten gesendet: Eine signierte Assertion (der private Schlüssel der Integration)'],
  ] as const)('a key credential in words (%s)', async (language, summary) => {
    await i18n.changeLanguage(language);
    expect(detailSummary({ method: 'private_key_jwt' })).toBe(summary);
    await i18n.changeLanguage('en');
  });

  test.each([
    ['en', 'Setting: API users must have an allowlist · Change: No → Yes', 'Area: Token server settings · Change: Token lifetime (seconds): 600 → 900, LAN access: No → Yes'],
    ['de', 'Einstellung: API-Benutzer brauchen eine Zugriffsliste · Änderung: Nein → Ja', 'Bereich: Einstellungen des Token-Servers · Änderung: Token-Gültigkeit (Sekunden): 600 → 900, LAN-Zugriff: Nein → Ja'],
  ] as const)('settings changes name the setting in words (%s)', async (language, policy, server) => {
    await i18n.changeLanguage(language);
    expect(detailSummary({ setting: 'policy.requireAllowlist', from: false, to: true })).toBe(policy);
    expect(
      detailSummary({ area: 'token_server', changed: ['tokenLifetimeSeconds', 'lanAccess'], before: { tokenLifetimeSeconds: 600, lanAccess: false }, after: { tokenLifetimeSeconds: 900, lanAccess: true } }),
    ).toBe(server);
    await i18n.changeLanguage('en');
  });

  test('a code the catalogue does not know, and a download error written as a sentence, show as they are', () => {
    expect(detailSummary({ error: 'some_new_code' })).toBe('Error: some_new_code');
    expect(detailSummary({ error: 'Download failed: timeout' })).toBe('Error: Download failed: timeout');
  });
});
