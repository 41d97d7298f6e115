import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { readFormBody } from '../http-io.js';
import type { AuthenticatedClient } from '../steps/authenticate-client.js';
import { authenticateWithAssertion } from '../steps/client-assertion.js';
import { authenticateWithSecret } from '../steps/client-secret.js';
import { deny, type DenialType } from '../steps/deny.js';
import { parseForm, type FormParams } from '../steps/parse-form.js';
import { presentedCredentials, type PresentedCredentials } from '../steps/present-credentials.js';

/** A request as server.ts hands it to an endpoint. */
export type Endpoint = (ctx: TokenServerContext, req: IncomingMessage, res: ServerResponse, request: RequestInfo) => Promise<void>;

/** A request that came through the chain: its form, and the client it authenticated as, in good standing. */
export interface ClientCall {
  params: FormParams;
  client: AuthenticatedClient;
  request: RequestInfo;
  res: ServerResponse;
}

export interface CredentialedEndpoint<Early> {
  /** The audit event a refusal at this endpoint is logged as. */
  deniedAs: DenialType;
  /**
   * The endpoint's checks of the form alone, run before the credentials are even read, so a request they
   * refuse costs no argon2 work and names no client in the log (the token endpoint picks its grant here).
   */
  beforeAuthentication?: (params: FormParams) => Early;
  /** The endpoint's own work; what it throws is logged and answered like a refusal by the chain. */
  serve(ctx: TokenServerContext, call: ClientCall, early: Early): Promise<void>;
}

/**
 * The chain every endpoint that takes client credentials runs, like node-oidc-provider's client_auth chain:
 * parse the form (parse-form.ts) → the endpoint's checks of the form → read the presented credentials
 * (present-credentials.ts) → authenticate the client, its standing included (authenticate-client.ts) →
 * the endpoint. Whatever a step throws is logged and answered by deny (deny.ts), as the endpoint's event.
 * The token, introspection and revocation endpoints use it, for every method; the mail relay is to.
 */
export function clientAuthChain(endpoint: CredentialedEndpoint<undefined>): Endpoint;
export function clientAuthChain<Early>(endpoint: CredentialedEndpoint<Early> & { beforeAuthentication: (params: FormParams) => Early }): Endpoint;
export function clientAuthChain<Early>(endpoint: CredentialedEndpoint<Early | undefined>): Endpoint {
  return async (ctx, req, res, request) => {
    let creds: PresentedCredentials | undefined;
    try {
      const params = parseForm(await readFormBody(req));
      const early = endpoint.beforeAuthentication?.(params);
      creds = presentedCredentials(req.headers, params);
      const client =
        creds.method === 'private_key_jwt'
          ? await authenticateWithAssertion(ctx, creds, request)
          : await authenticateWithSecret(ctx, creds, request);
      await endpoint.serve(ctx, { params, client, request, res }, early);
    } catch (error) {
      await deny(ctx, res, request, error, creds, endpoint.deniedAs);
    }
  };
}
