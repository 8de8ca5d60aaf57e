/**
 * The simulator's virtual gateway as a real Semtech UDP packet forwarder (PROTOCOL.TXT v2, issue
 * 13): a client of Mote's own gateway server, so simulated frames take the whole radio path a real
 * gateway's take — PUSH_DATA → merge window → network layer → PULL_RESP → TX_ACK.
 *
 * - It registers itself (`sim-gateway`, EUI SIM_GATEWAY_EUI) on start if that EUI is not in the
 *   registry yet, then sends PULL_DATA, so it has a downlink path before its first uplink, and
 *   again every keepalive interval (10 s, lora_pkt_fwd's default).
 * - Each uplink is one `rxpk` in a PUSH_DATA, `tmst` from its own concentrator counter (µs since
 *   start, wrapping at 2^32), the rest from the simulator's radio metadata.
 * - A PULL_RESP timed in a waiting uplink's receive windows is answered TX_ACK `NONE` and its frame
 *   handed to that device at once, not at the scheduled time: the simulator does not play out time
 *   on air. One timed for no waiting uplink is answered `TOO_LATE`, as a concentrator whose moment
 *   has passed.
 * - No PULL_RESP by the uplink's last window (RECEIVE_DELAY2, 2 s; JOIN_ACCEPT_DELAY2, 6 s): no
 *   downlink for that uplink.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { EU_863_870 } from '../../lib/bands';
import {
  type DownstreamPacket,
  decodeDownstream,
  encodeUpstream,
  type UpstreamPacket,
} from '../gs/udp/packets';
import type { Logger } from '../log';
import type { RadioMetadata } from '../ns/ports';
import type { GatewayStore } from '../store/ports';
import { toRxpk } from './rxpk';
import type { RadioTransport } from './transport';

/** From the IANA range for EUI-64s in documentation (RFC 7042 §2.2.3): no real gateway has it. */
export const SIM_GATEWAY_EUI = '00005EEF10000001';
export const SIM_GATEWAY_ID = 'sim-gateway';
/** Amsterdam, beside the in-process virtual gateways (radio.ts), so a map shows it with them. */
const SIM_GATEWAY_LOCATION = { latitude: 52.37, longitude: 4.89, altitude: 5 };
export const SIM_KEEPALIVE_MS = 10_000;
/** How long start() waits for the first PULL_ACK before going on without it. */
const PULL_ACK_WAIT_MS = 1000;

export interface UdpServerAddress {
  host: string;
  port: number;
}

export interface SimUdpGatewayDeps {
  gateways: Pick<GatewayStore, 'findByEui' | 'create'>;
  /** Called after it registered itself: the gateway server's registry cache must see it. */
  registered?(eui: string): void;
  log: Logger;
  keepaliveMs?: number;
}

export interface SimUdpGateway extends RadioTransport {
  /** Where the gateway server listens; known only once Mote listens, so uplinks wait for it. */
  connect(server: UdpServerAddress): void;
  /** Registers, binds and sends the first PULL_DATA; once, and again after a failure. */
  start(): Promise<void>;
  /** Uplinks still waiting for a downlink end without one. */
  close(): Promise<void>;
}

interface Listening {
  tmst: number;
  /** The receive windows' delays after the uplink, µs. */
  windows: readonly number[];
  done(frame: Uint8Array | undefined): void;
}

const US = 1_000_000;
const { delays } = EU_863_870;
/** LoRaWAN 1.0.3 §4.2.1: MType 000 is a JoinRequest, answered in the join windows. */
const isJoinRequest = (phy: Uint8Array) => phy.length > 0 && phy[0]! >>> 5 === 0;

export function createSimUdpGateway(deps: SimUdpGatewayDeps): SimUdpGateway {
  const log = deps.log.child({ component: 'sim-udp', eui: SIM_GATEWAY_EUI });
  const epoch = process.hrtime.bigint();
  const listening = new Set<Listening>();
  let resolveServer: (s: UdpServerAddress | undefined) => void = () => {};
  const server = new Promise<UdpServerAddress | undefined>((r) => {
    resolveServer = r;
  });
  let socket: Socket | undefined;
  let target: UdpServerAddress | undefined;
  let starting: Promise<void> | undefined;
  let keepalive: NodeJS.Timeout | undefined;
  let pullAcked: (() => void) | undefined;
  let closed = false;
  let token = 0;
  let lastTmst = -1;

  const concentratorTime = () => {
    let t = Number(((process.hrtime.bigint() - epoch) / 1000n) % 2n ** 32n);
    // Two uplinks in the same microsecond would be told apart by nothing: bump the second.
    if (t === lastTmst) t = (t + 1) >>> 0;
    lastTmst = t;
    return t;
  };

  const nextToken = () => {
    token = (token + 1) & 0xffff;
    return token;
  };
  const send = (packet: UpstreamPacket) => {
    if (!socket || !target || closed) return;
    socket.send(encodeUpstream(packet), target.port, target.host, (err) => {
      if (err) log.debug({ err }, 'udp send failed');
    });
  };
  const eui = SIM_GATEWAY_EUI;
  const pull = () => send({ kind: 'pull_data', token: nextToken(), eui });
  const txAck = (t: number, error: string) => send({ kind: 'tx_ack', token: t, eui, error });

  function receive(packet: DownstreamPacket) {
    if (packet.kind === 'pull_ack') pullAcked?.();
    if (packet.kind !== 'pull_resp') return;
    const { txpk } = packet;
    const tmst = typeof txpk.tmst === 'number' ? txpk.tmst >>> 0 : undefined;
    const data = typeof txpk.data === 'string' ? Buffer.from(txpk.data, 'base64') : undefined;
    if (tmst === undefined || !data || data.length === 0) {
      log.warn({ txpk }, 'PULL_RESP without tmst or data ignored');
      return;
    }
    // Class A windows open exactly their delay after the uplink (§3.3): with several devices
    // waiting at once, only the exact offset tells whose window a PULL_RESP is for.
    const device = [...listening].find((l) => l.windows.includes((tmst - l.tmst) >>> 0));
    if (!device) {
      txAck(packet.token, 'TOO_LATE');
      return;
    }
    txAck(packet.token, 'NONE');
    device.done(data);
  }

  async function register() {
    if (await deps.gateways.findByEui(SIM_GATEWAY_EUI)) return;
    try {
      await deps.gateways.create(SIM_GATEWAY_ID, {
        eui: SIM_GATEWAY_EUI,
        name: 'Simulator',
        description: "The network simulator's virtual Semtech UDP gateway",
        frequency_plan_id: 'EU_863_870',
        location: SIM_GATEWAY_LOCATION,
      });
      deps.registered?.(SIM_GATEWAY_EUI);
      log.info({ gateway_id: SIM_GATEWAY_ID }, 'registered the virtual gateway');
    } catch (err) {
      // The ID may be taken by a user's gateway: register the EUI under another ID to use the mode.
      log.warn({ err }, 'could not register the virtual gateway: its uplinks are dropped as unregistered');
    }
  }

  async function open() {
    const to = await server;
    if (!to || closed) return;
    await register();
    const s = createSocket(isIPv6(to.host) ? 'udp6' : 'udp4');
    s.on('message', (msg) => {
      const decoded = decodeDownstream(msg);
      if (decoded.ok) receive(decoded.packet);
      else log.debug({ reason: decoded.reason }, 'malformed datagram from the gateway server');
    });
    s.on('error', (err) => log.warn({ err }, 'udp socket error'));
    await new Promise<void>((resolve) => s.bind(0, to.host, resolve));
    socket = s;
    target = to;
    const acked = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PULL_ACK_WAIT_MS);
      pullAcked = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    pull();
    keepalive = setInterval(pull, deps.keepaliveMs ?? SIM_KEEPALIVE_MS).unref();
    if (!(await acked)) log.warn('no PULL_ACK from the gateway server yet: downlinks may miss');
    pullAcked = undefined;
  }

  const start = () => {
    starting ??= open().catch((err: unknown) => {
      starting = undefined;
      throw err;
    });
    return starting;
  };

  return {
    connect: (to) => resolveServer(to),
    start,

    async uplink(phyPayload: Uint8Array, radios: readonly RadioMetadata[]) {
      await start();
      const radio = radios[0];
      if (!socket || closed || !radio) return undefined;
      const tmst = concentratorTime();
      const delaysS = isJoinRequest(phyPayload)
        ? [delays.joinAcceptDelay1, delays.joinAcceptDelay2]
        : [delays.receiveDelay1, delays.receiveDelay2];
      const frame = new Promise<Uint8Array | undefined>((resolve) => {
        const timer = setTimeout(() => l.done(undefined), Math.max(...delaysS) * 1000);
        const l: Listening = {
          tmst,
          windows: delaysS.map((d) => d * US),
          done: (f) => {
            clearTimeout(timer);
            listening.delete(l);
            resolve(f);
          },
        };
        listening.add(l);
      });
      send({ kind: 'push_data', token: nextToken(), eui, body: { rxpk: [toRxpk(phyPayload, radio, tmst)] } });
      return frame;
    },

    async close() {
      closed = true;
      resolveServer(undefined);
      clearInterval(keepalive);
      for (const l of [...listening]) l.done(undefined);
      const s = socket;
      socket = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
