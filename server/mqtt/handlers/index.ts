/**
 * The dispatcher: one handler per packet type, as MQTT.js's `handlers/`. A handler returns a
 * promise only when it must wait (authentication, the downlink queue); the connection holds
 * later packets until it settles.
 */
import type { Packet } from 'mqtt-packet';
import type { Connection } from '../connection';
import { DisconnectReason } from '../reason-codes';
import { handleConnect } from './connect';
import { handleDisconnect } from './disconnect';
import { handlePingreq } from './pingreq';
import { handlePuback } from './puback';
import { handlePublish } from './publish';
import { handlePubrel } from './pubrel';
import { handleSubscribe } from './subscribe';
import { handleUnsubscribe } from './unsubscribe';

export function dispatch(conn: Connection, packet: Packet): Promise<void> | undefined {
  if (conn.state === 'awaiting-connect') {
    // [MQTT-3.1.0-1] The first packet from the client must be CONNECT.
    if (packet.cmd === 'connect') return handleConnect(conn, packet);
    conn.protocolError(`${packet.cmd} before CONNECT`);
    return;
  }
  if (lacksPacketIdentifier(packet)) {
    conn.protocolError(`${packet.cmd} without a packet identifier`, DisconnectReason.malformedPacket);
    return;
  }
  switch (packet.cmd) {
    case 'publish':
      return handlePublish(conn, packet);
    case 'puback':
      handlePuback(conn, packet);
      return;
    case 'pubrel':
      handlePubrel(conn, packet);
      return;
    case 'subscribe':
      handleSubscribe(conn, packet);
      return;
    case 'unsubscribe':
      handleUnsubscribe(conn, packet);
      return;
    case 'pingreq':
      handlePingreq(conn);
      return;
    case 'disconnect':
      handleDisconnect(conn);
      return;
    default:
      // [MQTT-3.1.0-2] a second CONNECT, and packets only a server sends (CONNACK, SUBACK, …);
      // PUBREC/PUBCOMP too, as this server never sends QoS 2, and AUTH, as it offers none.
      conn.protocolError(`unexpected ${packet.cmd}`);
  }
}

/**
 * [MQTT-2.2.1-3] QoS 1/2 PUBLISH, PUBACK, PUBREL, SUBSCRIBE and UNSUBSCRIBE carry a packet
 * identifier. mqtt-packet 9 reads a packet that ends before it as identifier -1 rather than
 * failing, which would reach the downlink queue as a push with an empty body.
 */
function lacksPacketIdentifier(packet: Packet): boolean {
  const needs =
    packet.cmd === 'publish'
      ? packet.qos > 0
      : packet.cmd === 'puback' ||
        packet.cmd === 'pubrel' ||
        packet.cmd === 'subscribe' ||
        packet.cmd === 'unsubscribe';
  if (!needs) return false;
  const id = (packet as { messageId?: number }).messageId;
  return id === undefined || !Number.isInteger(id) || id < 1 || id > 0xffff;
}
