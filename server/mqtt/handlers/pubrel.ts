import type { IPubrelPacket } from 'mqtt-packet';
import type { Connection } from '../connection';
import { encodePubcomp } from '../encode';

/**
 * Second half of the inbound QoS 2 handshake: forget the identifier, answer PUBCOMP with the
 * same one [MQTT-4.3.3-2], also for an identifier we no longer hold (a retransmitted PUBREL).
 */
export function handlePubrel(conn: Connection, packet: IPubrelPacket) {
  const id = packet.messageId ?? 0;
  conn.awaitingRelease.delete(id);
  conn.send(encodePubcomp(id));
}
