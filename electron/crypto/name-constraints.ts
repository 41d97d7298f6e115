import ipaddr from 'ipaddr.js';

/**
 * RFC 5280 §4.2.1.10 name constraints, as far as Keyrack's CA uses them: permitted dNSName and iPAddress
 * subtrees only. Encoded and read here in DER by hand (a dozen lines) rather than through a second ASN.1
 * library: @peculiar/x509 has no class for this extension, and the one that has is not our dependency.
 *
 *   NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL, excludedSubtrees [1] ... }
 *   GeneralSubtree  ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
 *   GeneralName     ::= ... dNSName [2] IA5String, ... iPAddress [7] OCTET STRING (address then mask)
 */

export const NAME_CONSTRAINTS_OID = '2.5.29.30';

/** DNS names (a name permits itself and every name below it) and CIDR ranges (`10.1.2.0/24`, `::1/128`). */
export interface PermittedNames {
  dns: string[];
  ip: string[];
}

const SEQUENCE = 0x30;
const PERMITTED = 0xa0; // [0] IMPLICIT, constructed
const DNS_NAME = 0x82; // [2] IMPLICIT IA5String
const IP_ADDRESS = 0x87; // [7] IMPLICIT OCTET STRING

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

/** The extension's DER value. */
export function encodeNameConstraints(permitted: PermittedNames): Buffer {
  const subtrees = [
    ...permitted.dns.map((name) => tlv(SEQUENCE, tlv(DNS_NAME, Buffer.from(name, 'ascii')))),
    ...permitted.ip.map((cidr) => {
      const [address, bits] = ipaddr.parseCIDR(cidr);
      const mask = (address.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6).subnetMaskFromPrefixLength(bits).toByteArray();
      return tlv(SEQUENCE, tlv(IP_ADDRESS, Buffer.from([...address.toByteArray(), ...mask])));
    }),
  ];
  return tlv(SEQUENCE, tlv(PERMITTED, Buffer.concat(subtrees)));
}

interface Node {
  tag: number;
  content: Buffer;
}

function children(der: Buffer): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < der.length) {
    const tag = der[i++]!;
    let length = der[i++]!;
    if (length & 0x80) {
      const octets = length & 0x7f;
      if (octets < 1 || octets > 3) throw new Error('unsupported DER length');
      length = 0;
      for (let k = 0; k < octets; k++) length = (length << 8) | der[i++]!;
    }
    if (i + length > der.length) throw new Error('truncated DER');
    nodes.push({ tag, content: der.subarray(i, i + length) });
    i += length;
  }
  return nodes;
}

/** The permitted names of an extension's DER value (excluded subtrees and other name forms are not ours). */
export function decodeNameConstraints(der: Buffer): PermittedNames {
  const [top] = children(der);
  if (!top || top.tag !== SEQUENCE) throw new Error('NameConstraints is not a SEQUENCE');
  const result: PermittedNames = { dns: [], ip: [] };
  for (const part of children(top.content)) {
    if (part.tag !== PERMITTED) continue;
    for (const subtree of children(part.content)) {
      const [base] = children(subtree.content);
      if (base?.tag === DNS_NAME) result.dns.push(base.content.toString('ascii').toLowerCase());
      if (base?.tag === IP_ADDRESS && (base.content.length === 8 || base.content.length === 32)) {
        const half = base.content.length / 2;
        const address = ipaddr.fromByteArray([...base.content.subarray(0, half)]);
        const bits = ipaddr.fromByteArray([...base.content.subarray(half)]).prefixLengthFromSubnetMask();
        if (bits !== null) result.ip.push(`${address.toString()}/${bits}`);
      }
    }
  }
  return result;
}

/**
 * Whether a certificate for `name` (a DNS name or an address) would pass these constraints (§4.2.1.10):
 * a DNS name equal to a permitted one or below it; an address inside a permitted range. With no subtree of
 * a name's form, §4.2.1.10 permits every name of that form; Keyrack's CA always has both forms.
 */
export function permits(permitted: PermittedNames, name: string): boolean {
  if (ipaddr.isValid(name)) {
    if (permitted.ip.length === 0) return true;
    const address = ipaddr.parse(name);
    return permitted.ip.some((cidr) => {
      const range = ipaddr.parseCIDR(cidr);
      return range[0].kind() === address.kind() && address.match(range);
    });
  }
  if (permitted.dns.length === 0) return true;
  const lower = name.toLowerCase();
  return permitted.dns.some((base) => lower === base || lower.endsWith(`.${base}`));
}
