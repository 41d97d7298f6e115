/**
 * Which language the app speaks: the person's own choice (the switch in the account menu) when there is one,
 * else the first of the system's preferred languages that Keyrack speaks. In the desktop app the window's
 * `navigator.languages` follows the operating system; through the web bridge it is the browser's.
 */
export const LANGUAGES = ['en', 'de'] as const;

/** The product's name: the same in every language, so it is no catalogue's word. */
export const PRODUCT_NAME = 'Keyrack';
export type Language = (typeof LANGUAGES)[number];

/** Kept per machine, like the colour scheme and the idle lock (lib/idle-lock.ts). */
const STORAGE_KEY = 'keyrack.language';

const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

/** `de-AT` → `de`; null for a language Keyrack does not speak. */
export function languageOf(tag: string): Language | null {
  const primary = tag.toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : null;
}

/** German for any `de-*` ahead of English in the system's list, else English. */
export function systemLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return 'en';
}

/** Local storage, when this page has it (it does in the app and the browser; a unit test has none). */
const storage = (): Storage | null => (typeof window === 'undefined' ? null : window.localStorage);

export function storedLanguage(): Language | null {
  const stored = storage()?.getItem(STORAGE_KEY);
  return isLanguage(stored) ? stored : null;
}

export function storeLanguage(language: Language): void {
  storage()?.setItem(STORAGE_KEY, language);
}

/**
 * The language to start in. Outside a page (the unit tests, in Node, whose `navigator` follows the machine's
 * locale) always English, so a test does not change its words with the machine it runs on.
 */
export function initialLanguage(): Language {
  if (typeof window === 'undefined') return 'en';
  return storedLanguage() ?? systemLanguage(navigator.languages.length ? navigator.languages : [navigator.language]);
}
