import type { IPubrelPacket } from 'mqtt-packet';
import type { Connection } from '../connection';
import { encodePubcomp } from '../encode';
import { Reason } from '../reason-codes';

/**
 * Second half of the inbound QoS 2 handshake: forget the identifier, answer PUBCOMP with the
 * same one [MQTT-4.3.3-2], also for an identifier no longer held (a retransmitted PUBREL),
 * which MQTT 5 flags as not found.
 */
export function handlePubrel(conn: Connection, packet: IPubrelPacket) {
  const id = packet.messageId ?? 0;
  const known = conn.awaitingRelease.delete(id);
  const reason = known || conn.protocolVersion !== 5 ? Reason.success : Reason.packetIdentifierNotFound;
  conn.send(encodePubcomp(id, reason));
}
