import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** Field path → first message, in the shape forms and CLI errors show. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Parses `input` or throws a ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}
