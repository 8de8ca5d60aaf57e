/**
 * Why a connection ended, as its client saw it, so a test asserts the reason in one line and a
 * regression fails with what happened instead of a test timeout:
 *
 *   expect(await closeReason(c)).toEqual({ closed: 'by server', disconnect: 0x8d });
 *
 * MQTT 3.1.1 tells a client why only when refusing its CONNECT (CONNACK return code); after that
 * the server just closes the socket. MQTT 5 also says why with a DISCONNECT reason code (§3.14).
 */
import type { Socket } from 'node:net';
import type { MqttClient } from 'mqtt';
import type { Packet } from 'mqtt-packet';

export interface Ending {
  /**
   * `by server`: the server ended the socket (FIN or reset). `by client`: the test's own side
   * closed it. Otherwise nobody had closed it when the wait ran out.
   */
  closed: 'by server' | 'by client' | `still open after ${number} ms`;
  /** A CONNACK refusal: its non-zero return code (3.1.1) or reason code (5). */
  connack?: number;
  /** An MQTT 5 server DISCONNECT: its reason code. */
  disconnect?: number;
}

/** Longer than any close a test waits for (keepalive, expiry), well inside the test timeout. */
export const CLOSE_WAIT_MS = 20_000;

/** The CONNACK refusal and server DISCONNECT among `packets`, if any. */
function reasons(packets: readonly Packet[]): Omit<Ending, 'closed'> {
  const found: Omit<Ending, 'closed'> = {};
  for (const p of packets) {
    if (p.cmd === 'connack') {
      const code = p.reasonCode ?? p.returnCode ?? 0;
      if (code !== 0) found.connack = code;
    } else if (p.cmd === 'disconnect') {
      found.disconnect = p.reasonCode ?? 0;
    }
  }
  return found;
}

/**
 * Waits up to `waitMs` for a raw client's socket to close, then says who closed it and what the
 * server said first. The socket's own state tells the ends apart: a server that ended it made it
 * emit `end` (FIN) or fail (reset); a `destroy()` on the test's side does neither.
 */
export async function closeReason(
  c: { socket: Socket; packets: readonly Packet[] },
  waitMs = CLOSE_WAIT_MS,
): Promise<Ending> {
  const { socket } = c;
  const closed = await new Promise<boolean>((resolve) => {
    if (socket.closed) return resolve(true);
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      resolve(false);
    }, waitMs);
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('close', onClose);
  });
  if (!closed) return { closed: `still open after ${waitMs} ms`, ...reasons(c.packets) };
  const byServer = socket.readableEnded || socket.errored !== null;
  return { closed: byServer ? 'by server' : 'by client', ...reasons(c.packets) };
}

/**
 * The same for an MQTT.js client. Call it before whatever should end the connection: it
 * listens for the packets and the close from then on.
 */
export function mqttjsCloseReason(client: MqttClient, waitMs = CLOSE_WAIT_MS): Promise<Ending> {
  const packets: Packet[] = [];
  const onPacket = (packet: Packet) => packets.push(packet);
  client.on('packetreceive', onPacket);
  return new Promise<Ending>((resolve) => {
    const done = (closed: Ending['closed']) => {
      clearTimeout(timer);
      client.off('close', onClose);
      client.off('packetreceive', onPacket);
      resolve({ closed, ...reasons(packets) });
    };
    // MQTT.js sets `disconnecting` when its own end() started the close.
    const onClose = () => done(client.disconnecting ? 'by client' : 'by server');
    const timer = setTimeout(() => done(`still open after ${waitMs} ms`), waitMs);
    client.once('close', onClose);
  });
}
