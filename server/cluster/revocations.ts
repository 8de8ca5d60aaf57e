/**
 * Credentials that stopped being valid — an API key deleted, changed or expired, a console
 * session logged out — told to every MQTT server that may hold sessions opened with them
 * (docs/scale-out.md). The revoking instance closes its own sessions at once; with Redis the
 * others hear a notice (notices.ts) and close theirs on receipt, one Pub/Sub hop later.
 *
 * The same notice drops the key from the verified keys each instance holds
 * (server/auth/apiKeyService.ts); console tokens are spent on the instance that issued them.
 * A revocation sent while Redis is away reaches the other instances' sessions only when they
 * reconnect and authenticate again against the store — which is why, once Redis is back, every
 * instance forgets every verified key (`onLost`): any notice may have been missed.
 */
import { EventEmitter } from 'node:events';
import { NOTICES_LOST, type Notices, noNotices } from './notices';

export interface Revocations {
  revoke(credentialId: string): void;
  onRevoked(listener: (credentialId: string) => void): () => void;
  /** Redis came back: revocations sent meanwhile were lost. */
  onLost(listener: () => void): () => void;
  close(): Promise<void>;
}

export function revocations(others: Notices = noNotices()): Revocations {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const stop = others.on((id) => events.emit(id === NOTICES_LOST ? 'lost' : 'revoked', id));
  return {
    revoke(id) {
      events.emit('revoked', id);
      others.send(id);
    },
    onRevoked(listener) {
      events.on('revoked', listener);
      return () => events.off('revoked', listener);
    },
    onLost(listener) {
      events.on('lost', listener);
      return () => events.off('lost', listener);
    },
    async close() {
      stop();
      events.removeAllListeners();
      await others.close();
    },
  };
}
