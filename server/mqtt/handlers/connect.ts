import { randomBytes } from 'node:crypto';
import { generate, type IConnackPacket, type IConnectPacket } from 'mqtt-packet';
import { hasRights } from '../../../lib/rights';
import { parseMqttUsername } from '../../auth/mqttUsername';
import type { MqttPrincipal } from '../../auth/principal';
import type { Connection } from '../connection';
import { CONNACK_ACCEPTED } from '../encode';
import type { MqttPorts } from '../ports';
import { isLoopback } from '../rate-limit';

/**
 * CONNECT (docs/behaviour.md §3): username = application ID (or `{app}@{tenant}`, TTS Cloud
 * style), password = API key or console token.
 * Refusals answer CONNACK with a non-zero code and close [MQTT-3.2.2-5].
 */
export function handleConnect(conn: Connection, packet: IConnectPacket): Promise<void> | undefined {
  const { ctx } = conn;
  conn.state = 'authenticating';
  const version = packet.protocolVersion ?? 4;
  conn.protocolVersion = version;
  // [MQTT-3.1.2-1] [MQTT-3.1.2-2] The protocol name must go with its level: MQIsdp 3, MQTT 4 and 5.
  if ((version === 3) !== (packet.protocolId === 'MQIsdp')) {
    conn.refuse('protocol', 'protocol name and level');
    return;
  }
  // MQTT 5 enhanced authentication is not offered.
  if (packet.properties?.authenticationMethod) {
    conn.refuse('authMethod', 'enhanced authentication');
    return;
  }
  const ip = conn.transport.remoteAddress;
  const exempt = ctx.options.exemptLoopback && isLoopback(ip);
  if (!exempt && !ctx.connectLimiter.take(ip, ctx.now())) {
    conn.refuse('rateLimited', 'connect rate limit');
    return;
  }
  if (ctx.sessions.size >= ctx.options.maxConnections) {
    conn.refuse('busy', 'too many connections');
    return;
  }
  let clientId = packet.clientId;
  const assigned = clientId === '';
  if (assigned) {
    // [MQTT-3.1.3-6] [MQTT-3.1.3-8] 3.1.1 assigns an ID only for a clean session; 3.1 never.
    if (version === 3 || (version === 4 && !packet.clean)) {
      conn.refuse('identifier', 'empty client ID');
      return;
    }
    clientId = `mote-${randomBytes(9).toString('base64url')}`;
  }
  const login = parseMqttUsername(packet.username ?? '', ctx.options.tenantId);
  if (!login.ok) {
    if (login.name === 'malformed_username') return refuseCredentials(conn, MALFORMED, 'malformed username');
    conn.log.info(
      { tenant: login.tenant, tenantId: ctx.options.tenantId },
      'mqtt connect refused: unknown tenant',
    );
    return refuseCredentials(conn, login.applicationId, 'unknown tenant', `unknown tenant "${login.tenant}"`);
  }
  const attempt: Attempt = { packet, login, clientId, assigned };
  let answer: ReturnType<MqttPorts['authenticate']>;
  try {
    answer = ctx.ports.authenticate(login.applicationId, packet.password?.toString('utf8') ?? '');
  } catch (e) {
    authenticationFailed(conn, e);
    return;
  }
  // A key held verified answers at once: the CONNECT then completes without a promise.
  if (!(answer instanceof Promise)) return admit(conn, attempt, answer);
  return answer.then(
    (principal) => (conn.isClosed() ? undefined : admit(conn, attempt, principal)),
    (e: unknown) => authenticationFailed(conn, e),
  );
}

/** A CONNECT past the checks that come before its credentials. */
interface Attempt {
  packet: IConnectPacket;
  login: { applicationId: string; tenant?: string };
  clientId: string;
  assigned: boolean;
}

function authenticationFailed(conn: Connection, e: unknown) {
  conn.log.error({ err: e }, 'mqtt authentication failed');
  conn.refuse('unavailable', 'authentication unavailable');
}

/** Checks what the credentials allow, then opens the session. */
function admit(
  conn: Connection,
  { packet, login, clientId, assigned }: Attempt,
  principal: MqttPrincipal | undefined,
): Promise<void> | undefined {
  const { ctx } = conn;
  const username = login.applicationId;
  const expired = principal?.expiresAt !== undefined && principal.expiresAt.getTime() <= ctx.now();
  // A key of another application is refused even if the port let it through.
  if (!principal || principal.applicationId !== username || expired) {
    return refuseCredentials(conn, username, 'not authorized');
  }

  // A client ID is taken over only by the credential that holds it: another key of the same
  // application (even one with every right) is refused, so a lesser key cannot knock a
  // production integration off (issue 17 item 13). Refusing the newcomer, not the holder, means
  // a stolen ID cannot be used to disconnect anyone.
  if (ctx.sessions.heldByOther(username, clientId, principal.credentialId)) {
    conn.log.info({ app: username, clientId }, 'mqtt connect refused: client ID held by another key');
    conn.refuse(
      'identifier',
      'client ID held by another key',
      'client identifier in use by a session of another key',
    );
    return;
  }

  const version = conn.protocolVersion;
  conn.principal = principal;
  conn.tenant = login.tenant;
  conn.clientId = clientId;
  conn.keepaliveMs = packet.keepalive ? packet.keepalive * 1000 : 0;
  if (conn.keepaliveMs === 0) conn.transport.probeSilentPeer();
  conn.canRead = hasRights(principal.rights, 'RIGHT_APPLICATION_TRAFFIC_READ');
  conn.canWriteDownlinks = hasRights(principal.rights, 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE');
  const { receiveMaximum, maximumPacketSize } = packet.properties ?? {};
  if (receiveMaximum) conn.outbound.inflightLimit = Math.min(conn.outbound.inflightLimit, receiveMaximum);
  if (maximumPacketSize) conn.outbound.maxPacketSize = maximumPacketSize;
  conn.identified();
  conn.state = 'open';
  // Takes over a session of this key with the same client ID [MQTT-3.1.4-2]. The will
  // is not kept: clients cannot publish to each other here, so it has nowhere to go.
  ctx.sessions.add(conn);
  // Sessions are not persisted, so Session Present is always 0 [MQTT-3.2.2-1] [MQTT-3.2.2-3].
  conn.sendNow(version === 5 ? connackV5(conn, packet, assigned) : CONNACK_ACCEPTED);
  conn.debug({ clean: packet.clean, keepalive: packet.keepalive, version }, 'mqtt session open');
  return;
}

/** The failure bucket of usernames that are not application IDs (they are not kept as keys). */
const MALFORMED = '\u0000malformed';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * 0x05, counted against (IP, username). Past the limit the refusal is held back
 * (server/auth/connectFailures.ts), unless that IP already has its share of refusals waiting:
 * then it goes at once, so a parallel flood cannot hold sockets open. Right credentials never
 * come here, and a success does not wipe the count: one valid key buys no faster guessing.
 */
async function refuseCredentials(
  conn: Connection,
  username: string,
  reason: string,
  reasonString?: string,
): Promise<void> {
  const { ctx } = conn;
  const ip = conn.transport.remoteAddress;
  const delayMs = await ctx.connectFailures.fail(ip, username, ctx.now());
  const held = ctx.heldRefusals.get(ip) ?? 0;
  if (delayMs > 0 && held < ctx.options.maxHeldRefusalsPerIp) {
    ctx.counters.throttled++;
    ctx.heldRefusals.set(ip, held + 1);
    await sleep(delayMs);
    const left = (ctx.heldRefusals.get(ip) ?? 1) - 1;
    if (left > 0) ctx.heldRefusals.set(ip, left);
    else ctx.heldRefusals.delete(ip);
  }
  if (!conn.isClosed()) conn.refuse('notAuthorized', reason, reasonString);
}

/** MQTT 5 CONNACK: tells the client what this server does not do, so it need not find out. */
function connackV5(conn: Connection, packet: IConnectPacket, assigned: boolean): Buffer {
  const properties: NonNullable<IConnackPacket['properties']> = {
    maximumPacketSize: conn.ctx.options.maxPacketSize,
    retainAvailable: false,
    sharedSubscriptionAvailable: false,
    subscriptionIdentifiersAvailable: false,
    wildcardSubscriptionAvailable: true,
  };
  if (assigned) properties.assignedClientIdentifier = conn.clientId;
  // Nothing outlives the connection; say so when the client hoped otherwise (§3.2.2.3.2).
  if (packet.properties?.sessionExpiryInterval) properties.sessionExpiryInterval = 0;
  return generate(
    { cmd: 'connack', reasonCode: 0, sessionPresent: false, properties },
    { protocolVersion: 5 },
  );
}
