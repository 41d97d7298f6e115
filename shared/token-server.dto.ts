/** What the token server's admin API hands out (the UI's server page, `keyrack serve`, `keyrack keys`). */

export type SigningAlgName = 'ES256' | 'RS256';

/** Stored under the `tokenServer` settings key; every field has a default (see token-server-settings.ts). */
export interface TokenServerSettings {
  /** The `iss` of every token and the metadata's `issuer`; null: the server's own base URL. */
  issuer: string | null;
  /** The `aud` of a token when the client asks for none. */
  defaultAudience: string;
  /** Further audiences a client may ask for with `resource` (RFC 8707) or `audience`. */
  audiences: string[];
  /** Access token lifetime unless the API user has its own. */
  tokenLifetimeSeconds: number;
  /** The algorithm of newly created signing keys. */
  signingAlg: SigningAlgName;
  port: number;
  /** Off: the server listens on loopback only. On: it listens on `host`. */
  lanAccess: boolean;
  /** The address to listen on when LAN access is on (`0.0.0.0` or `::` for every interface). */
  host: string;
  /** Explicit opt-in: serve plain HTTP on a LAN address (credentials then cross the LAN unencrypted). */
  plainHttpOnLan: boolean;
  /** Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed, right to left. */
  trustedProxies: string[];
  /** Serve GET /metrics (Prometheus text format) to this computer and to `metricsReaders`. Off by default. */
  metrics: boolean;
  /** Further addresses or CIDR ranges that may read /metrics (a monitoring server); loopback always may. */
  metricsReaders: string[];
}

export interface TokenServerStatus {
  running: boolean;
  /** Where integrations reach the server, e.g. `https://192.168.1.5:8443`. */
  urls: string[];
  issuer: string | null;
  tls: boolean;
  /** SHA-256 of the CA certificate (hex with colons), for integrators to pin or trust. */
  caFingerprint: string | null;
  caCertPem: string | null;
  tlsSource: 'generated' | 'installed' | null;
  startedAt: number | null;
  settings: TokenServerSettings;
  /** The address and port actually bound (the port is real even when 0 was asked); null while stopped. */
  listening: { host: string; port: number } | null;
  /**
   * Where clients POST the client credentials grant: the issuer's `/oauth2/token`, as the metadata's
   * `token_endpoint` says (RFC 8414 §2); null while stopped.
   */
  tokenEndpoint: string | null;
  /** Whether other machines can reach the running server: `this-computer` when it listens on loopback only. */
  reach: 'this-computer' | 'network' | null;
  /**
   * An address or port fixed when this server's host was made (`keyrack serve --host/--port`, the web bridge,
   * tests). They win over the stored settings at every start and restart; null where the setting applies.
   */
  overrides: { host: string | null; port: number | null };
  /** Why the last start failed (port in use, plain HTTP refused, ...); null after a good start. */
  lastError: string | null;
  /** Every signing key the store holds, the active one first. */
  signingKeys: SigningKeyInfo[];
  /** The provider-range snapshots the allowlist matches provider words against, with their dates. */
  ranges: RangeSnapshotSummary[];
}

export interface RangeSnapshotSummary {
  provider: string;
  status: 'loaded' | 'missing' | 'damaged';
  /** The provider's own publication time (ISO 8601), when its file has one. */
  publishedAt: string | null;
  /** When Keyrack fetched or imported the snapshot (epoch ms). */
  fetchedAt: number | null;
  count: number;
}

export interface SigningKeyInfo {
  kid: string;
  alg: SigningAlgName;
  createdAt: number;
  retiredAt: number | null;
  /** True for the key that signs new tokens. */
  active: boolean;
  /** Until when the JWKS publishes a retired key (every token it signed has expired by then); null while active. */
  publishedUntil: number | null;
}
