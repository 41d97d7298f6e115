import { readFileSync } from 'node:fs';
import { UsageError } from './context.js';

/** A text file a flag names, or a usage error that says which flag and why it could not be read. */
export function readFlagFile(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
