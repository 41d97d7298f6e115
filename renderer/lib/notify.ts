import { notifications } from '@mantine/notifications';
import { i18n } from '../i18n/i18n.js';
import { errorText } from './error-text.js';

/** The one way the app tells the person something happened. Messages are plain text, never HTML. */
export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 4000 });
}

export function notifyError(error: unknown, title: string = i18n.t('common:errors.title')): void {
  notifications.show({ color: 'red', title, message: errorMessage(error), autoClose: 8000 });
}

/** Plain words for any error, in the person's language (lib/error-text.ts). */
export const errorMessage = errorText;
