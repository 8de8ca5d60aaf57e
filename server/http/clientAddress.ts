import { BlockList, isIP } from 'node:net';

/**
 * The client's address for throttling and logs. The custom server sets `x-mote-client-address`
 * from the socket (and strips any client-sent copy), so it cannot be spoofed with a header.
 */
export const CLIENT_ADDRESS_HEADER = 'x-mote-client-address';

export const clientAddress = (req: Request) => req.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';

/** `::ffff:10.0.0.1` is how a dual-stack socket shows an IPv4 peer. */
const plain = (address: string) => (address.startsWith('::ffff:') ? address.slice(7) : address);

/**
 * Reverse proxies we believe (`MOTE_TRUSTED_PROXIES`, issue 17 item 14). A request's client is
 * its socket's peer, unless that peer is a trusted proxy: then the right-most address in
 * `X-Forwarded-For` that is not itself a trusted proxy. Anything left of it a client could have
 * written, so it is never read.
 */
export function trustedProxies(entries: readonly string[]) {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  const trusted = (address: string) => {
    const a = plain(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  };
  return {
    trusted: (address: string) => entries.length > 0 && trusted(address),
    /** The client address of a request that arrived from `peer` with this `X-Forwarded-For`. */
    clientOf(peer: string, forwardedFor: string | string[] | undefined): string {
      if (entries.length === 0 || !trusted(peer) || forwardedFor === undefined) return peer;
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i] as string;
        if (isIP(plain(hop)) === 0) return peer;
        if (!trusted(hop)) return hop;
      }
      return hops[0] ?? peer;
    },
  };
}

export type TrustedProxies = ReturnType<typeof trustedProxies>;
