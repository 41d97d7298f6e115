import { parseEnv as nodeParseEnv } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  buildCredentialDocument,
  CredentialFileFormatError,
  detectFormat,
  envValue,
  EnvValueError,
  NO_SECRET_NOTE,
  parseCredentialDocument,
  renderCredentialFile,
  type CredentialFileFacts,
} from '../../electron/credentials/credential-file-format.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIQ\nAbCd+/==\n-----END CERTIFICATE-----\n';
const facts: CredentialFileFacts = {
  name: 'CRM Sync',
  clientId: 'keyrack-crm-sync',
  secret: 'q2Zb4H0-Xn5m_Jd0E2kWb7xXvB1pPq9d8sYzLr3TtUo',
  issuer: 'https://keyrack.office.test:8443',
  tokenEndpoint: 'https://keyrack.office.test:8443/oauth2/token',
  scopes: ['mail:send', 'properties:read'],
  mailboxes: ['info@example.com', 'sales@example.com'],
  caCertificate: CA,
  createdAt: Date.UTC(2026, 0, 15, 9, 0, 0),
  expiresAt: Date.UTC(2027, 0, 31),
};

describe('credential file document', () => {
  test('has the documented fields, with the secret', () => {
    expect(buildCredentialDocument(facts)).toEqual({
      type: 'keyrack_api_user',
      version: 1,
      name: 'CRM Sync',
      client_id: 'keyrack-crm-sync',
      client_secret: facts.secret,
      issuer: facts.issuer,
      token_endpoint: facts.tokenEndpoint,
      scopes: ['mail:send', 'properties:read'],
      mailboxes: ['info@example.com', 'sales@example.com'],
      ca_certificate: CA,
      created_at: '2026-01-15T09:00:00.000Z',
      expires_at: '2027-01-31T00:00:00.000Z',
    });
  });

  test('without a secret it says so in a note, and without Keyrack\'s CA it has no certificate', () => {
    const doc = buildCredentialDocument({ ...facts, secret: null, caCertificate: null, expiresAt: null });
    expect(doc).not.toHaveProperty('client_secret');
    expect(doc).not.toHaveProperty('ca_certificate');
    expect(doc.note).toBe(NO_SECRET_NOTE);
    expect(doc.expires_at).toBeNull();
  });

  test.each<['json' | 'env', CredentialFileFacts]>([
    ['json', facts],
    ['env', facts],
    ['json', { ...facts, secret: null, caCertificate: null, expiresAt: null, scopes: [], mailboxes: [] }],
    ['env', { ...facts, secret: null, caCertificate: null, expiresAt: null, scopes: [], mailboxes: [] }],
    ['env', { ...facts, name: 'O\'Brien "North" #1 $HOME' }],
  ])('round trip through %s', (format, f) => {
    const doc = buildCredentialDocument(f);
    const text = renderCredentialFile(doc, format);
    expect(detectFormat(text)).toBe(format);
    const back = parseCredentialDocument(text, format);
    if (format === 'env' && f.name.includes('"')) {
      // A name no .env quoting carries portably is only in the comment; the client id stands in for it.
      expect(back).toEqual({ ...doc, name: doc.client_id });
      expect(text).toContain(`# Keyrack credentials of API user ${f.name}`);
    } else {
      expect(back).toEqual(doc);
    }
  });
});

describe('.env rendering', () => {
  test('reads back the same in Node\'s own .env parser', () => {
    const text = renderCredentialFile(buildCredentialDocument(facts), 'env');
    expect(nodeParseEnv(text)).toEqual({
      KEYRACK_NAME: 'CRM Sync',
      KEYRACK_CLIENT_ID: 'keyrack-crm-sync',
      KEYRACK_CLIENT_SECRET: facts.secret,
      KEYRACK_ISSUER: facts.issuer,
      KEYRACK_TOKEN_ENDPOINT: facts.tokenEndpoint,
      KEYRACK_SCOPES: 'mail:send properties:read',
      KEYRACK_MAILBOXES: 'info@example.com sales@example.com',
      KEYRACK_CA_CERTIFICATE: CA,
      KEYRACK_CREATED_AT: '2026-01-15T09:00:00.000Z',
      KEYRACK_EXPIRES_AT: '2027-01-31T00:00:00.000Z',
    });
  });

  test('says in a comment when the secret is not in the file', () => {
    const text = renderCredentialFile(buildCredentialDocument({ ...facts, secret: null }), 'env');
    expect(text).not.toContain('KEYRACK_CLIENT_SECRET=');
    expect(text).toContain(`# ${NO_SECRET_NOTE}`);
  });

  test.each([
    ['keyrack-crm', 'keyrack-crm'],
    ['https://[fd00::2]:8443/oauth2/token', "'https://[fd00::2]:8443/oauth2/token'"],
    ['a b#c', "'a b#c'"],
    ["o'brien@example.com", '"o\'brien@example.com"'],
    ['line1\nline2', '"line1\\nline2"'],
    ['', ''],
  ])('quotes %j as %s', (value, written) => {
    expect(envValue(value)).toBe(written);
    expect(nodeParseEnv(`X=${written}\n`).X ?? '').toBe(value);
  });

  test.each([["it's \"both\""], ["a'b\\c"], ["o'$HOME"], ['multi\nline "quoted"']])('refuses %j, which no quoting carries portably', (value) => {
    expect(() => envValue(value)).toThrow(EnvValueError);
  });

  test('a mailbox that cannot be written fails the .env rendering with a hint to use JSON', () => {
    const doc = buildCredentialDocument({ ...facts, mailboxes: ["o'$x@example.com"] });
    expect(() => renderCredentialFile(doc, 'env')).toThrow(/export as JSON instead/);
    expect(() => renderCredentialFile(doc, 'json')).not.toThrow();
  });
});

describe('reading files back', () => {
  test.each([
    ['not JSON', '{ nope', 'json', /does not parse/],
    ['another type', JSON.stringify({ ...buildCredentialDocument(facts), type: 'other' }), 'json', /type/],
    ['a later version', JSON.stringify({ ...buildCredentialDocument(facts), version: 2 }), 'json', /version/],
    ['a missing client id', 'KEYRACK_ISSUER=x\n', 'env', /client_id/],
    ['a broken line', 'KEYRACK_CLIENT_ID keyrack-x\n', 'env', /line 1 is not NAME=value/],
    ['an open quote', "KEYRACK_CLIENT_ID='keyrack-x\n", 'env', /quote is not closed/],
  ] as const)('refuses %s', (_what, text, format, message) => {
    expect(() => parseCredentialDocument(text, format)).toThrow(CredentialFileFormatError);
    expect(() => parseCredentialDocument(text, format)).toThrow(message);
  });

  test('error messages never repeat a value from the file', () => {
    const doc = { ...buildCredentialDocument(facts), created_at: 'yesterday' };
    const error = (() => {
      try {
        parseCredentialDocument(JSON.stringify(doc), 'json');
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.message).toMatch(/created_at/);
    expect(error.message).not.toContain(facts.secret!);
  });
});
