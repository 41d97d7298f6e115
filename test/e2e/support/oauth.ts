import { decodeJwt, type JWTPayload } from 'jose';

export type TokenResponse =
  | { ok: true; status: number; accessToken: string; claims: JWTPayload & { scope?: string; client_id?: string }; body: Record<string, unknown> }
  | { ok: false; status: number; error: string; body: Record<string, unknown> };

/**
 * What an integration does with its credential file: the client credentials grant (RFC 6749 §4.4) at the
 * token endpoint, authenticated with HTTP Basic (§2.3.1: id and secret form-urlencoded, then base64).
 */
export async function requestToken(tokenEndpoint: string, clientId: string, clientSecret: string, scope?: string): Promise<TokenResponse> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form,
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.ok && typeof body.access_token === 'string') {
    return { ok: true, status: response.status, accessToken: body.access_token, claims: decodeJwt(body.access_token), body };
  }
  return { ok: false, status: response.status, error: String(body.error), body };
}
