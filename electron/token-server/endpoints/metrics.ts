import type { ServerResponse } from 'node:http';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { sendJson } from '../http-io.js';
import { isLoopback } from '../listen-address.js';
import { addressInList } from '../../net/client-ip.js';

/**
 * GET /metrics (Prometheus text exposition format, from prom-client's registry): only when the admin turned
 * it on, and only to this computer and the addresses the setting names (a monitoring server). Off, the path
 * answers like any unknown one, so a scan learns nothing; from another address it is 403. The page holds
 * counts and timings only: no client id, address or name is ever a label.
 */
export async function metricsEndpoint(ctx: TokenServerContext, res: ServerResponse, request: RequestInfo): Promise<void> {
  const readers = ctx.config.metricsReaders;
  if (readers === null) return sendJson(res, 404, JSON.stringify({ error: 'invalid_request', error_description: 'No such endpoint' }));
  if (!isLoopback(request.ip) && !addressInList(readers, request.ip)) {
    return sendJson(res, 403, JSON.stringify({ error: 'access_denied', error_description: 'This address may not read the metrics' }));
  }
  const body = await ctx.metrics.registry.metrics();
  if (res.headersSent) return;
  res.writeHead(200, {
    'content-type': ctx.metrics.registry.contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}
