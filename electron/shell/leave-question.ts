/**
 * The desktop window's question when it is closed or reloaded while a form holds unsaved changes. The
 * renderer's beforeunload handler (renderer/app/router.tsx) only says "there are changes"; Electron then
 * cancels the close without a word unless main asks ('will-prevent-unload'), so main asks with this.
 *
 * In the system's language, by the renderer's first-start rule (docs/languages.md): German for any `de-*`,
 * else English. Main cannot read the language chosen in the app's menu synchronously while the close waits.
 */
export interface LeaveQuestion {
  title: string;
  message: string;
  detail: string;
  /** [stay, leave]: staying is the default and what Escape does. */
  buttons: [string, string];
}

/** The index of the "leave" button in `buttons`. */
export const LEAVE_BUTTON = 1;

const QUESTIONS: Record<'en' | 'de', LeaveQuestion> = {
  en: {
    title: 'Keyrack',
    message: 'Leave without saving?',
    detail: 'Your changes on this page are not saved yet. If you leave now, they are lost.',
    buttons: ['Stay and keep editing', 'Leave and discard changes'],
  },
  de: {
    title: 'Keyrack',
    message: 'Seite ohne Speichern verlassen?',
    detail: 'Ihre Änderungen auf dieser Seite sind noch nicht gespeichert. Wenn Sie die Seite jetzt verlassen, gehen sie verloren.',
    buttons: ['Bleiben und weiter bearbeiten', 'Verlassen und Änderungen verwerfen'],
  },
};

/** The question for the system's preferred languages (Electron's app.getPreferredSystemLanguages()). */
export function leaveQuestionFor(preferred: readonly string[]): LeaveQuestion {
  const first = preferred.find((tag) => /^(de|en)\b/i.test(tag));
  return QUESTIONS[first?.toLowerCase().startsWith('de') ? 'de' : 'en'];
}
