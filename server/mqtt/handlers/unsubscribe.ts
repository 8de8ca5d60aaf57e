import type { IUnsubscribePacket } from 'mqtt-packet';
import { scopeSubscription } from '../../../lib/topics';
import type { Connection } from '../connection';
import { encodeUnsuback } from '../encode';
import { Reason } from '../reason-codes';

/**
 * Filters are scoped the way SUBSCRIBE scoped them, so unsubscribing `#` removes `v3/{app}/#`.
 * UNSUBACK is sent even when nothing matched [MQTT-3.10.4-4] [MQTT-3.10.4-5]; MQTT 5 says
 * which filters did (§3.11.3).
 */
export function handleUnsubscribe(conn: Connection, packet: IUnsubscribePacket) {
  const codes: number[] = [];
  for (const filter of packet.unsubscriptions) {
    const scoped = scopeSubscription(filter, conn.applicationId, conn.tenant);
    const removed = scoped !== undefined && conn.subscriptions.delete(scoped);
    codes.push(removed ? Reason.success : Reason.noSubscriptionExisted);
  }
  conn.send(encodeUnsuback(packet.messageId ?? 0, conn.protocolVersion === 5 ? codes : undefined));
}
