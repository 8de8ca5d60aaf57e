import { randomBytes } from 'node:crypto';
import type { IConnectPacket } from 'mqtt-packet';
import { isValidId } from '../../../lib/ids';
import { hasRights } from '../../../lib/rights';
import type { Connection } from '../connection';
import { ConnackCode, encodeConnack } from '../encode';
import { isLoopback } from '../rate-limit';

/**
 * CONNECT (SPEC §3): username = application ID, password = API key or console token.
 * Refusals answer CONNACK with a non-zero code and close [MQTT-3.2.2-5].
 */
export async function handleConnect(conn: Connection, packet: IConnectPacket): Promise<void> {
  const { ctx } = conn;
  conn.state = 'authenticating';
  const version = packet.protocolVersion ?? 4;
  conn.protocolVersion = version;
  if (version === 5) return conn.refuse(ConnackCode.unacceptableProtocolVersion, 'MQTT 5 not supported');
  // [MQTT-3.1.2-1] [MQTT-3.1.2-2] The protocol name must go with its level: MQIsdp 3, MQTT 4.
  if ((version === 3) !== (packet.protocolId === 'MQIsdp')) {
    return conn.refuse(ConnackCode.unacceptableProtocolVersion, 'protocol name does not match level');
  }
  const ip = conn.transport.remoteAddress;
  const exempt = ctx.options.exemptLoopback && isLoopback(ip);
  if (!exempt && !ctx.connectLimiter.take(ip, ctx.now())) {
    return conn.refuse(ConnackCode.serverUnavailable, 'connect rate limit');
  }
  if (ctx.sessions.size >= ctx.options.maxConnections) {
    return conn.refuse(ConnackCode.serverUnavailable, 'too many connections');
  }
  let clientId = packet.clientId;
  if (clientId === '') {
    // [MQTT-3.1.3-6] [MQTT-3.1.3-8] An empty ID is assigned one only for a clean 3.1.1 session.
    if (version === 3 || !packet.clean) return conn.refuse(ConnackCode.identifierRejected, 'empty client ID');
    clientId = `mote-${randomBytes(9).toString('base64url')}`;
  }
  const username = packet.username ?? '';
  if (!isValidId(username)) return conn.refuse(ConnackCode.notAuthorized, 'malformed username');

  let principal: Awaited<ReturnType<typeof ctx.ports.authenticate>>;
  try {
    principal = await ctx.ports.authenticate(username, packet.password?.toString('utf8') ?? '');
  } catch (e) {
    conn.log.error({ err: e }, 'mqtt authentication failed');
    return conn.refuse(ConnackCode.serverUnavailable, 'authentication unavailable');
  }
  if (conn.isClosed()) return;
  const expired = principal?.expiresAt !== undefined && principal.expiresAt.getTime() <= ctx.now();
  // A key of another application is refused even if the port let it through.
  if (!principal || principal.applicationId !== username || expired) {
    return conn.refuse(ConnackCode.notAuthorized, 'not authorized');
  }

  conn.principal = principal;
  conn.clientId = clientId;
  conn.keepaliveMs = packet.keepalive ? packet.keepalive * 1000 : 0;
  conn.canRead = hasRights(principal.rights, 'RIGHT_APPLICATION_TRAFFIC_READ');
  conn.canWriteDownlinks = hasRights(principal.rights, 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE');
  conn.log = conn.log.child({ app: username, clientId });
  conn.state = 'open';
  // Takes over a session with the same client ID in this application [MQTT-3.1.4-2]. The will
  // is not kept: clients cannot publish to each other here, so it has nowhere to go.
  ctx.sessions.add(conn);
  // Sessions are not persisted, so Session Present is always 0 [MQTT-3.2.2-1] [MQTT-3.2.2-3].
  conn.send(encodeConnack(ConnackCode.accepted, false));
  conn.log.debug({ clean: packet.clean, keepalive: packet.keepalive }, 'mqtt session open');
}
