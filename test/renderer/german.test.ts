import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError } from '../../renderer/api/call.js';
import { eventTypeLabel, reasonLabel } from '../../renderer/features/log/event-labels.js';
import { describeDue } from '../../renderer/features/log/retention-model.js';
import { chartRows, expiryText } from '../../renderer/features/overview/overview-model.js';
import { i18n } from '../../renderer/i18n/i18n.js';
import { systemLanguage } from '../../renderer/i18n/language.js';
import { errorText, fieldMessage } from '../../renderer/lib/error-text.js';
import { formatCount, formatTime, strictDateInput } from '../../renderer/lib/format.js';

test('the language follows the system: German for any de-*, ahead of English; else English', () => {
  expect(systemLanguage(['de-AT', 'en-US'])).toBe('de');
  expect(systemLanguage(['fr-FR', 'de-CH'])).toBe('de');
  expect(systemLanguage(['en-US', 'de-DE'])).toBe('en');
  expect(systemLanguage(['fr-FR'])).toBe('en');
  expect(systemLanguage([])).toBe('en');
});

describe('in German', () => {
  beforeAll(() => i18n.changeLanguage('de'));
  afterAll(() => i18n.changeLanguage('en'));

  const at = new Date(2026, 11, 5, 14, 3).getTime();

  test('times, counts and typed days as German offices write them', () => {
    expect(formatTime(at)).toBe('05.12.2026 14:03');
    expect(formatCount(1_234_567)).toBe('1.234.567');
    const input = strictDateInput();
    expect(input.valueFormat).toBe('DD.MM.YYYY');
    expect(input.dateParser('05.03.2027')).toBe('2027-03-05');
    expect(input.dateParser('5.3.2027')).toBe('2027-03-05');
    expect(input.dateParser('2027-03-05')).toBe('2027-03-05');
    expect(input.dateParser('30.02.2027')).toBeNull();
  });

  test('plurals and the chart’s labels', () => {
    expect(expiryText({ daysLeft: 1 })).toBe('morgen');
    expect(expiryText({ daysLeft: 9 })).toBe('in 9 Tagen');
    expect(describeDue(30, { before: at, events: 1 })).toBe('1 Ereignis ist älter als 30 Tage (vor 05.12.2026 14:03).');
    expect(describeDue(30, { before: at, events: 1234 })).toBe('1.234 Ereignisse sind älter als 30 Tage (vor 05.12.2026 14:03).');
    expect(describeDue(30, { before: at, events: 0 })).toBe('Kein Ereignis ist älter als 30 Tage (vor 05.12.2026 14:03).');
    expect(chartRows([{ at: Date.UTC(2026, 10, 21), issued: 1, denied: 0 }], 'day')[0]!.label).toBe('21. Nov.');
  });

  test('the log’s codes in words; an unknown reason stays recognisable', () => {
    expect(eventTypeLabel('user.created')).toBe('Benutzer angelegt');
    expect(eventTypeLabel('token.denied')).toBe('Token abgelehnt');
    expect(reasonLabel('address_not_allowed')).toBe('Adresse nicht in der Zugriffsliste');
    expect(reasonLabel('some_new_reason')).toBe('some new reason');
  });

  test('a message of the shared schemas, by its key, with the field’s German name', () => {
    expect(fieldMessage('Name can be at most 64 characters')).toBe('Name darf höchstens 64 Zeichen lang sein');
    expect(fieldMessage('Group name is required')).toBe('Gruppenname ist ein Pflichtfeld');
    expect(fieldMessage('2027-02-30 is not a date: February 2027 has 28 days')).toBe('2027-02-30 ist kein Datum: Der Februar 2027 hat 28 Tage');
    expect(fieldMessage('10.0.0.1/8 has host bits set: did you mean 10.0.0.0/8?')).toBe('10.0.0.1/8 hat gesetzte Host-Bits: Meinten Sie 10.0.0.0/8?');
  });

  test('an error from the core: its message when known, its field’s message, else a sentence for its code', () => {
    expect(errorText(new ApiError({ code: 'forbidden', message: 'You need permission to manage users to do this.' }))).toBe(
      'Dafür brauchen Sie die Berechtigung, Benutzer zu verwalten.',
    );
    expect(errorText(new ApiError({ code: 'unauthenticated', message: 'Wrong name or password' }))).toBe('Name oder Passwort ist falsch');
    expect(
      errorText(new ApiError({ code: 'validation', message: 'name: Name is required', fields: { name: 'Name is required' } })),
    ).toBe('Name ist ein Pflichtfeld');
    expect(errorText(new ApiError({ code: 'conflict', message: 'Something the renderer has never seen' }))).toBe(
      'Das geht im jetzigen Zustand nicht: Ein Name ist vielleicht vergeben, oder etwas ist eingebaut oder schon erledigt.',
    );
    expect(errorText(new Error('boom'))).toMatch(/^Etwas Unerwartetes/);
  });
});

test('in English the core’s own words show, as they always have', () => {
  const message = 'An account named bob already exists';
  expect(errorText(new ApiError({ code: 'conflict', message }))).toBe(message);
  expect(fieldMessage('Name can be at most 64 characters')).toBe('Name can be at most 64 characters');
});
