/**
 * Concurrent HTTP connections (issue 17, item 9). Slowloris — thousands of half-sent requests —
 * once took every file descriptor, and with them HTTP, the console and MQTT. Each address may
 * hold `perIp` connections (a trusted proxy any number: its clients share its address), and all
 * together `max`. A newcomer past either takes the place of the oldest connection that never
 * finished a request — its own address's past `perIp`, anyone's past `max` — so `/healthz` and
 * real users still get in, and descriptors stay free for MQTT; with none to displace it is
 * refused.
 */
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  max: number;
  perIp: number;
  /** Addresses exempt from `perIp` (MOTE_TRUSTED_PROXIES). */
  exempt(address: string): boolean;
}

export interface ConnectionTracker {
  /** Takes a new socket or destroys it; returns whether it was taken. */
  accept(socket: Socket): boolean;
  /** The socket finished a request's headers: it is no longer a candidate for eviction. */
  requested(socket: Socket): void;
  /** The socket left HTTP (an upgrade to MQTT over WebSockets, which has its own limits). */
  release(socket: Socket): void;
  readonly size: number;
}

export function trackConnections(limits: ConnectionLimits): ConnectionTracker {
  const byAddress = new Map<string, Set<Socket>>();
  /** Sockets that have not yet sent a whole request head, oldest first. */
  const silent = new Set<Socket>();
  let total = 0;

  const release = (socket: Socket) => {
    silent.delete(socket);
    const address = socket.remoteAddress ?? '';
    const set = byAddress.get(address);
    if (!set?.delete(socket)) return;
    total--;
    if (set.size === 0) byAddress.delete(address);
  };

  const displace = (socket: Socket) => {
    release(socket);
    socket.destroy();
  };

  return {
    accept(socket) {
      const address = socket.remoteAddress ?? '';
      const mine = byAddress.get(address);
      if (mine && mine.size >= limits.perIp && !limits.exempt(address)) {
        const own = [...mine].find((s) => silent.has(s));
        if (!own) {
          socket.destroy();
          return false;
        }
        displace(own);
      }
      if (total >= limits.max) {
        const oldest = silent.values().next().value;
        if (!oldest) {
          socket.destroy();
          return false;
        }
        displace(oldest);
      }
      let set = byAddress.get(address);
      if (!set) {
        set = new Set();
        byAddress.set(address, set);
      }
      set.add(socket);
      silent.add(socket);
      total++;
      socket.once('close', () => release(socket));
      return true;
    },
    requested: (socket) => {
      silent.delete(socket);
    },
    release,
    get size() {
      return total;
    },
  };
}
