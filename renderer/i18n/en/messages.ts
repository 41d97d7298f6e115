import { FIELD_LABELS, MESSAGES } from '../../../shared/messages.js';

/**
 * The shared schemas' messages about a value (shared/messages.ts is their English, used as it is) and the
 * field names they start with. lib/error-text.ts reads a message back to its key and shows these words.
 */
export const messages = { ...MESSAGES, labels: FIELD_LABELS } as const;
