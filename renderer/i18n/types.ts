import type { en } from './en/index.js';

/**
 * Typed keys: `t('users:create.title')` is checked against the English catalogue, so a wrong key or a
 * missing interpolation value fails to compile (react-i18next's CustomTypeOptions).
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof en;
    returnNull: false;
  }
}

/**
 * The shape another language's catalogue must have: exactly the English keys, each a string. A missing or
 * extra key fails to compile; test/renderer/catalogues.test.ts checks the interpolation values too.
 */
export type Translation<T> = { readonly [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };
