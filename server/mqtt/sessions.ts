/**
 * Open sessions by client ID and by credential. Client IDs are scoped to the application, so a
 * client of one application can never take over another application's session (docs/architecture.md §8).
 */
import type { Connection } from './connection';
import type { Fanout } from './fanout';
import { DisconnectReason } from './reason-codes';

const clientKey = (conn: Connection) => `${conn.applicationId}\u0000${conn.clientId}`;

export class SessionRegistry {
  private readonly byClient = new Map<string, Connection>();
  private readonly byCredential = new Map<string, Set<Connection>>();

  constructor(readonly fanout: Fanout) {}

  get size(): number {
    return this.byClient.size;
  }

  /**
   * The open session that holds this client ID in the application, if it was authenticated
   * with another credential: such a session is never taken over (issue 17 item 13).
   */
  heldByOther(applicationId: string, clientId: string, credentialId: string): Connection | undefined {
    const holder = this.byClient.get(`${applicationId}\u0000${clientId}`);
    return holder && holder.principal?.credentialId !== credentialId ? holder : undefined;
  }

  /**
   * [MQTT-3.1.4-2] A second CONNECT with the same client ID disconnects the first. The caller
   * has checked `heldByOther`: only a session of the same credential is taken over.
   */
  add(conn: Connection) {
    const key = clientKey(conn);
    this.byClient.get(key)?.close('session taken over', false, DisconnectReason.sessionTakenOver);
    this.byClient.set(key, conn);
    const credentialId = conn.principal?.credentialId ?? '';
    let set = this.byCredential.get(credentialId);
    if (!set) {
      set = new Set();
      this.byCredential.set(credentialId, set);
    }
    set.add(conn);
    this.fanout.join(conn);
  }

  remove(conn: Connection) {
    const key = clientKey(conn);
    if (this.byClient.get(key) === conn) this.byClient.delete(key);
    const credentialId = conn.principal?.credentialId ?? '';
    const set = this.byCredential.get(credentialId);
    if (set?.delete(conn) && set.size === 0) this.byCredential.delete(credentialId);
    this.fanout.leave(conn);
  }

  /** A deleted, changed or expired key ends its sessions at once (docs/behaviour.md §2, beyond TTS). */
  revoke(credentialId: string): number {
    const set = this.byCredential.get(credentialId);
    if (!set) return 0;
    const sessions = [...set];
    for (const conn of sessions) conn.close('credential revoked', false, DisconnectReason.notAuthorized);
    return sessions.length;
  }

  isCurrent(conn: Connection): boolean {
    return this.byClient.get(clientKey(conn)) === conn;
  }
}
