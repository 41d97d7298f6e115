import { expect, type Locator } from '@playwright/test';

/**
 * The message shows next to the field: the input is marked invalid and its accessible description (what a
 * screen reader reads with it: Mantine links the error element through aria-describedby) carries the
 * message. Mantine's PasswordInput marks its inner input with data-invalid only, so either attribute counts.
 */
export async function expectFieldError(field: Locator, message: string | RegExp): Promise<void> {
  await expect.poll(() => field.evaluate((el) => el.getAttribute('aria-invalid') === 'true' || el.hasAttribute('data-invalid'))).toBe(true);
  await expect(field).toHaveAccessibleDescription(typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
