import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EU_863_870 } from '../../lib/bands';
import { at } from '../../test/helpers/at';
import { type NsFixture, openNs } from '../../test/helpers/ns';
import { windowsFor } from './downlink';
import type { Transmission } from './ports';
import { bestGateway } from './radio';
import { rx1Window, rx2Window } from './windows';

let t: NsFixture;
beforeEach(async () => {
  t = await openNs();
});
afterEach(() => t.close());

const push = (...payloads: Array<{ payload: string; confirmed?: boolean }>) =>
  t.f.as.downlinks.push(
    'app1',
    'dev1',
    payloads.map((p, i) => ({
      f_port: 10 + i,
      frm_payload: Buffer.from(p.payload),
      confirmed: p.confirmed,
      correlation_ids: [`item:${p.payload}`],
    })),
  );
const queue = async () =>
  (await t.f.as.downlinks.list('app1', 'dev1')).map((text) => JSON.parse(text) as { f_port: number });
const sent = () => t.f.json('down/sent').map((m) => m.downlink_sent);
async function uplink(o: { ack?: boolean } = {}): Promise<Transmission> {
  const tx = await t.send(t.device.up({ payload: Buffer.of(1), ...o }));
  if (!tx) throw new Error('no Transmission');
  return tx;
}
const first = (tx: Transmission) => at([...tx.windows], 0);

describe('the windows of a Transmission', () => {
  it('lists RX1 then RX2, each a full TxRequest with the one frame, when it fits both', async () => {
    await t.join();
    await push({ payload: 'small' });
    const tx = await uplink();
    expect(tx.windows).toHaveLength(2);
    const [rx1, rx2] = tx.windows;
    const common = { gateway: { eui: '00800000A0000001' }, power: expect.any(Number), codingRate: '4/5' };
    expect(rx1).toMatchObject({
      ...common,
      window: 'rx1',
      delay: 1,
      frequency: 868_100_000,
      dataRateIndex: 5,
    });
    expect(rx2).toMatchObject({
      ...common,
      window: 'rx2',
      delay: 2,
      frequency: 869_525_000,
      dataRateIndex: 0,
    });
    expect(rx1?.timestamp).toBe(1_000_000 + 1_000_000);
    expect(rx2?.timestamp).toBe(1_000_000 + 2_000_000);
    expect(rx2?.modulation).toEqual({ spreadingFactor: 12, bandwidth: 125_000 });
    expect(Buffer.from(rx2?.phyPayload ?? [])).toEqual(Buffer.from(rx1?.phyPayload ?? []));
  });

  it('leaves out RX2 when only RX1 carries the frame (100 bytes: DR5 yes, DR0 no)', async () => {
    await t.join();
    await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 1, frm_payload: Buffer.alloc(100, 1) }]);
    const tx = await uplink();
    expect(tx.windows.map((w) => w.window)).toEqual(['rx1']);
  });

  it('only RX2 when RX1 cannot carry it; MAC answers give way to the payload', () => {
    const plan = EU_863_870;
    const rx1 = rx1Window(plan, 868_100_000, 0, 1);
    const roomyRx2 = { ...rx2Window(plan, 2), dr: 5 };
    if (!rx1) throw new Error('no RX1');
    expect(windowsFor(plan, [rx1, roomyRx2], 100, new Uint8Array(0)).windows.map((w) => w.window)).toEqual([
      'rx2',
    ]);
    // 51 bytes fill DR0: with 5 bytes of answers only the roomy RX2 carries both.
    const answers = new Uint8Array(5);
    expect(windowsFor(plan, [rx1, roomyRx2], 51, answers)).toMatchObject({ fOpts: answers });
    expect(windowsFor(plan, [rx1, roomyRx2], 51, answers).windows.map((w) => w.window)).toEqual(['rx2']);
    // Neither carries 51 bytes and the answers at DR0: the answers are left out.
    const bare = windowsFor(plan, [rx1], 51, answers);
    expect(bare.windows.map((w) => w.window)).toEqual(['rx1']);
    expect(bare.fOpts).toHaveLength(0);
  });

  it('offers a JoinAccept in JOIN_ACCEPT_DELAY1, then DELAY2', async () => {
    const tx = await t.send(t.device.joinRequest());
    expect(tx?.windows.map((w) => [w.window, w.delay, w.timestamp])).toEqual([
      ['rx1', 5, 6_000_000],
      ['rx2', 6, 7_000_000],
    ]);
    await tx?.settle({ sent: 'rx2' });
    t.device.joinAccept(at([...(tx?.windows ?? [])], 1).phyPayload);
    expect(t.device.session?.devAddr).toBe(at(t.f.json('join'), 0).end_device_ids.dev_addr);
  });
});

describe('down/sent once transmitted', () => {
  it('nothing before settle; sent → down/sent with the FCnt of the frame', async () => {
    await t.join();
    await push({ payload: 'one' });
    const tx = await uplink();
    expect(t.f.json('down/sent')).toEqual([]);
    expect(await queue()).toEqual([]);
    const frame = t.device.down(first(tx).phyPayload);
    await tx.settle({ sent: 'rx1' });
    expect(sent()).toHaveLength(1);
    expect(at(sent(), 0)).toMatchObject({ f_port: 10, frm_payload: Buffer.from('one').toString('base64') });
    expect(at(sent(), 0).f_cnt ?? 0).toBe(frame.fCnt);
    expect(at(t.f.json('down/sent'), 0).correlation_ids).toContain('item:one');
  });

  it('failed → back first in the queue, no down/sent; the next uplink delivers it with a new FCnt', async () => {
    await t.join();
    await push({ payload: 'one' }, { payload: 'two' });
    const lost = await uplink();
    const lostFCnt = t.device.down(first(lost).phyPayload).fCnt;
    await lost.settle({ failed: 'TOO_LATE' });
    expect(t.f.json('down/sent')).toEqual([]);
    expect((await queue()).map((d) => d.f_port)).toEqual([10, 11]);
    // The queued item carries no FCnt of its own: the next frame gets one.
    expect(await t.f.as.downlinks.list('app1', 'dev1')).not.toContain('f_cnt');
    const again = await uplink();
    const frame = t.device.down(first(again).phyPayload);
    expect(Buffer.from(frame.frmPayload).toString()).toBe('one');
    expect(frame.fCnt).toBe(lostFCnt + 1);
    await again.settle({ sent: 'rx1' });
    expect(sent().map((d) => [d.f_port, d.f_cnt])).toEqual([[10, frame.fCnt]]);
  });

  it('confirmed: sent → the ACK of the next uplink → down/ack', async () => {
    await t.join();
    await push({ payload: 'conf', confirmed: true });
    const tx = await uplink();
    expect(t.device.down(first(tx).phyPayload).confirmed).toBe(true);
    await tx.settle({ sent: 'rx2' });
    expect(t.f.json('down/ack')).toEqual([]);
    await t.exchange(t.device.up({ payload: Buffer.of(2), ack: true }));
    const ack = at(t.f.json('down/ack'), 0);
    expect(ack.downlink_ack).toMatchObject({ f_port: 10, confirmed: true });
    expect(ack.correlation_ids).toContain('item:conf');
    expect(t.f.json('down/nack')).toEqual([]);
  });

  it('a downlink never settled goes back to the head at the next uplink, before what came later', async () => {
    await t.join();
    await push({ payload: 'one' });
    const forgotten = await uplink();
    await push({ payload: 'two' });
    const tx = await uplink();
    expect(Buffer.from(t.device.down(first(tx).phyPayload).frmPayload).toString()).toBe('one');
    expect((await queue()).map((d) => d.f_port)).toEqual([10]);
    // The late settle of the first frame changes nothing: that FCnt is no longer in flight.
    await forgotten.settle({ sent: 'rx1' });
    expect(t.f.json('down/sent')).toEqual([]);
    await tx.settle({ sent: 'rx1' });
    expect(sent().map((d) => d.f_port)).toEqual([10]);
  });
});

describe('FPending', () => {
  it('is set while more is queued behind the frame, and clear on the last', async () => {
    await t.join();
    await push({ payload: 'one' }, { payload: 'two' });
    const a = await uplink();
    expect(t.device.down(first(a).phyPayload).fCtrl.fPending).toBe(true);
    await a.settle({ sent: 'rx1' });
    const b = await uplink();
    expect(t.device.down(first(b).phyPayload).fCtrl.fPending).toBe(false);
    await b.settle({ sent: 'rx1' });
    expect(sent().map((d) => d.f_port)).toEqual([10, 11]);
  });
});

describe('downlink paths', () => {
  it('bestGateway prefers a gateway that can take downlinks, then SNR and RSSI', () => {
    const strong = t.rx({ n: 1, snr: 10, downlinkPath: false });
    const weak = t.rx({ n: 2, snr: -5 });
    const weaker = t.rx({ n: 3, snr: -5, rssi: -100 });
    expect(bestGateway([strong, weaker, weak])?.gatewayIds.eui).toBe('00800000A0000002');
    expect(bestGateway([strong])).toBeUndefined();
    expect(bestGateway([{ ...strong, downlinkPath: true }, weak])?.gatewayIds.eui).toBe('00800000A0000001');
  });

  it('answers through the gateway with a path, at its own timestamp', async () => {
    await t.join();
    await push({ payload: 'one' });
    const tx = await t.send(t.device.up({ payload: Buffer.of(1) }), [
      t.rx({ n: 1, snr: 10, downlinkPath: false }),
      t.rx({ n: 2, snr: -3 }),
    ]);
    expect(tx?.windows[0]).toMatchObject({
      gateway: { eui: '00800000A0000002' },
      timestamp: 2_000_000 + 1_000_000,
    });
  });

  it('none can take it: the uplink is published, no Transmission, the item stays queued', async () => {
    await t.join();
    await push({ payload: 'one' });
    const noPath = t.rx({ downlinkPath: false });
    expect(await t.send(t.device.up({ payload: Buffer.of(7), confirmed: true }), noPath)).toBeUndefined();
    expect(at(t.f.json('up'), 0).uplink_message.frm_payload).toBe('Bw==');
    expect((await queue()).map((d) => d.f_port)).toEqual([10]);
    // No FCntDown was spent.
    expect(t.registry.get('app1', 'dev1')?.session?.lastFCntDown).toBeUndefined();
    const tx = await uplink();
    expect(t.device.down(first(tx).phyPayload)).toMatchObject({ fCnt: 0, fPort: 10 });
  });

  it('a pending confirmed downlink is still settled by an uplink no gateway can answer', async () => {
    await t.join();
    await push({ payload: 'conf', confirmed: true });
    const tx = await uplink();
    t.device.down(first(tx).phyPayload);
    await tx.settle({ sent: 'rx1' });
    await t.send(t.device.up({ payload: Buffer.of(2), ack: true }), t.rx({ downlinkPath: false }));
    expect(t.f.json('down/ack')).toHaveLength(1);
  });

  it('a JoinRequest no gateway can answer is dropped before it changes anything', async () => {
    expect(await t.send(t.device.joinRequest(), t.rx({ downlinkPath: false }))).toBeUndefined();
    expect(at(t.drops, -1)).toMatchObject({ name: 'no_downlink_path', ids: { device_id: 'dev1' } });
    expect(t.f.json('join')).toEqual([]);
    // The DevNonce was not used up: the device may send it again.
    await t.join();
    expect(t.f.json('join')).toHaveLength(1);
  });
});
