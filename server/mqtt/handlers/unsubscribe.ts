import type { IUnsubscribePacket } from 'mqtt-packet';
import { scopeSubscription } from '../../../lib/topics';
import type { Connection } from '../connection';
import { encodeUnsuback } from '../encode';

/**
 * Filters are scoped the way SUBSCRIBE scoped them, so unsubscribing `#` removes `v3/{app}/#`.
 * UNSUBACK is sent even when nothing matched [MQTT-3.10.4-4] [MQTT-3.10.4-5].
 */
export function handleUnsubscribe(conn: Connection, packet: IUnsubscribePacket) {
  for (const filter of packet.unsubscriptions) {
    const scoped = scopeSubscription(filter, conn.applicationId);
    if (scoped) conn.subscriptions.delete(scoped);
  }
  conn.send(encodeUnsuback(packet.messageId ?? 0));
}
