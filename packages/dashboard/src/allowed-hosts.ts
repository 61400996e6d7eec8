import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/** Whether `host` (a name or an address, IPv6 with or without brackets) is this machine's loopback: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** `host` as it appears in a Host header: an IPv6 address in brackets, names in lower case. */
const asHostHeader = (host: string): string => (isIP(host) === 6 ? `[${host.toLowerCase()}]` : host.toLowerCase());

/**
 * The names a request to this server may be addressed to (its Host header without the port): the
 * loopback names, the address it listens on, and this machine's own name and addresses. A page on
 * another site that points a name of its own at this machine (DNS rebinding) sends that name, and
 * is refused. Read once, when the server starts.
 */
export function allowedHosts(boundHost: string): (hostHeader: string) => boolean {
  const own = new Set(
    [boundHost, hostname(), ...Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map((a) => a.address))].map(asHostHeader),
  );
  return (hostHeader) => {
    const name = hostHeader.toLowerCase().replace(/:\d+$/, '');
    return isLoopback(name) || own.has(name);
  };
}
