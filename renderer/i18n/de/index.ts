import type { Translation } from '../types.js';
import type { en } from '../en/index.js';

/** Placeholder while the German catalogue is written: the English one. */
export const de: Translation<typeof en> = {} as Translation<typeof en>;
