/**
 * A control character (Unicode category Cc: U+0000–U+001F and U+007F–U+009F). Names, descriptions and
 * OAuth parameters never need one, and they are how text hides line breaks, escapes and NULs from the
 * person or program reading it later.
 */
export const CONTROL_CHARACTER = /\p{Cc}/u;
