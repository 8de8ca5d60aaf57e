/**
 * The network layer's verdict in a gateway's traffic: the device an uplink resolved to, or why it
 * was dropped, on every gateway's copy; and a gateway registered after it was heard leaves the
 * unregistered list at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, registered, startGatewayServer, until } from '../../test/helpers/gatewayServer';
import { ID } from '../../test/helpers/udpGateway';

// LoRaWAN test vectors (/work/shared/reference/lorawan-radio.md): unconfirmed ups of 260B1234.
const FRAME = Buffer.from('4034120B260001000536CCB91C6D25430D0A', 'hex');
const OTHER = Buffer.from('4034120B260001000586B83D220AF83B3346', 'hex');
const DEVICE = { application_ids: { application_id: 'app1' }, device_id: 'dev1', dev_addr: '260B1234' };

let h: Harness;
beforeEach(async () => {
  h = await startGatewayServer();
});
afterEach(() => h.close());

const ups = (eui: string) => h.gs.traffic(eui).filter((e) => e.kind === 'up');

describe('traffic events of forwarded uplinks', () => {
  it('name the device on every copy, recorded once the verdict is in, timed at arrival', async () => {
    h.verdict = () => ({ ids: DEVICE });
    const a = await h.gateway('AA555A0000000001');
    const b = await h.gateway('AA555A0000000002');
    const before = new Date().toISOString();
    a.uplink(FRAME);
    b.uplink(FRAME, { rssi: -90 });
    await until(() => ups(a.eui).length + ups(b.eui).length === 2, 2000, 'both copies recorded');
    expect(h.calls).toHaveLength(1);
    for (const gw of [a, b]) {
      const [up] = ups(gw.eui);
      expect(up).toMatchObject({
        kind: 'up',
        devAddr: '260B1234',
        deviceIds: { application_id: 'app1', device_id: 'dev1' },
      });
      expect(up!.dropped).toBeUndefined();
      // The arrival, not the verdict 200 ms later.
      expect(up!.time >= before).toBe(true);
      expect(Date.parse(up!.time)).toBeLessThan(Date.parse(before) + 150);
    }
  });

  it('name the drop, and keep a replay after the window apart', async () => {
    let n = 0;
    h.verdict = () =>
      n++ === 0 ? { ids: DEVICE, dropped: 'mic_mismatch' } : { dropped: 'duplicate_uplink' };
    const a = await h.gateway('AA555A0000000001');
    a.uplink(FRAME);
    await until(() => ups(a.eui).length === 1, 2000, 'the first copy');
    a.uplink(FRAME);
    await until(() => ups(a.eui).length === 2, 2000, 'the replay');
    expect(ups(a.eui).map((e) => [e.dropped, e.deviceIds?.device_id])).toEqual([
      ['mic_mismatch', 'dev1'],
      ['duplicate_uplink', undefined],
    ]);
  });

  it('are recorded as they are when the network layer reports nothing', async () => {
    const a = await h.gateway('AA555A0000000001');
    a.uplink(OTHER);
    await h.waitCalls(1);
    await until(() => ups(a.eui).length === 1, 1000, 'the uplink');
    expect(ups(a.eui)[0]).toMatchObject({ kind: 'up', devAddr: '260B1234' });
    expect(ups(a.eui)[0]!.deviceIds).toBeUndefined();
  });
});

describe('a gateway registered after it was heard', () => {
  it('leaves the unregistered list on invalidate, before its next datagram', async () => {
    const gw = await h.gateway('AA555A00000000FF', false);
    gw.pull();
    await gw.waitFor((d) => d.id === ID.PULL_ACK);
    await until(() => h.gs.unregistered().length === 1, 1000, 'the stranger listed');
    h.registry.set(gw.eui, registered(gw.eui, 'gw-late'));
    h.gs.invalidate(gw.eui.toLowerCase());
    await until(() => h.gs.unregistered().length === 0, 1000, 'the stranger gone');
    expect(h.gs.connection(gw.eui)?.gatewayId).toBe('gw-late');
    // And the other way: deleted, it is a stranger again.
    h.registry.delete(gw.eui);
    h.gs.invalidate(gw.eui);
    await until(() => h.gs.unregistered().length === 1, 1000, 'a stranger again');
    expect(h.gs.connection(gw.eui)?.gatewayId).toBeUndefined();
  });
});
