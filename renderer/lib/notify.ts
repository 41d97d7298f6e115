import { notifications } from '@mantine/notifications';
import { ApiError } from '../api/call.js';

/** The one way the app tells the person something happened. Messages are plain text, never HTML. */
export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 4000 });
}

export function notifyError(error: unknown, title = 'That did not work'): void {
  notifications.show({ color: 'red', title, message: errorMessage(error), autoClose: 8000 });
}

/** Plain words for any error: the core's own message, or a generic line for the unexpected. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something unexpected went wrong. Try again, and if it keeps happening, check the log.';
}
