import { i18n } from '../i18n/i18n.js';

/**
 * The built-in Administrators group and keyrack resource come with English descriptions from the store's first
 * migration (electron/db/migrations/0010-initial.ts). While a description is still that seed, it shows in the
 * person's language; one an administrator wrote shows as written.
 */
const SEEDED: Record<string, 'administrators' | 'keyrack'> = {
  'Full control of Keyrack. Cannot lose its last active member.': 'administrators',
  'Keyrack itself': 'keyrack',
};

export function builtInDescription(item: { builtin: boolean; description: string }): string {
  const seeded = item.builtin ? SEEDED[item.description] : undefined;
  return seeded ? i18n.t(`common:builtInDescription.${seeded}`) : item.description;
}
