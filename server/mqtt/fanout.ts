/**
 * Bus → sessions. One bus subscription per application that has sessions (not one per session);
 * each message is serialized once and the same bytes are written to every matching session.
 */
import type { BusMessage, EventBus } from '../bus/bus';
import type { Connection } from './connection';
import { encodePublishQos0, encodePublishQos1Head } from './encode';

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
  const { topic, payload } = message;
  let qos0: Buffer | undefined;
  let qos1Head: Buffer | undefined;
  for (const conn of sessions) {
    const qos = conn.subscriptions.maxQos(topic);
    if (qos === 0) {
      qos0 ??= encodePublishQos0(topic, payload);
      conn.deliverQos0(qos0);
    } else if (qos === 1) {
      qos1Head ??= encodePublishQos1Head(topic, payload.length);
      conn.deliverQos1(qos1Head, payload);
    }
  }
}
