/**
 * Valid MQTT packets of every kind a client could send Mote, built by mqtt-packet's generator
 * (the one MQTT.js uses) from seeded random choices. The fuzzer mutates these.
 */
import { generate, type Packet, type QoS } from 'mqtt-packet';
import type { Rng } from '../prng';

export type Version = 3 | 4 | 5;

export interface Target {
  appId: string;
  deviceId: string;
  key: string;
}

export const encode = (packet: Packet, version: Version): Buffer =>
  generate(packet, { protocolVersion: version });

export function connectPacket(t: Target, version: Version, clientId: string, keepalive = 60): Packet {
  return {
    cmd: 'connect',
    protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: version,
    clean: true,
    clientId,
    keepalive,
    username: t.appId,
    password: Buffer.from(t.key),
  };
}

const FILTERS = (t: Target) => [
  '#',
  'v3/#',
  'v3/+/devices/+/up',
  `v3/${t.appId}/devices/${t.deviceId}/#`,
  `v3/${t.appId}/devices/+/down/+`,
  'v3/other-app/#',
  '$SYS/#',
  '+/#',
  'v3',
  'a/#/b',
  'v3/+/devices/+/up+',
  '$share/group/v3/#',
];

const TOPICS = (t: Target) => [
  `v3/${t.appId}/devices/${t.deviceId}/down/push`,
  `v3/${t.appId}/devices/${t.deviceId}/down/replace`,
  `v3/${t.appId}/devices/no-such-device/down/push`,
  `v3/other-app/devices/${t.deviceId}/down/push`,
  `v3/${t.appId}/devices/${t.deviceId}/up`,
  `v3/${t.appId}/devices/${t.deviceId}/down/push/extra`,
  'v3/+/devices/#',
  'plain',
];

const PAYLOADS = [
  '{"downlinks":[{"f_port":1,"frm_payload":"AQI="}]}',
  '{"downlinks":[{"f_port":15,"frm_payload":"vu8=","priority":"HIGH","confirmed":true,"correlation_ids":["fuzz"]}]}',
  '{"downlinks":[]}',
  '{}',
  '{"downlinks":[{"f_port":0,"frm_payload":"AQI="}]}',
  '{"downlinks":[{"f_port":224}]}',
  '{"downlinks":"nope"}',
  '{"downlinks":[{"f_port":1,"frm_payload":"!!!"}]}',
  '{"downlinks":[{"f_port":1,"decoded_payload":{"a":[1,2,{"b":null}]}}]}',
  '{"downlinks":[',
  'null',
  '',
  '[]',
  '\u0000\u0001',
];

const qos = (rng: Rng): QoS => rng.pick([0, 0, 1, 1, 2] as const);
const id = (rng: Rng) => rng.range(1, 0xffff);

function randomText(rng: Rng, max: number): string {
  const alphabet = 'abcXYZ019/+#$ -_.\u00e9\u4e2d\u{1f600}';
  const chars = [...alphabet];
  let s = '';
  for (let i = rng.int(max + 1); i > 0; i--) s += rng.pick(chars);
  return s;
}

function userProperties(rng: Rng) {
  return rng.chance(0.5) ? undefined : { [randomText(rng, 8) || 'k']: randomText(rng, 16) };
}

/** A CONNECT with seeded variations: client ID, keepalive, will, credentials, MQTT 5 properties. */
export function randomConnect(rng: Rng, t: Target, version: Version): Packet {
  // mqtt-packet will not write an empty client ID for 3.1 (mutations still do).
  const empty = version !== 3 && rng.chance(0.2);
  const p = connectPacket(t, version, empty ? '' : `fz-${rng.int(1e9)}`, rng.pick([0, 1, 60, 65535]));
  if (p.cmd !== 'connect') return p;
  // Nor one without a clean session.
  p.clean = version === 3 || p.clientId === '' || rng.chance(0.8);
  if (rng.chance(0.2)) p.username = rng.pick([t.appId, 'other-app', '', 'UPPER', randomText(rng, 40)]);
  if (rng.chance(0.2))
    p.password = rng.pick([Buffer.from(''), Buffer.from('NNSXS.WRONG.KEY'), rng.bytes(60)]);
  if (rng.chance(0.2))
    p.will = {
      topic: rng.pick(TOPICS(t)),
      payload: rng.pick(PAYLOADS),
      qos: qos(rng),
      retain: rng.chance(0.5),
    };
  if (version === 5 && rng.chance(0.6)) {
    p.properties = {
      sessionExpiryInterval: rng.chance(0.5) ? rng.int(1e6) : undefined,
      receiveMaximum: rng.chance(0.5) ? rng.range(1, 0xffff) : undefined,
      maximumPacketSize: rng.chance(0.3) ? rng.range(1, 1 << 20) : undefined,
      topicAliasMaximum: rng.chance(0.3) ? rng.int(10) : undefined,
      requestProblemInformation: rng.chance(0.5),
      userProperties: userProperties(rng),
      authenticationMethod: rng.chance(0.05) ? 'SCRAM-SHA-1' : undefined,
    };
  }
  return p;
}

function subscribe(rng: Rng, t: Target, version: Version): Packet {
  const n = rng.range(1, 5);
  const subscriptions = Array.from({ length: n }, () => ({
    topic: rng.chance(0.9) ? rng.pick(FILTERS(t)) : randomText(rng, 30) || '#',
    qos: qos(rng),
    ...(version === 5 ? { nl: rng.chance(0.3), rap: rng.chance(0.3), rh: rng.int(3) } : {}),
  }));
  const properties =
    version === 5 && rng.chance(0.4)
      ? { subscriptionIdentifier: rng.range(1, 268_435_455), userProperties: userProperties(rng) }
      : undefined;
  return { cmd: 'subscribe', messageId: id(rng), subscriptions, properties };
}

function publish(rng: Rng, t: Target, version: Version): Packet {
  const q = qos(rng);
  const payload = rng.chance(0.05) ? 'x'.repeat(rng.int(20_000)) : rng.pick(PAYLOADS);
  const properties =
    version === 5 && rng.chance(0.4)
      ? {
          payloadFormatIndicator: rng.chance(0.5),
          messageExpiryInterval: rng.chance(0.5) ? rng.int(1e6) : undefined,
          topicAlias: rng.chance(0.1) ? rng.range(1, 10) : undefined,
          contentType: rng.chance(0.3) ? 'application/json' : undefined,
          responseTopic: rng.chance(0.2) ? 'v3/reply' : undefined,
          correlationData: rng.chance(0.2) ? rng.bytes(8) : undefined,
          userProperties: userProperties(rng),
        }
      : undefined;
  return {
    cmd: 'publish',
    topic: rng.chance(0.9) ? rng.pick(TOPICS(t)) : randomText(rng, 40) || 'x',
    payload,
    qos: q,
    dup: q > 0 && rng.chance(0.2),
    retain: rng.chance(0.1),
    messageId: q > 0 ? id(rng) : undefined,
    properties,
  };
}

/** One valid packet of any kind a client could send, server-only ones included. */
export function validPacket(rng: Rng, t: Target, version: Version): Packet {
  const v5 = version === 5;
  switch (rng.int(14)) {
    case 0:
      return randomConnect(rng, t, version);
    case 1:
    case 2:
      return subscribe(rng, t, version);
    case 3:
      return { cmd: 'unsubscribe', messageId: id(rng), unsubscriptions: [rng.pick(FILTERS(t))] };
    case 4:
    case 5:
    case 6:
      return publish(rng, t, version);
    case 7:
      return { cmd: 'pingreq' };
    case 8:
      return { cmd: rng.pick(['puback', 'pubrec', 'pubrel', 'pubcomp'] as const), messageId: id(rng) };
    case 9:
      return v5 ? { cmd: 'auth', reasonCode: rng.pick([0x00, 0x18, 0x19]) } : { cmd: 'pingreq' };
    case 10:
      return { cmd: 'connack', sessionPresent: false, returnCode: 0, reasonCode: 0 };
    case 11:
      return { cmd: 'suback', messageId: id(rng), granted: [0] };
    case 12:
      return { cmd: 'pingresp' };
    default:
      return v5 && rng.chance(0.5)
        ? { cmd: 'disconnect', reasonCode: rng.pick([0x00, 0x04, 0x80]) }
        : { cmd: 'disconnect' };
  }
}
