import type { Connection } from '../connection';
import { PINGRESP } from '../encode';

/** [MQTT-3.12.4-1] The server must answer PINGREQ with PINGRESP. */
export function handlePingreq(conn: Connection) {
  conn.send(PINGRESP);
}
