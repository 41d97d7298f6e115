import ipaddr from 'ipaddr.js';

/**
 * An independent parse to test ours against. ipaddr.js reads `::1.2.3.4` as the mapped `::ffff:1.2.3.4`,
 * which RFC 4291 §2.5.5.1 says it is not, so IPv6 text first goes through the WHATWG URL host parser (Node's
 * own, RFC-correct), which also writes the canonical compressed form.
 */
export function reference(text: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (!text.includes(':')) return ipaddr.IPv4.parse(text);
  const host = new URL(`http://[${text}]/`).hostname;
  return ipaddr.IPv6.parse(host.slice(1, -1));
}
