import type { ISubscribePacket } from 'mqtt-packet';
import { isValidFilter, scopeSubscription } from '../../../lib/topics';
import type { Connection } from '../connection';
import { encodeSuback } from '../encode';
import { type SubscribeFailure, subackFailure } from '../reason-codes';

/**
 * Each filter is scoped to the client's application (docs/behaviour.md §3); one that cannot be, or any filter
 * from a key without TRAFFIC_READ, is refused (0x80, or MQTT 5's reason) while the connection
 * stays open; so is a new filter past the per-session limit (logged: the client may not look). QoS 2 is granted as 1 [MQTT-3.8.4-6].
 */
export function handleSubscribe(conn: Connection, packet: ISubscribePacket) {
  // [MQTT-3.8.3-3] A SUBSCRIBE without filters is a protocol violation.
  if (packet.subscriptions.length === 0) {
    conn.protocolError('SUBSCRIBE without filters');
    return;
  }
  const v5 = conn.protocolVersion === 5;
  const granted: number[] = [];
  let overQuota = 0;
  for (const { topic, qos } of packet.subscriptions) {
    const scoped = conn.canRead ? scopeSubscription(topic, conn.applicationId, conn.tenant) : undefined;
    const failure = scoped ? quotaFailure(conn, scoped) : refusal(conn, topic);
    if (failure || !scoped) {
      conn.debug({ filter: topic, failure }, 'subscription refused');
      if (failure === 'quota') overQuota++;
      granted.push(subackFailure(failure ?? 'notAuthorized', v5));
      continue;
    }
    const grantedQos = qos === 0 ? 0 : 1;
    conn.subscriptions.set(scoped, grantedQos);
    granted.push(grantedQos);
  }
  if (overQuota > 0) {
    const limit = conn.ctx.options.maxSubscriptions;
    conn.log.warn(
      { refused: overQuota, limit },
      'subscriptions refused: MOTE_MQTT_MAX_SUBSCRIPTIONS reached',
    );
  }
  // [MQTT-3.8.4-1] [MQTT-3.8.4-2] SUBACK with the same packet identifier, one code per filter in order.
  conn.send(encodeSuback(packet.messageId ?? 0, granted, v5));
}

function refusal(conn: Connection, filter: string): SubscribeFailure {
  if (filter.startsWith('$share/')) return 'shared';
  if (conn.canRead && !isValidFilter(filter)) return 'invalidFilter';
  return 'notAuthorized';
}

function quotaFailure(conn: Connection, scoped: string): SubscribeFailure | undefined {
  const { subscriptions, ctx } = conn;
  const full = !subscriptions.has(scoped) && subscriptions.size >= ctx.options.maxSubscriptions;
  return full ? 'quota' : undefined;
}
