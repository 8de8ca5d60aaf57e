import type { IPublishPacket } from 'mqtt-packet';
import { isValidTopicName, parseDownlinkTopic } from '../../../lib/topics';
import type { Connection } from '../connection';
import { encodePuback, encodePubrec } from '../encode';
import type { DownlinkReceipt } from '../ports';
import { DisconnectReason, Reason } from '../reason-codes';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Client → server PUBLISH (docs/behaviour.md §3): only `v3/{own app}/devices/{dev}/down/push|replace` with
 * TRAFFIC_DOWN_WRITE reaches the downlink queue. Anything else is dropped and logged, the
 * connection stays open, and it is still acknowledged so the client does not hang.
 */
export function handlePublish(conn: Connection, packet: IPublishPacket): Promise<void> | undefined {
  const { ctx } = conn;
  const now = ctx.now();
  if (!conn.publishBucket.take(now)) {
    // Over the rate: the connection stops reading until a token is due, which slows the
    // client through TCP instead of dropping what it sent.
    return sleep(conn.publishBucket.waitMs(now)).then(() =>
      conn.state === 'closed' ? undefined : handlePublish(conn, packet),
    );
  }
  ctx.counters.publishesReceived++;
  // The CONNACK offered no topic aliases (Topic Alias Maximum 0), so one is an error [MQTT-3.3.2-8].
  if (packet.properties?.topicAlias !== undefined) {
    conn.protocolError('topic alias not offered', DisconnectReason.topicAliasInvalid);
    return;
  }
  // [MQTT-4.3.3-2] A retransmitted QoS 2 PUBLISH before PUBREL is not delivered again.
  if (packet.qos === 2 && conn.awaitingRelease.has(packet.messageId ?? 0)) {
    conn.send(encodePubrec(packet.messageId ?? 0));
    return;
  }
  if (!isValidTopicName(packet.topic)) {
    conn.protocolError('invalid topic name', DisconnectReason.topicNameInvalid);
    return;
  }
  const target = parseDownlinkTopic(packet.topic);
  const ownApplication = target?.applicationId === conn.applicationId && target.tenant === conn.tenant;
  if (!target || !ownApplication || !conn.canWriteDownlinks) {
    ctx.counters.publishesRejected++;
    if (conn.rejectedPublishes++ % 1000 === 0) {
      conn.log.warn({ topic: packet.topic, rejected: conn.rejectedPublishes }, 'publish dropped');
    }
    // After the PUBACKs of pushes still being stored [MQTT-4.6.0-2].
    conn.acknowledgeInOrder(() =>
      acknowledge(conn, packet, target ? Reason.notAuthorized : Reason.topicNameInvalid),
    );
    return;
  }
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  const store = () =>
    ctx.ports.receiveDownlinks(target.applicationId, target.deviceId, target.operation, payload);
  const answer = (receipt: DownlinkReceipt) => {
    // MQTT 5 can say "not taken" in the PUBACK itself (§3.4.2.1); 3.1.1 cannot, and the
    // `down/failed` published for it is what tells the client (docs/behaviour.md §3.5).
    if (receipt === 'not_stored') conn.log.warn({ topic: packet.topic }, 'downlink not stored');
    acknowledge(conn, packet, receipt === 'not_stored' ? Reason.unspecifiedError : Reason.success);
  };
  // QoS 2 holds its identifier from PUBREC on, so a retransmission must find it: one at a time.
  if (packet.qos === 2) return store().then(answer);
  return conn.downlinks.add(target.deviceId, store, answer);
}

/**
 * QoS 1 → PUBACK [MQTT-4.3.2-2]; QoS 2 → PUBREC and hold the identifier [MQTT-4.3.3-2]. MQTT 5
 * sessions hear why a publish was dropped; a failed PUBREC ends that exchange (§4.3.3).
 */
function acknowledge(conn: Connection, packet: IPublishPacket, reason: number = Reason.success) {
  if (conn.isClosed() || packet.qos === 0) return;
  const id = packet.messageId ?? 0;
  const code = conn.protocolVersion === 5 ? reason : Reason.success;
  if (packet.qos === 1) {
    conn.send(encodePuback(id, code));
    return;
  }
  if (code !== Reason.success) {
    conn.send(encodePubrec(id, code));
    return;
  }
  if (conn.awaitingRelease.size >= conn.ctx.options.maxAwaitingRelease) {
    conn.protocolError('too many QoS 2 messages awaiting PUBREL');
    return;
  }
  conn.awaitingRelease.add(id);
  conn.send(encodePubrec(id));
}
