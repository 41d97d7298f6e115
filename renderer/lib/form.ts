import type { UseFormReturnType } from '@mantine/form';
import type { z } from 'zod';
import { fieldErrors } from '../../shared/validate.js';
import { ApiError } from '../api/call.js';
import { i18n } from '../i18n/i18n.js';
import { fieldMessage } from './error-text.js';
import { notifyError } from './notify.js';

/**
 * A @mantine/form validator from one of the shared zod schemas, so a form refuses exactly what main
 * refuses, with the same messages (in the person's language: lib/error-text.ts). `toInput` maps the form's values (dates, empty strings) to the
 * schema's input shape; `fieldOf` maps a schema path back to the form field that shows the message.
 */
export function zodValidate<Values, S extends z.ZodType>(
  schema: S,
  toInput: (values: Values) => unknown,
  fieldOf: (path: string) => string = (path) => path,
): (values: Values) => Record<string, string> {
  return (values) => {
    const result = schema.safeParse(toInput(values));
    if (result.success) return {};
    const errors: Record<string, string> = {};
    for (const [path, message] of Object.entries(fieldErrors(result.error))) errors[fieldOf(path)] ??= fieldMessage(message);
    return errors;
  };
}

/**
 * Shows an error from main next to its fields when the form has them, as a notification otherwise.
 * `fieldOf` maps the contract's field paths to form fields; unknown fields fall back to the notification.
 */
export function showServerError<V>(
  form: UseFormReturnType<V>,
  error: unknown,
  fieldOf: (path: string) => string | null = (path) => path,
): void {
  if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
    let shown = 0;
    for (const [path, message] of Object.entries(error.fields)) {
      const field = fieldOf(path);
      if (field && field in (form.getValues() as object)) {
        form.setFieldError(field, fieldMessage(message));
        shown++;
      }
    }
    if (shown > 0) return;
  }
  notifyError(error);
}

/** The value of an optional text input: blank means "not given". */
export const optionalText = (value: string): string | undefined => (value.trim() === '' ? undefined : value);

/**
 * For a form that creates credentials: Enter in a one-line field does not submit it (a browser submits a form
 * on Enter in any text input, so a date typed into "Account expires" created the API user and showed its
 * secret mid-form). Fields that use Enter themselves (a select's options, the allowlist's entries) still get
 * it first: this runs after them, on the form. Buttons and text areas keep their Enter.
 */
export function keepEnterFromSubmitting(event: { key: string; target: EventTarget | null; preventDefault(): void }): void {
  if (event.key !== 'Enter') return;
  const target = event.target as { tagName?: string; type?: string } | null;
  if (target?.tagName === 'INPUT' && target.type !== 'submit' && target.type !== 'button') event.preventDefault();
}

/**
 * A validator for a form that sets a new password: the shared schema's rules, then the repeat must match
 * (a check of the form only; main never sees the repeat). Used where a password is changed or reset.
 */
export function withRepeatedPassword<Values extends { newPassword: string; repeat: string }>(
  validate: (values: Values) => Record<string, string>,
): (values: Values) => Record<string, string> {
  return (values) => {
    const errors = validate(values);
    if (!errors.newPassword && values.repeat !== values.newPassword) errors.repeat = passwordsDiffer();
    return errors;
  };
}

/** A form's own check that a repeated password matches (main never sees the repeat). */
export const passwordsDiffer = (): string => i18n.t('app:passwordsDiffer');
