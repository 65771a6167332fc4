import type http from 'node:http';

/**
 * The address a request comes from, as the rate limits key it. Without `trustProxy` it is the
 * socket's peer, whatever the headers say (a client can write any X-Forwarded-For). With it
 * (`--trust-proxy`, Agora behind nginx on the same machine), it is the last address of
 * X-Forwarded-For, the one the proxy itself appended (`$proxy_add_x_forwarded_for`): every
 * earlier entry was written by the client and is ignored.
 */
export function clientAddress(request: http.IncomingMessage, trustProxy = false): string {
  const peer = request.socket.remoteAddress ?? '?';
  if (!trustProxy) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  return forwarded[forwarded.length - 1] ?? peer;
}
