import type { ISubscribePacket } from 'mqtt-packet';
import { scopeSubscription } from '../../../lib/topics';
import type { Connection } from '../connection';
import { encodeSuback, SUBACK_FAILURE } from '../encode';

/**
 * Each filter is scoped to the client's application (SPEC §3); one that cannot be, or any filter
 * from a key without TRAFFIC_READ, gets 0x80 while the connection stays open; so does one past
 * the per-session limit. QoS 2 is granted
 * as 1, which this server supports outbound [MQTT-3.8.4-6].
 */
export function handleSubscribe(conn: Connection, packet: ISubscribePacket) {
  // [MQTT-3.8.3-3] A SUBSCRIBE without filters is a protocol violation.
  if (packet.subscriptions.length === 0) {
    conn.protocolError('SUBSCRIBE without filters');
    return;
  }
  const granted: number[] = [];
  for (const { topic, qos } of packet.subscriptions) {
    const scoped = conn.canRead ? scopeSubscription(topic, conn.applicationId) : undefined;
    const full =
      scoped &&
      !conn.subscriptions.has(scoped) &&
      conn.subscriptions.size >= conn.ctx.options.maxSubscriptions;
    if (!scoped || full) {
      conn.log.debug({ filter: topic, full }, 'subscription refused');
      granted.push(SUBACK_FAILURE);
      continue;
    }
    const grantedQos = qos === 0 ? 0 : 1;
    conn.subscriptions.set(scoped, grantedQos);
    granted.push(grantedQos);
  }
  // [MQTT-3.8.4-1] [MQTT-3.8.4-2] SUBACK with the same packet identifier, one code per filter in order.
  conn.send(encodeSuback(packet.messageId ?? 0, granted));
}
