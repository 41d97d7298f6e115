import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/de';
import { initialLanguage, storeLanguage, type Language } from './language.js';
import { resources } from './resources.js';
import './types.js';

/**
 * The app's one i18next instance. The catalogues are bundled (renderer/i18n/en, de): the app runs offline
 * and under a CSP that allows no fetch of them. Components take words from `useTranslation`; plain modules
 * that make words (the log's labels, the overview's phrases) take them from `i18n.t`.
 */
export const i18n: I18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'de'],
  defaultNS: 'common',
  ns: Object.keys(resources.en),
  // The catalogues are here already: initialise now, so the first render has its words.
  initAsync: false,
  // React escapes what it renders; i18next escaping too would show a name like "R&D" as "R&amp;D".
  interpolation: { escapeValue: false },
  returnNull: false,
  // A key the code asks for and no catalogue has is a bug: it shows as an error in the console, which the
  // browser journeys treat as a failure (test/e2e/support/page-guards.ts).
  saveMissing: true,
  missingKeyHandler: (languages, namespace, key) => console.error(`Missing translation: ${namespace}:${key} (${languages.join(', ')})`),
});

/** The language the app speaks now. */
export const currentLanguage = (): Language => (i18n.resolvedLanguage === 'de' ? 'de' : 'en');

/** The switch in the account menu: the whole UI changes at once, and the choice is remembered. */
export function setLanguage(language: Language): void {
  storeLanguage(language);
  void i18n.changeLanguage(language);
}

/** Everything outside React that follows the language: dayjs (the date pickers' month and day names) and `<html lang>`. */
function follow(language: string): void {
  dayjs.locale(language === 'de' ? 'de' : 'en');
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
follow(currentLanguage());
i18n.on('languageChanged', () => follow(currentLanguage()));
