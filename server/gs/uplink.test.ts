import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, sleep, startGatewayServer, until } from '../../test/helpers/gatewayServer';
import { ID, rxpkFor } from '../../test/helpers/udpGateway';

// LoRaWAN test vectors (/work/shared/reference/lorawan-radio.md): unconfirmed ups of 260B1234.
const FRAME = Buffer.from('4034120B260001000536CCB91C6D25430D0A', 'hex');
const OTHER = Buffer.from('4034120B260001000586B83D220AF83B3346', 'hex');

let h: Harness;
beforeEach(async () => {
  h = await startGatewayServer();
});
afterEach(() => h.close());

describe('PUSH_DATA', () => {
  it('is acknowledged with the same token', async () => {
    const gw = await h.gateway('AA555A0000000001');
    const token = gw.pushData({ stat: { rxnb: 0 } }, 0xbeef);
    const ack = await gw.waitFor((d) => d.id === ID.PUSH_ACK);
    expect(ack).toMatchObject({ version: 2, token: 0xbeef });
    expect(ack.body.length).toBe(0);
    expect(token).toBe(0xbeef);
  });

  it('maps every rxpk field to RadioMetadata', async () => {
    const gw = await h.gateway('AA555A0000000001');
    gw.pull();
    await gw.waitFor((d) => d.id === ID.PULL_ACK);
    gw.pushData({
      rxpk: [
        rxpkFor(FRAME, {
          time: '2026-12-02T08:00:00.123456Z',
          tmst: 4_000_000_123,
          chan: 5,
          freq: 867.5,
          datr: 'SF9BW125',
          codr: '4/7',
          rssi: -97,
          lsnr: -7.25,
        }),
      ],
    });
    await h.waitCalls(1);
    const { phyPayload, radios } = h.calls[0]!;
    expect(phyPayload.equals(FRAME)).toBe(true);
    expect(radios).toHaveLength(1);
    const radio = radios[0]!;
    expect(radio.receivedAt).toBeInstanceOf(Date);
    expect({ ...radio, receivedAt: undefined }).toEqual({
      gatewayIds: { gateway_id: 'gw-0001', eui: 'AA555A0000000001' },
      timestamp: 4_000_000_123,
      time: '2026-12-02T08:00:00.123456Z',
      rssi: -97,
      channelRssi: -97,
      snr: -7.25,
      channelIndex: 5,
      frequency: 867_500_000,
      modulation: { spreadingFactor: 9, bandwidth: 125_000 },
      codingRate: '4/7',
      downlinkPath: true,
      receivedAt: undefined,
    });
  });

  it('takes the signal RSSI from rssis when the concentrator reports it, and the position of stat', async () => {
    const gw = await h.gateway('AA555A0000000001');
    gw.pushData({
      rxpk: [rxpkFor(FRAME, { rssi: -80, rssis: -84, freq: 868.1, datr: 'SF12BW125' })],
      stat: { time: '2026-12-02 08:00:00 GMT', lati: 52.37, long: 4.89, alti: 12, rxnb: 1, rxok: 1 },
    });
    await h.waitCalls(1);
    const radio = h.calls[0]!.radios[0]!;
    expect(radio).toMatchObject({
      rssi: -84,
      channelRssi: -80,
      frequency: 868_100_000,
      modulation: { spreadingFactor: 12, bandwidth: 125_000 },
      downlinkPath: false,
      location: { latitude: 52.37, longitude: 4.89, altitude: 12, source: 'SOURCE_GPS' },
    });
    const c = h.gs.connection('AA555A0000000001')!;
    expect(c.location).toEqual({ latitude: 52.37, longitude: 4.89, altitude: 12 });
    expect(c.lastStatus).toMatchObject({ rxnb: 1, rxok: 1 });
    expect(c.lastStatusAt).toBeDefined();
    expect(h.gs.traffic('AA555A0000000001').map((e) => e.kind)).toEqual(['status', 'up']);
  });

  it('drops CRC-failed rxpk and counts them', async () => {
    const gw = await h.gateway('AA555A0000000001');
    gw.pushData({ rxpk: [rxpkFor(OTHER, { stat: -1 }), rxpkFor(FRAME)] });
    await h.waitCalls(1);
    await sleep(300);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.phyPayload.equals(FRAME)).toBe(true);
    expect(h.gs.stats()).toMatchObject({ received: 2, forwarded: 1, crcFailed: 1 });
    expect(h.gs.connection('AA555A0000000001')).toMatchObject({ uplinks: 2, uplinksCrcFailed: 1 });
  });

  it('records the frame in the traffic ring', async () => {
    const gw = await h.gateway('AA555A0000000001');
    gw.uplink(FRAME);
    await h.waitCalls(1);
    const [up] = h.gs.traffic('AA555A0000000001');
    expect(up).toMatchObject({
      seq: 1,
      kind: 'up',
      mType: 'unconfirmed_up',
      devAddr: '260B1234',
      fCnt: 1,
      rssi: -35,
      snr: 5.1,
      frequency: 868_500_000,
      dataRate: 'SF7BW125',
      size: FRAME.length,
    });
    expect(h.gs.traffic('AA555A0000000001', 1)).toEqual([]);
  });
});

describe('merging copies from several gateways', () => {
  it('makes one handleUplink call with one radio per gateway', async () => {
    const a = await h.gateway('AA555A0000000001');
    const b = await h.gateway('AA555A0000000002');
    a.uplink(FRAME, { rssi: -50 });
    await sleep(50);
    b.uplink(FRAME, { rssi: -90 });
    await h.waitCalls(1);
    await sleep(300);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.radios.map((r) => [r.gatewayIds.eui, r.rssi])).toEqual([
      ['AA555A0000000001', -50],
      ['AA555A0000000002', -90],
    ]);
    expect(h.gs.stats()).toMatchObject({ forwarded: 2, frames: 1 });
  });

  it('keeps different frames apart', async () => {
    const a = await h.gateway('AA555A0000000001');
    const b = await h.gateway('AA555A0000000002');
    a.uplink(FRAME);
    b.uplink(OTHER);
    await h.waitCalls(2);
    await sleep(250);
    expect(h.calls).toHaveLength(2);
    expect(h.calls.every((c) => c.radios.length === 1)).toBe(true);
  });

  it('does not merge a copy that comes after the window', async () => {
    const a = await h.gateway('AA555A0000000001');
    const b = await h.gateway('AA555A0000000002');
    a.uplink(FRAME);
    await sleep(350);
    b.uplink(FRAME);
    await h.waitCalls(2);
    expect(h.calls.map((c) => c.radios.map((r) => r.gatewayIds.eui))).toEqual([
      ['AA555A0000000001'],
      ['AA555A0000000002'],
    ]);
  });
});

describe('unregistered gateways', () => {
  it('are acknowledged, their uplinks dropped, and listed', async () => {
    const gw = await h.gateway('AA555A00000000FF', false);
    const push = gw.uplink(FRAME);
    const pull = gw.pull();
    await gw.waitFor((d) => d.id === ID.PUSH_ACK && d.token === push);
    await gw.waitFor((d) => d.id === ID.PULL_ACK && d.token === pull);
    gw.uplink(OTHER);
    await until(() => h.gs.stats().unregistered === 2, 1000, 'two dropped uplinks');
    await sleep(300);
    expect(h.calls).toHaveLength(0);
    const [stranger] = h.gs.unregistered();
    expect(stranger).toMatchObject({ eui: 'AA555A00000000FF', protocol: 'udp', uplinks: 2 });
    expect(stranger!.gatewayId).toBeUndefined();
    expect(stranger!.firstSeenAt <= stranger!.lastSeenAt).toBe(true);
    expect(stranger!.remoteAddress).toBe(`127.0.0.1:${gw.port}`);
    expect(h.gs.traffic('AA555A00000000FF')[0]).toMatchObject({
      kind: 'up',
      dropped: 'gateway_not_registered',
    });
  });

  it('are served once registered and the cache invalidated', async () => {
    const gw = await h.gateway('AA555A00000000FF', false);
    gw.uplink(FRAME);
    await until(() => h.gs.stats().unregistered === 1, 1000, 'a dropped uplink');
    h.registry.set('AA555A00000000FF', registeredAs('AA555A00000000FF'));
    h.gs.invalidate('aa555a00000000ff');
    gw.uplink(OTHER);
    await h.waitCalls(1);
    expect(h.gs.unregistered()).toEqual([]);
    expect(h.gs.connection('AA555A00000000FF')?.gatewayId).toBe('gw-new');
  });
});

const registeredAs = (eui: string) => ({
  gateway_id: 'gw-new',
  eui,
  frequency_plan_id: 'EU_863_870',
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
});
