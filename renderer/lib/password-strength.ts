/**
 * A hint, not a rule (main enforces only the length): how hard a password would be to guess, judged by
 * length and variety, with the common weak patterns (one repeated character, a keyboard run, a year) marked down.
 * `label` and `advice` are keys of the app catalogue's `strength` (PasswordStrengthHint shows their words).
 */
export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  label: 'empty' | 'tooWeak' | 'weak' | 'fair' | 'strong' | 'veryStrong';
  color: string;
  advice: 'minLength' | 'useMinLength' | 'avoidRuns' | 'longer' | 'mix' | null;
}

const WEAK_PATTERNS = [/^(.)\1+$/, /(0123|1234|2345|3456|4567|5678|6789|abcd|qwer|asdf|zxcv)/i, /password|keyrack|admin|letmein/i];

export function passwordStrength(password: string): Strength {
  if (password.length === 0) return { score: 0, label: 'empty', color: 'gray', advice: 'minLength' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  let points = 0;
  if (password.length >= 12) points++;
  if (password.length >= 16) points++;
  if (password.length >= 20) points++;
  if (classes >= 3) points++;
  if (WEAK_PATTERNS.some((re) => re.test(password))) points = Math.max(0, points - 2);
  if (password.length < 12) points = 0;
  const score = Math.min(4, points) as Strength['score'];
  const table: Record<Strength['score'], Omit<Strength, 'score'>> = {
    0: { label: 'tooWeak', color: 'red', advice: password.length < 12 ? 'useMinLength' : 'avoidRuns' },
    1: { label: 'weak', color: 'orange', advice: 'longer' },
    2: { label: 'fair', color: 'yellow', advice: 'mix' },
    3: { label: 'strong', color: 'teal', advice: null },
    4: { label: 'veryStrong', color: 'green', advice: null },
  };
  return { score, ...table[score] };
}
