/**
 * The simulator's virtual Semtech UDP gateway: against a scripted server socket (what it sends,
 * byte for byte through the server's own decoder), then against Mote's real gateway server and
 * network layer, where a simulated device joins, sends uplinks and takes a downlink.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { type Fixture, openFixture, withDevice } from '../../test/helpers/fixture';
import { until } from '../../test/helpers/gatewayServer';
import { decodeUpstream, encodeAck, encodePullResp, PacketId, type UpstreamPacket } from '../gs/udp/packets';
import { silentLogger } from '../log';
import { receiveUplink } from './radio';
import { seededRandom } from './random';
import { createSimulator, type Simulator } from './simulator';
import { loadSimState } from './state';
import { createSimUdpGateway, SIM_GATEWAY_EUI, SIM_GATEWAY_ID, type SimUdpGateway } from './udpGateway';

let gw: SimUdpGateway | undefined;
let sim: Simulator | undefined;
let f: Fixture | undefined;
let server: Socket | undefined;
afterEach(async () => {
  await gw?.close();
  await sim?.close();
  await f?.close();
  server?.close();
  gw = sim = f = server = undefined;
});

const noGateways = { findByEui: async () => undefined, create: async () => Promise.reject(new Error('no')) };

/** A server socket that acknowledges PUSH_DATA and PULL_DATA and records what it got. */
async function scriptedServer() {
  const s = createSocket('udp4');
  server = s;
  const got: { packet: UpstreamPacket; from: RemoteInfo }[] = [];
  s.on('message', (msg, from) => {
    const decoded = decodeUpstream(msg);
    if (!decoded.ok) throw new Error(decoded.reason);
    got.push({ packet: decoded.packet, from });
    const ack = { push_data: PacketId.PUSH_ACK, pull_data: PacketId.PULL_ACK, tx_ack: undefined }[
      decoded.packet.kind
    ];
    if (ack !== undefined) s.send(encodeAck(ack, decoded.packet.token), from.port, from.address);
  });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const of = (kind: UpstreamPacket['kind']) => got.filter((g) => g.packet.kind === kind);
  return { port: s.address().port, got, of };
}

const radios = () => receiveUplink(seededRandom(7), new Date('2026-12-02T08:00:00Z'), 5);
const dataUp = new Uint8Array([0x40, 1, 2, 3, 4, 0, 0, 0, 1, 0xaa, 0xbb, 0xcc, 0xdd]);

describe('virtual UDP gateway, as a packet forwarder', () => {
  it('pulls first, pushes an rxpk, takes the PULL_RESP of its receive window and answers TX_ACK', async () => {
    const srv = await scriptedServer();
    gw = createSimUdpGateway({ gateways: noGateways, log: silentLogger });
    gw.connect({ host: '127.0.0.1', port: srv.port });
    const frame = gw.uplink(dataUp, radios());
    await until(() => srv.of('push_data').length === 1, 2000, 'PUSH_DATA');
    expect(srv.got[0]?.packet).toMatchObject({ kind: 'pull_data', eui: SIM_GATEWAY_EUI });
    const push = at(srv.of('push_data'), 0);
    const rxpk = (push.packet.kind === 'push_data' && push.packet.body.rxpk[0]) as Record<string, unknown>;
    const radio = at(radios(), 0);
    expect(rxpk).toMatchObject({
      tmst: expect.any(Number),
      freq: radio.frequency / 1e6,
      modu: 'LORA',
      datr: 'SF7BW125',
      codr: '4/5',
      rssi: radio.rssi,
      lsnr: radio.snr,
      size: dataUp.length,
      data: Buffer.from(dataUp).toString('base64'),
    });
    const tmst = rxpk.tmst as number;
    // A PULL_RESP timed after every window this gateway listens in: too late.
    server?.send(encodePullResp(0x0101, { tmst: tmst + 60_000_000, data: 'AQ==' }), push.from.port);
    await until(() => srv.of('tx_ack').length === 1, 2000, 'TX_ACK');
    expect(at(srv.of('tx_ack'), 0).packet).toMatchObject({ token: 0x0101, error: 'TOO_LATE' });
    // RX1, one second after the uplink: the device gets the frame, the server TX_ACK NONE.
    server?.send(encodePullResp(0x0202, { tmst: tmst + 1_000_000, data: 'YAEC' }), push.from.port);
    expect([...((await frame) ?? [])]).toEqual([0x60, 1, 2]);
    await until(() => srv.of('tx_ack').length === 2, 2000, 'TX_ACK');
    expect(at(srv.of('tx_ack'), 1).packet).toMatchObject({
      token: 0x0202,
      error: 'NONE',
      eui: SIM_GATEWAY_EUI,
    });
  });

  it('hands each PULL_RESP to the uplink whose window it is timed for', async () => {
    const srv = await scriptedServer();
    gw = createSimUdpGateway({ gateways: noGateways, log: silentLogger });
    gw.connect({ host: '127.0.0.1', port: srv.port });
    const first = gw.uplink(dataUp, radios());
    await until(() => srv.of('push_data').length === 1, 2000, 'PUSH_DATA');
    const second = gw.uplink(dataUp, radios());
    await until(() => srv.of('push_data').length === 2, 2000, 'PUSH_DATA');
    const tmsts = srv.of('push_data').map((g) => {
      const rxpk = g.packet.kind === 'push_data' ? g.packet.body.rxpk[0] : undefined;
      return (rxpk as { tmst: number }).tmst;
    });
    const port = at(srv.of('push_data'), 0).from.port;
    // The second uplink's RX2 and the first's RX1: each lands within the other's waiting time.
    server?.send(encodePullResp(1, { tmst: at(tmsts, 1) + 2_000_000, data: 'Ag==' }), port);
    server?.send(encodePullResp(2, { tmst: at(tmsts, 0) + 1_000_000, data: 'AQ==' }), port);
    expect([...((await first) ?? [])]).toEqual([1]);
    expect([...((await second) ?? [])]).toEqual([2]);
  });

  it('ends a device waiting for its receive window when closed', async () => {
    const srv = await scriptedServer();
    gw = createSimUdpGateway({ gateways: noGateways, log: silentLogger });
    gw.connect({ host: '127.0.0.1', port: srv.port });
    const frame = gw.uplink(dataUp, radios());
    await until(() => srv.of('push_data').length === 1, 2000, 'PUSH_DATA');
    await gw.close();
    expect(await frame).toBeUndefined();
  });
});

describe('virtual UDP gateway, through the real gateway server and network layer', () => {
  it('registers itself, joins, and carries uplinks and a downlink with its TX_ACK', async () => {
    f = await openFixture();
    const fixture = f;
    await withDevice(fixture);
    const { port } = await fixture.mote.gs.listen();
    gw = createSimUdpGateway({
      gateways: fixture.store.gateways,
      registered: (eui) => fixture.mote.gatewaysChanged(eui),
      log: silentLogger,
    });
    gw.connect({ host: '127.0.0.1', port });
    sim = createSimulator({
      ns: fixture.ns,
      udp: gw,
      devices: fixture.store.devices,
      applications: fixture.store.applications,
      clock: fixture.clock,
      log: silentLogger,
      random: seededRandom(42),
    });
    expect(await sim.start('app1', 'dev1', { viaUdp: true })).toMatchObject({ via_udp: true });
    await sim.step('app1', 'dev1');
    expect(await fixture.store.gateways.findByEui(SIM_GATEWAY_EUI)).toMatchObject({
      gateway_id: SIM_GATEWAY_ID,
      frequency_plan_id: 'EU_863_870',
    });
    expect(fixture.messages.map((m) => m.event)).toEqual(['join']);

    await fixture.as.downlinks.push('app1', 'dev1', [{ f_port: 3, frm_payload: new Uint8Array([3]) }]);
    await sim.step('app1', 'dev1');
    await until(() => fixture.json('down/sent').length === 1, 3000, 'down/sent');
    const up = at(fixture.json('up'), 0).uplink_message;
    expect(at(up.rx_metadata as { gateway_ids: unknown }[], 0).gateway_ids).toEqual({
      gateway_id: SIM_GATEWAY_ID,
      eui: SIM_GATEWAY_EUI,
    });
    expect(at(fixture.json('down/sent'), 0).downlink_sent).toMatchObject({ f_port: 3 });
    // The device took the frame as it does in-process: MIC, FCntDown and decryption checked.
    expect((await loadSimState(fixture.store.devices, 'app1', 'dev1')).last_f_cnt_down).toBeDefined();
    expect(fixture.mote.gs.connection(SIM_GATEWAY_EUI)?.txAcks).toEqual({ NONE: 2 });
  });

  it('refuses via_udp when the simulator has no UDP gateway', async () => {
    f = await openFixture();
    await withDevice(f);
    sim = createSimulator({
      ns: f.ns,
      devices: f.store.devices,
      applications: f.store.applications,
      clock: f.clock,
      log: silentLogger,
    });
    await expect(sim.start('app1', 'dev1', { viaUdp: true })).rejects.toThrow(/via_udp/);
  });
});
