import type { IPubackPacket } from 'mqtt-packet';
import type { Connection } from '../connection';

/** The client acknowledged a QoS 1 delivery: its packet identifier is free again [MQTT-2.3.1-6]. */
export function handlePuback(conn: Connection, packet: IPubackPacket) {
  if (packet.messageId !== undefined) conn.outbound.acknowledged(packet.messageId);
}
