import { describe, expect, test } from 'vitest';
import { LEAVE_BUTTON, leaveQuestionFor } from '../../electron/shell/leave-question.js';

describe('the desktop window asks before discarding changes', () => {
  test('in German for a German system, in English otherwise', () => {
    expect(leaveQuestionFor(['de-DE', 'en-US']).message).toBe('Seite ohne Speichern verlassen?');
    expect(leaveQuestionFor(['fr-FR', 'de-AT']).message).toBe('Seite ohne Speichern verlassen?');
    expect(leaveQuestionFor(['en-GB', 'de-DE']).message).toBe('Leave without saving?');
    expect(leaveQuestionFor(['fr-FR']).message).toBe('Leave without saving?');
    expect(leaveQuestionFor([]).message).toBe('Leave without saving?');
  });

  test('staying comes first (the default), leaving is the button main acts on', () => {
    expect(LEAVE_BUTTON).toBe(1);
    expect(leaveQuestionFor(['de']).buttons[LEAVE_BUTTON]).toMatch(/verwerfen/);
    expect(leaveQuestionFor(['en']).buttons[LEAVE_BUTTON]).toMatch(/discard/);
  });
});
