/**
 * Bus → sessions. One bus subscription per application that has sessions (not one per session);
 * each message is serialized once and the same bytes are written to every matching session.
 */
import { topicForSession } from '../../lib/topics';
import type { BusMessage, EventBus } from '../bus/bus';
import type { Connection } from './connection';
import { EncodedPublish } from './encode';

interface ApplicationSessions {
  sessions: Set<Connection>;
  unsubscribe: () => void;
}

export class Fanout {
  private readonly applications = new Map<string, ApplicationSessions>();

  constructor(private readonly bus: Pick<EventBus, 'subscribe'>) {}

  join(conn: Connection) {
    const applicationId = conn.applicationId;
    const existing = this.applications.get(applicationId);
    if (existing) {
      existing.sessions.add(conn);
      return;
    }
    const sessions = new Set([conn]);
    const unsubscribe = this.bus.subscribe(applicationId, (message) => deliver(sessions, message));
    this.applications.set(applicationId, { sessions, unsubscribe });
  }

  leave(conn: Connection) {
    const app = this.applications.get(conn.applicationId);
    if (!app?.sessions.delete(conn) || app.sessions.size > 0) return;
    this.applications.delete(conn.applicationId);
    app.unsubscribe();
  }

  /** Applications with a bus subscription (for stats and tests). */
  get applicationCount(): number {
    return this.applications.size;
  }

  close() {
    for (const app of this.applications.values()) app.unsubscribe();
    this.applications.clear();
  }
}

function deliver(sessions: Set<Connection>, message: BusMessage) {
  const encoded = new EncodedPublish(message.topic, message.payload);
  // Sessions that logged in as `{app}@{tenant}` get the topic in that form, encoded once too.
  let tenantEncoded: EncodedPublish | undefined;
  for (const conn of sessions) {
    if (message.audience === 'console' && !conn.principal?.console) continue;
    const qos = conn.subscriptions.maxQos(message.topic);
    if (qos === -1) continue;
    if (conn.tenant === undefined) {
      conn.outbound.deliver(encoded, qos);
      continue;
    }
    tenantEncoded ??= new EncodedPublish(
      topicForSession(message.topic, message.applicationId, conn.tenant),
      message.payload,
    );
    conn.outbound.deliver(tenantEncoded, qos);
  }
}
