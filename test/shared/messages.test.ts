import { describe, expect, test } from 'vitest';
import { FIELD_LABELS, MESSAGES, MONTH_NAMES, message, readMessage, type MessageKey } from '../../shared/messages.js';
import { parseAllowlistEntry } from '../../shared/allowlist.js';
import { createApiUserInput, setupInput } from '../../shared/schemas.js';
import { parseDateText } from '../../shared/time.js';
import { fieldErrors } from '../../shared/validate.js';

/** A plausible value for each variable a template names. */
const SAMPLE: Record<string, string | number> = {
  label: 'Group name',
  monthName: 'February',
  max: 64,
  min: 12,
  years: 100,
  month: 13,
  year: 2027,
  days: 28,
  prefix: 24,
  text: '10.0.0.1/8',
  date: '2027-02-30',
  zone: '+25:00',
  codePoint: 'U+202E',
  choices: '1, 5, 15, 30, 60',
  providers: 'AWS, GOOGLE',
  family: 'IPv4',
  network: '10.0.0.0',
};
const valuesOf = (key: MessageKey) =>
  Object.fromEntries([...MESSAGES[key].matchAll(/\{\{(\w+)\}\}/g)].map(([, name]) => [name!, SAMPLE[name!]]));

describe('the shared messages keep their English and carry a key the renderer reads back', () => {
  test.each(Object.keys(MESSAGES) as MessageKey[])('%s', (key) => {
    const values = valuesOf(key);
    const text = (message as (k: MessageKey, v: object) => string)(key, values);
    expect(text).not.toMatch(/\{\{|undefined/);
    const read = readMessage(text);
    expect(read?.key).toBe(key);
    const expected = Object.fromEntries(Object.entries(values).map(([n, v]) => [n, n === 'label' ? 'groupName' : String(v)]));
    expect(read?.values).toEqual(expected);
  });

  test('every label and month reads back, so each can be translated', () => {
    for (const [labelKey, label] of Object.entries(FIELD_LABELS)) expect(readMessage(`${label} is required`)).toEqual({ key: 'required', values: { label: labelKey } });
    for (const month of MONTH_NAMES) expect(readMessage(`2027-02-31 is not a date: ${month} 2027 has 28 days`)?.values.monthName).toBe(month);
  });

  test('the schemas, the parsers and the CLI say exactly what they said before', () => {
    const refused = createApiUserInput.safeParse({ name: 'x'.repeat(65), email: 'no', allowlist: ['10.0.0.1/8'] });
    expect(refused.success).toBe(false);
    expect(fieldErrors(refused.error!)).toEqual({
      name: 'Name can be at most 64 characters',
      email: 'Enter a valid email address, like name@example.com',
      'allowlist.0': '10.0.0.1/8 has host bits set: did you mean 10.0.0.0/8?',
    });
    expect(fieldErrors(setupInput.safeParse({ name: 'a', password: 'short' }).error!)).toEqual({ password: 'Password must be at least 12 characters' });
    expect(parseDateText('2027-02-30')).toEqual({ ok: false, message: '2027-02-30 is not a date: February 2027 has 28 days' });
    expect(parseAllowlistEntry('')).toEqual({ ok: false, message: 'Enter an address, a CIDR range or a provider word' });
  });

  test('a text no message() wrote is not taken for one', () => {
    expect(readMessage('Wrong name or password')).toBeNull();
    expect(readMessage('Nickname is required')).toBeNull();
  });
});
