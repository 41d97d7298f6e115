import { de } from './de/index.js';
import { en } from './en/index.js';

/** Every catalogue, by language and namespace (one namespace per feature). */
export const resources = { en, de } as const;
