import type { Connection } from '../connection';

/** [MQTT-3.14.4-1] On DISCONNECT the server discards any will and closes the connection. */
export function handleDisconnect(conn: Connection) {
  conn.close('client disconnected', true);
}
