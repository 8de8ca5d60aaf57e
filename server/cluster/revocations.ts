/**
 * Credentials that stopped being valid — an API key deleted, changed or expired, a console
 * session logged out — told to every MQTT server that may hold sessions opened with them
 * (docs/scale-out.md). In-process by default; with Redis, the instance that revoked publishes
 * the credential ID and every other instance closes its sessions on receipt (well within 1 s:
 * one Pub/Sub hop). The revoking instance acts at once, without waiting for its own echo.
 *
 * Nothing else needs telling: API keys are checked against the store at each CONNECT (no
 * verified-key cache to drop), and console tokens are spent on the instance that issued them.
 * A revocation sent while Redis is away reaches the other instances' sessions only when they
 * reconnect and authenticate again against the store.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../log';
import type { RedisLink } from './redis';

export interface Revocations {
  revoke(credentialId: string): void;
  onRevoked(listener: (credentialId: string) => void): () => void;
  close(): Promise<void>;
}

export function localRevocations(): Revocations {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    revoke: (id) => events.emit('revoked', id),
    onRevoked(listener) {
      events.on('revoked', listener);
      return () => events.off('revoked', listener);
    },
    async close() {
      events.removeAllListeners();
    },
  };
}

export async function redisRevocations(link: RedisLink, log: Logger): Promise<Revocations> {
  const local = localRevocations();
  const channel = `${link.prefix}revoked`;
  const onMessage = (from: Buffer, message: Buffer) => {
    if (from.toString('latin1') !== channel || message.length <= link.origin.length) return;
    if (link.origin.compare(message, 0, link.origin.length) === 0) return;
    local.revoke(message.toString('utf8', link.origin.length));
  };
  link.sub.on('messageBuffer', onMessage);
  await link.sub.subscribe(channel);
  return {
    revoke(id) {
      local.revoke(id);
      link.cmd
        .publish(channel, Buffer.concat([link.origin, Buffer.from(id)]))
        .catch((err: unknown) =>
          log.warn({ err, credentialId: id }, 'revocation not sent to other instances'),
        );
    },
    onRevoked: local.onRevoked,
    async close() {
      link.sub.off('messageBuffer', onMessage);
      await local.close();
    },
  };
}
