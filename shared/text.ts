import { message, type FieldLabel } from './messages.js';

/**
 * A control character (Unicode category Cc: U+0000–U+001F and U+007F–U+009F). Names, descriptions and
 * OAuth parameters never need one, and they are how text hides line breaks, escapes and NULs from the
 * person or program reading it later.
 */
export const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Characters that change how a name looks without showing themselves: Unicode's Default_Ignorable_Code_Point
 * (zero-width space and joiners, soft hyphen, the Hangul fillers that render as blanks, variation selectors)
 * and Bidi_Control (U+202E RIGHT-TO-LEFT OVERRIDE turns `crm\u202Egnp.exe` into "crmexe.png" on screen).
 * A name is what a person checks before trusting an account, a group or a mailbox, so names refuse them;
 * free text (descriptions) keeps them, where right-to-left writing may need them.
 */
export const INVISIBLE_OR_BIDI = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/u;

/**
 * U+FFFD, what a lossy UTF-8 decoder puts where bytes were not UTF-8 (Node does it to argv, and
 * Buffer#toString to any body): a name holding one was almost certainly mangled on its way in.
 */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/** `U+202E`, to name a character that cannot be shown. */
export const codePointOf = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `value` cannot be a name, or null when it can. */
export function nameProblem(value: string, label: FieldLabel): string | null {
  const hidden = INVISIBLE_OR_BIDI.exec(value);
  if (hidden) return message('invisibleCharacters', { label, codePoint: codePointOf(hidden[0]) });
  if (value.includes(REPLACEMENT_CHARACTER)) return message('replacementCharacter', { label });
  return null;
}
