import { takes } from './channel-spec.js';
import { emptyInput } from './schemas.js';
import type * as D from './store.dto.js';
import { chooseStoreInput } from './store.schemas.js';

/**
 * The store the app works on (issue 10): which one it opened and how it was chosen, and the choice for the
 * next start (the data folder's store.json, as `keyrack store use` writes it). The app never switches stores
 * while it runs.
 */
export const storeChannels = {
  'store.status': takes(emptyInput).returns<D.StorePageStatus>(),
  /** Connects to the store first (and creates Keyrack's tables in an empty database); writes store.json only then. */
  'store.choose': takes(chooseStoreInput).returns<D.StoreChosen>(),
} as const;
