/**
 * A real Mote with real UDP gateways in front of it and Debian's mosquitto_sub behind it, set up
 * only through what a user has: the HTTP API (gateways as the administrator, devices with their
 * AppKey), the Semtech UDP port and MQTT. The radio tests (issues 12 and 13) share it.
 */
import { adminSession, appWithKey, type Caller, call } from './api';
import { mosquittoPub, mosquittoSub, type Received, type Subscriber } from './mosquitto';
import { type RunningMote, removeDataDir, startMote } from './mote';
import type { OtaaDevice } from './otaaDevice';
import { type Datagram, ID, UdpGateway } from './udpGateway';

/** Generous: a shared 2-core machine; every wait is event-driven and ends as soon as it can. */
export const BOUND_MS = 20_000;

/** A PULL_RESP's `txpk`, as PROTOCOL.TXT §6 spells it. */
export interface Txpk {
  imme: boolean;
  tmst: number;
  freq: number;
  rfch: number;
  powe: number;
  modu: string;
  datr: string;
  codr: string;
  ipol: boolean;
  ncrc: boolean;
  size: number;
  data: string;
}

export interface RadioSetup {
  mote: RunningMote;
  admin: Caller;
  app: string;
  /** An API key of the application with every right: mosquitto's password. */
  key: string;
  /** `mosquitto_sub -t '#'`: everything the application publishes. */
  sub: Subscriber;
  gateways: UdpGateway[];
}

export async function startRadio(app: string): Promise<RadioSetup> {
  const mote = await startMote();
  const admin = await adminSession(mote);
  const key = await appWithKey(mote, app, ['RIGHT_APPLICATION_ALL']);
  // A keyless device: downlinks pushed to it are the MQTT barrier of `settled`.
  await createDevice({ mote, admin, app }, 'barrier');
  const sub = await mosquittoSub(mote.mqttPort, app, key);
  return { mote, admin, app, key, sub, gateways: [] };
}

export async function stopRadio(r: RadioSetup | undefined): Promise<void> {
  if (!r) return;
  r.sub.stop();
  await Promise.all(r.gateways.map((g) => g.close()));
  await r.mote.stop();
  removeDataDir(r.mote);
}

/** `POST /api/v3/gateways` as the administrator, then a forwarder with that EUI. */
export async function registeredGateway(
  r: RadioSetup,
  gatewayId: string,
  eui: string,
  location?: { latitude: number; longitude: number; altitude?: number },
): Promise<UdpGateway> {
  const created = await call(r.mote, r.admin, 'POST', '/api/v3/gateways', {
    gateway: {
      ids: { gateway_id: gatewayId, eui },
      frequency_plan_id: 'EU_863_870',
      ...(location ? { antennas: [{ location }] } : {}),
    },
  });
  if (created.status !== 200) throw new Error(`register gateway: ${JSON.stringify(created)}`);
  return forwarder(r, eui);
}

/** A packet forwarder on its own UDP socket, registered or not. */
export async function forwarder(r: RadioSetup, eui: string): Promise<UdpGateway> {
  const gw = await UdpGateway.start(eui, { host: '127.0.0.1', port: r.mote.udpPort });
  r.gateways.push(gw);
  return gw;
}

/** A device as the devices API takes it: OTAA with its AppKey, EU868, LoRaWAN 1.0.3; or keyless. */
export async function createDevice(
  r: Pick<RadioSetup, 'mote' | 'admin' | 'app'>,
  deviceId: string,
  otaa?: { appKey: string; devEui: string; joinEui: string },
): Promise<void> {
  const end_device = otaa
    ? {
        ids: { device_id: deviceId, dev_eui: otaa.devEui, join_eui: otaa.joinEui },
        frequency_plan_id: 'EU_863_870',
        lorawan_version: '1.0.3',
        lorawan_phy_version: '1.0.3-a',
        root_keys: { app_key: { key: otaa.appKey } },
      }
    : { ids: { device_id: deviceId } };
  const created = await call(r.mote, r.admin, 'POST', `/api/v3/applications/${r.app}/devices`, {
    end_device,
  });
  if (created.status !== 200) throw new Error(`create device: ${JSON.stringify(created)}`);
}

/** Where a wait for "what came after now" starts. */
export const markOf = (gw: UdpGateway): number => gw.received.length;

/** The first datagram of `id` received at or after `mark` (and matching `token`, if given). */
export function next(gw: UdpGateway, id: number, mark: number, token?: number): Promise<Datagram> {
  return gw.waitFor(
    (d) => d.id === id && gw.received.indexOf(d) >= mark && (token === undefined || d.token === token),
    BOUND_MS,
  );
}

/** The datagrams of `id` received at or after `mark`. */
export const receivedSince = (gw: UdpGateway, id: number, mark: number): Datagram[] =>
  gw.received.slice(mark).filter((d) => d.id === id);

/** PULL_DATA, answered: the gateway has a downlink path for three keepalives from now. */
export async function pull(gw: UdpGateway): Promise<void> {
  const mark = markOf(gw);
  await next(gw, ID.PULL_ACK, mark, gw.pull());
}

/** One frame in a PUSH_DATA, answered with PUSH_ACK. */
export async function push(
  gw: UdpGateway,
  phyPayload: Uint8Array,
  rxpk: Record<string, unknown> = {},
): Promise<void> {
  const mark = markOf(gw);
  await next(gw, ID.PUSH_ACK, mark, gw.uplink(phyPayload, rxpk));
}

export const txpkOf = (d: Datagram): Txpk => (d.json as { txpk: Txpk }).txpk;

export const dataOf = (t: Txpk): Buffer => Buffer.from(t.data, 'base64');

export const topicOf = (r: RadioSetup, device: string, suffix: string): string =>
  `v3/${r.app}/devices/${device}/${suffix}`;

/** The first message on the topic published after `mark` (an index into `sub.messages`). */
export async function message(
  sub: Subscriber,
  topic: string,
  mark: number,
  match: (m: Received) => boolean = () => true,
): Promise<Received> {
  const hit = (m: Received, i: number) => i >= mark && m.topic === topic && match(m);
  const ms = await sub.until((all) => all.some(hit), BOUND_MS);
  const found = ms.find(hit);
  if (!found) throw new Error(`no ${topic}`);
  return found;
}

export const since = (sub: Subscriber, mark: number, topic: string): Received[] =>
  sub.messages.slice(mark).filter((m) => m.topic === topic);

let barriers = 0;

/**
 * Everything Mote published before now has reached mosquitto_sub: a downlink pushed with
 * mosquitto_pub to the barrier device is published as `down/queued` after it, on the same
 * session, in order.
 */
export async function settled(r: RadioSetup): Promise<void> {
  const mark = r.sub.messages.length;
  const cid = `barrier-${++barriers}`;
  const body = JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AA==', correlation_ids: [cid] }] });
  const pub = mosquittoPub(r.mote.mqttPort, r.app, r.key, topicOf(r, 'barrier', 'down/push'), body);
  if (pub.status !== 0) throw new Error(`mosquitto_pub: ${pub.output}`);
  await message(r.sub, topicOf(r, 'barrier', 'down/queued'), mark, (m) =>
    (m.json.correlation_ids as string[]).includes(cid),
  );
}

/** `mosquitto_pub` to the device's `down/push`, as a user types it; resolves on `down/queued`. */
export async function pushDownlink(r: RadioSetup, device: string, downlinks: unknown[]): Promise<Received> {
  const mark = r.sub.messages.length;
  const pub = mosquittoPub(
    r.mote.mqttPort,
    r.app,
    r.key,
    topicOf(r, device, 'down/push'),
    JSON.stringify({ downlinks }),
  );
  if (pub.status !== 0) throw new Error(`mosquitto_pub: ${pub.output}`);
  return message(r.sub, topicOf(r, device, 'down/queued'), mark);
}

export const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');

/** OTAA through `gw`: the JoinRequest, its PULL_RESP, the JoinAccept taken, the `join` published. */
export async function join(
  r: RadioSetup,
  gw: UdpGateway,
  device: OtaaDevice,
  deviceId: string,
): Promise<void> {
  const mark = markOf(gw);
  const subMark = r.sub.messages.length;
  await push(gw, device.joinRequest(), { freq: 868.1 });
  device.joinAccept(dataOf(txpkOf(await next(gw, ID.PULL_RESP, mark))));
  await message(r.sub, topicOf(r, deviceId, 'join'), subMark);
}

/** `GET …/down` with the application's key: the queue in sending order (not the one in flight). */
export async function queueOf(r: RadioSetup, device: string): Promise<Record<string, unknown>[]> {
  const res = await call<{ downlinks?: Record<string, unknown>[] }>(
    r.mote,
    { key: r.key },
    'GET',
    `/api/v3/as/applications/${r.app}/devices/${device}/down`,
  );
  if (res.status !== 200) throw new Error(`queue: ${JSON.stringify(res)}`);
  return res.body.downlinks ?? [];
}

/** Polls `condition` until it holds (for state only readable by asking, such as the queue). */
export async function eventually(condition: () => Promise<boolean>, timeoutMs = BOUND_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * LoRa time on air (Semtech SX1276 datasheet §4.1.1.7, AN1200.13), written here and not taken from
 * lib/lorawan/airtime.ts: 8-symbol preamble, explicit header, CRC, coding rate 4/5, 125 kHz, low
 * data rate optimisation at SF11 and SF12.
 */
export function airtimeSeconds(phyPayloadBytes: number, sf: number): number {
  const tSym = 2 ** sf / 125_000;
  const de = sf >= 11 ? 1 : 0;
  const n = Math.ceil((8 * phyPayloadBytes - 4 * sf + 28 + 16) / (4 * (sf - 2 * de)));
  return (8 + 4.25) * tSym + (8 + Math.max(n * 5, 0)) * tSym;
}
