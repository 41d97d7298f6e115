import { domainToASCII } from 'node:url';

/**
 * Mail addresses as the relay compares and logs them. The sender rule is case-insensitive (RFC 5321 §2.4
 * lets a server treat local parts case-sensitively, but no office mailbox differs only by case, and
 * integrations write `Info@` for `info@`); internationalised addresses (RFC 6531) compare with the domain
 * in its ASCII (IDNA) form, so `info@müller.de` and `info@xn--mller-kva.de` are the same mailbox.
 */

/** `local@domain` with the local part lower-cased (Unicode-aware) and the domain in lower-case ASCII. */
export function addressKey(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return address.trim().toLowerCase();
  const local = address.slice(0, at).trim().normalize('NFC').toLowerCase();
  return `${local}@${domainKey(address.slice(at + 1))}`;
}

/** A domain in lower-case ASCII (IDNA); as given, lower-cased, if it is not a valid name. */
export function domainKey(domain: string): string {
  const trimmed = domain.trim().replace(/^\[|\]$/g, '').toLowerCase();
  return domainToASCII(trimmed) || trimmed;
}

/** The distinct recipient domains, sorted: what the log may say about recipients (never the full addresses). */
export function recipientDomains(recipients: readonly string[]): string[] {
  const domains = new Set<string>();
  for (const r of recipients) {
    const at = r.lastIndexOf('@');
    domains.add(at < 0 ? '(no domain)' : domainKey(r.slice(at + 1)));
  }
  return [...domains].sort();
}

/** The assigned mailbox an address is, if it is one of them. */
export function matchMailbox<M extends { address: string }>(address: string, mailboxes: readonly M[]): M | undefined {
  const key = addressKey(address);
  return mailboxes.find((m) => addressKey(m.address) === key);
}
