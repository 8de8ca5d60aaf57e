/**
 * Credentials that stopped being valid — an API key deleted, changed or expired, a console
 * session logged out — told to every MQTT server that may hold sessions opened with them
 * (docs/scale-out.md). The revoking instance closes its own sessions at once; with Redis the
 * others hear a notice (notices.ts) and close theirs on receipt, one Pub/Sub hop later.
 *
 * Nothing else needs telling: API keys are checked against the store at each CONNECT (no
 * verified-key cache to drop), and console tokens are spent on the instance that issued them.
 * A revocation sent while Redis is away reaches the other instances' sessions only when they
 * reconnect and authenticate again against the store.
 */
import { EventEmitter } from 'node:events';
import { type Notices, noNotices } from './notices';

export interface Revocations {
  revoke(credentialId: string): void;
  onRevoked(listener: (credentialId: string) => void): () => void;
  close(): Promise<void>;
}

export function revocations(others: Notices = noNotices()): Revocations {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const stop = others.on((id) => events.emit('revoked', id));
  return {
    revoke(id) {
      events.emit('revoked', id);
      others.send(id);
    },
    onRevoked(listener) {
      events.on('revoked', listener);
      return () => events.off('revoked', listener);
    },
    async close() {
      stop();
      events.removeAllListeners();
      await others.close();
    },
  };
}
