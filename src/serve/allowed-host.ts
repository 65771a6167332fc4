import { isIP } from 'node:net';

/**
 * True when a request's `Host` names the preview itself: `localhost` and names under
 * `.localhost`, an IP address (what a browser on the network types), or the name given to
 * `--host`. Any other name is what a DNS-rebinding page sends once its domain points to
 * 127.0.0.1: answering it would let that page read the preview, drafts included (issue 21).
 * This is Vite's rule (`server.allowedHosts`).
 */
export function isAllowedHost(header: string | undefined, listenHost: string): boolean {
  if (!header) return false;
  const host = hostnameOf(header);
  if (host === null) return false;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host)) return true;
  return host === listenHost.toLowerCase();
}

/** The name or address of a `Host` header without its port, lower case (`[::1]:4000` → `::1`); null when malformed. */
function hostnameOf(header: string): string | null {
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(header);
  if (bracketed) return bracketed[1]!.toLowerCase();
  const plain = /^([^:\s/@]+)(?::\d+)?$/.exec(header);
  return plain ? plain[1]!.toLowerCase().replace(/\.$/, '') : null;
}
