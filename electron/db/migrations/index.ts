import type { Migration } from '../migrate.js';
import { initial } from './0010-initial.js';

/** Every migration, in order. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [initial];
