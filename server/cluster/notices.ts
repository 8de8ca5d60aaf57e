/**
 * Short notices to the other instances on one Redis Pub/Sub channel each (`{prefix}{name}`): a
 * credential revoked, a simulated device started or stopped elsewhere. Only the others hear a
 * notice (the sender acts on its own), and a notice sent while Redis is away is lost: what
 * receives them must also be right after a restart without them (they read the store).
 */
import type { Logger } from '../log';
import type { RedisLink } from './redis';

export interface Notices {
  send(text: string): void;
  /** Notices from other instances. */
  on(listener: (text: string) => void): () => void;
  close(): Promise<void>;
}

/** One instance: nobody else to tell. */
export function noNotices(): Notices {
  return { send: () => {}, on: () => () => {}, close: async () => {} };
}

/** With `lostOnReconnect`, listeners hear this after Redis comes back: notices may have been lost. */
export const NOTICES_LOST = '*';

export async function redisNotices(
  link: RedisLink,
  name: string,
  log: Logger,
  o: { lostOnReconnect?: boolean } = {},
): Promise<Notices> {
  const channel = `${link.prefix}${name}`;
  const listeners = new Set<(text: string) => void>();
  let connected = link.sub.status === 'ready';
  const onReady = () => {
    if (connected && o.lostOnReconnect) for (const listener of listeners) listener(NOTICES_LOST);
    connected = true;
  };
  link.sub.on('ready', onReady);
  const onMessage = (from: Buffer, message: Buffer) => {
    if (from.toString('latin1') !== channel || message.length < link.origin.length) return;
    if (link.origin.compare(message, 0, link.origin.length) === 0) return;
    const text = message.toString('utf8', link.origin.length);
    for (const listener of listeners) listener(text);
  };
  link.sub.on('messageBuffer', onMessage);
  await link.sub.subscribe(channel);
  return {
    send(text) {
      link.cmd
        .publish(channel, Buffer.concat([link.origin, Buffer.from(text)]))
        .catch((err: unknown) => log.warn({ err, channel: name }, 'notice not sent to other instances'));
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      link.sub.off('messageBuffer', onMessage);
      link.sub.off('ready', onReady);
      listeners.clear();
    },
  };
}
