import { CONTROL_CHARACTER } from '../../../shared/text.js';
import { InvalidRequestError } from '../errors.js';

/** More parameters than any token, introspection or revocation request has. */
const MAX_PARAMETERS = 32;

/** The parameters of one request, by name. An empty value counts as absent (RFC 6749 §3.1). */
export class FormParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  get(name: string): string | undefined {
    const value = this.values.get(name);
    return value === '' ? undefined : value;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/**
 * Step 1 of every credentialed endpoint: application/x-www-form-urlencoded (RFC 6749 §3.2, Appendix B),
 * strictly. Refused with `invalid_request`: bytes outside printable ASCII, a malformed %-escape or one that
 * is not UTF-8, a control character after decoding (NUL included), a parameter given twice (§3.2: "MUST NOT
 * be included more than once"), and more than MAX_PARAMETERS parameters.
 */
export function parseForm(body: Buffer): FormParams {
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (byte < 0x21 || byte > 0x7e) {
      throw new InvalidRequestError('The body must be printable ASCII, with everything else %-encoded', 'bad_form_bytes');
    }
  }
  const text = body.toString('latin1');
  const values = new Map<string, string>();
  if (text.length === 0) return new FormParams(values);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    if (values.has(name)) {
      throw new InvalidRequestError(`The parameter ${printable(name)} appears more than once`, 'duplicate_parameter', 400, {
        parameter: printable(name),
      });
    }
    if (values.size >= MAX_PARAMETERS) throw new InvalidRequestError('Too many parameters', 'too_many_parameters');
    values.set(name, value);
  }
  return new FormParams(values);
}

/** One form-urlencoded component: `+` is a space, then %-escapes of UTF-8 (Appendix B). */
export function decodeComponent(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.includes('+') ? raw.replace(/\+/g, ' ') : raw);
  } catch {
    throw new InvalidRequestError('The body has a malformed %-escape', 'bad_percent_encoding');
  }
  if (CONTROL_CHARACTER.test(decoded)) throw new InvalidRequestError('A parameter contains a control character', 'control_character');
  return decoded;
}

/** A parameter name fit to echo in a description: short, and only harmless characters. */
const printable = (name: string) => name.slice(0, 40).replace(/[^A-Za-z0-9_.:-]/g, '?');
