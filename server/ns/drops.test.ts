import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { withDevice } from '../../test/helpers/fixture';
import { type NsFixture, openNs } from '../../test/helpers/ns';
import { OtaaDevice } from '../../test/helpers/otaaDevice';
import { storageFull } from '../store/faults';

let t: NsFixture;
beforeEach(async () => {
  t = await openNs();
});
afterEach(() => t.close());

/** Dropped: nothing to send, nothing published, counted, reported with its name. */
async function expectDropped(bytes: Uint8Array, name: string) {
  const published = t.f.messages.length;
  const before = t.ns.stats().drops[name] ?? 0;
  await expect(t.send(bytes)).resolves.toBeUndefined();
  expect(t.f.messages.length).toBe(published);
  expect(t.ns.stats().drops[name]).toBe(before + 1);
  return at(t.drops, -1);
}

describe('frames the network server drops', () => {
  it('a wrong MIC, on a join and on an uplink', async () => {
    const stranger = new OtaaDevice('00'.repeat(16));
    expect((await expectDropped(stranger.joinRequest(), 'mic_mismatch')).ids?.device_id).toBe('dev1');
    await t.join();
    const up = t.device.up({ payload: Buffer.of(1) });
    up[up.length - 1] = (up[up.length - 1] ?? 0) ^ 1;
    expect((await expectDropped(up, 'mic_mismatch')).ids?.device_id).toBe('dev1');
  });

  it('a DevNonce used before', async () => {
    await t.join();
    const again = t.device.joinRequest(t.device.devNonce);
    const drop = await expectDropped(again, 'dev_nonce_reused');
    expect(drop.details).toMatchObject({ dev_nonce: t.device.devNonce });
    expect(t.f.json('join')).toHaveLength(1);
  });

  it('unknown JoinEUI/DevEUI and unknown DevAddr', async () => {
    const other = new OtaaDevice(t.device.appKey, '4200000000000001');
    const drop = await expectDropped(other.joinRequest(), 'unknown_join_eui');
    expect(drop.ids).toBeUndefined();
    expect(drop.details).toMatchObject({ join_eui: '4200000000000001' });
    await t.join();
    if (t.device.session) t.device.session.devAddr = '01234567';
    await expectDropped(t.device.up({ payload: Buffer.of(1) }), 'unknown_dev_addr');
  });

  it('a replayed FCnt, and the same frame again', async () => {
    await t.join();
    const first = t.device.up({ payload: Buffer.of(1) });
    await t.send(first);
    await t.send(t.device.up({ payload: Buffer.of(2) }));
    // The first frame played again later: its FCnt is behind.
    await expectDropped(first, 'fcnt_replay');
    // The last FCnt again with other content (a retransmission): a duplicate.
    await expectDropped(t.device.up({ payload: Buffer.of(3), fCnt: 1 }), 'duplicate_uplink');
    expect(t.f.json('up')).toHaveLength(2);
  });

  it('a second gateway’s copy within the dedup window', async () => {
    await t.join();
    const up = t.device.up({ payload: Buffer.of(1) });
    await t.send(up);
    await expect(t.ns.handleUplink(up, t.rx({ n: 2 }))).resolves.toBeUndefined();
    expect(t.ns.stats().drops.duplicate_uplink).toBe(1);
    expect(t.f.json('up')).toHaveLength(1);
  });

  it('truncated, oversize, empty, RFU MType, downlink MType', async () => {
    await t.join();
    const up = t.device.up({ payload: Buffer.of(1) });
    await expectDropped(up.subarray(0, 10), 'phy_payload_too_short');
    await expectDropped(Buffer.alloc(0), 'phy_payload_too_short');
    await expectDropped(Buffer.alloc(256, 0x40), 'phy_payload_too_long');
    await expectDropped(Buffer.concat([Buffer.of(0xc0), up.subarray(1)]), 'invalid_mtype');
    await expectDropped(Buffer.concat([Buffer.of(0x60), up.subarray(1)]), 'unexpected_mtype');
    expect(t.ns.stats()).toMatchObject({ dropped: 5, uplinks: 0 });
  });
});

describe('two instances on one database (ADR 0006 point 2)', () => {
  /** This instance's view of the device stays as it is now; the registry moves on behind it. */
  async function staleView() {
    const [view] = await t.registry.findByDevAddr(t.device.session?.devAddr ?? '');
    t.registry.findByDevAddr = async () =>
      view ? [{ ...view, session: view.session && { ...view.session } }] : [];
    const stored = t.registry.get('app1', 'dev1')?.session;
    if (!stored) throw new Error('no session');
    return stored;
  }

  it('an uplink whose FCnt the other instance stored first is dropped as a duplicate', async () => {
    await t.join();
    await t.send(t.device.up({ payload: Buffer.of(1) }));
    const stored = await staleView();
    // The other instance took the next frame before its notice reached this one.
    stored.lastFCntUp = (stored.lastFCntUp ?? 0) + 1;
    const drop = await expectDropped(t.device.up({ payload: Buffer.of(2) }), 'duplicate_uplink');
    expect(drop.details).toMatchObject({ f_cnt: stored.lastFCntUp });
    expect(t.f.json('up').map((u) => u.uplink_message.frm_payload)).toEqual(['AQ==']);
  });

  it('a downlink whose FCntDown the other instance spent first is not sent and stays queued', async () => {
    await t.join();
    await t.send(t.device.up({ payload: Buffer.of(1) }));
    await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 15, frm_payload: Buffer.from('pushed') }]);
    const stored = await staleView();
    stored.lastFCntDown = 0;
    expect(await t.send(t.device.up({ payload: Buffer.of(2) }))).toBeUndefined();
    expect(t.f.json('down/sent')).toEqual([]);
    const queued = await t.f.as.downlinks.list('app1', 'dev1');
    expect(queued.map((text) => (JSON.parse(text) as { f_port: number }).f_port)).toEqual([15]);
    // With the view read again, the next uplink carries it with the next FCntDown.
    t.registry.findByDevAddr = async (addr) =>
      [...t.registry.devices.values()]
        .filter((d) => d.session?.devAddr === addr)
        .map((d) => ({ ...d, session: d.session && { ...d.session } }));
    const tx = await t.exchange(t.device.up({ payload: Buffer.of(3) }));
    expect(t.device.down(tx?.phyPayload ?? Buffer.alloc(0))).toMatchObject({ fPort: 15, fCnt: 1 });
  });
});

describe('32-bit FCnt', () => {
  it('follows the 16-bit field past 0xFFFF', async () => {
    await t.join();
    const session = t.registry.get('app1', 'dev1')?.session;
    if (session) session.lastFCntUp = 0xfffe;
    await t.send(t.device.up({ payload: Buffer.of(1), fCnt: 0xffff }));
    await t.send(t.device.up({ payload: Buffer.of(2), fCnt: 0x10000 }));
    expect(t.f.json('up').map((u) => u.uplink_message.f_cnt)).toEqual([0xffff, 0x10000]);
    expect(t.registry.get('app1', 'dev1')?.session?.lastFCntUp).toBe(0x10000);
  });

  it('accepts a gap below MAX_FCNT_GAP and refuses one of 16 384', async () => {
    await t.join();
    await t.send(t.device.up({ payload: Buffer.of(1), fCnt: 10 }));
    await expectDropped(t.device.up({ payload: Buffer.of(2), fCnt: 10 + 16_384 }), 'fcnt_gap_too_large');
    await t.send(t.device.up({ payload: Buffer.of(3), fCnt: 10 + 16_383 }));
    expect(t.f.json('up').map((u) => u.uplink_message.f_cnt)).toEqual([10, 16_393]);
  });
});

describe('a disk that refuses writes', () => {
  it('does not stop uplinks (docs/behaviour.md §6.5): published, the counter left unsaved', async () => {
    await t.join();
    t.registry.saveFCntUp = () =>
      Promise.reject(storageFull({ sqlite_code: 'SQLITE_FULL', errno: 'ENOSPC' }));
    await t.send(t.device.up({ payload: Buffer.of(1) }));
    await t.send(t.device.up({ payload: Buffer.of(2) }));
    expect(t.f.json('up').map((u) => u.uplink_message.frm_payload)).toEqual(['AQ==', 'Ag==']);
    expect(t.drops).toEqual([]);
  });

  it('any other registry failure still drops the frame as uplink_failed', async () => {
    await t.join();
    t.registry.saveFCntUp = () => Promise.reject(new Error('boom'));
    await expect(t.send(t.device.up({ payload: Buffer.of(1) }))).resolves.toBeUndefined();
    expect(t.f.json('up')).toEqual([]);
    expect(at(t.drops, -1).name).toBe('uplink_failed');
  });
});

describe('the same EUIs in two applications', () => {
  it('the AppKey that signs the JoinRequest picks the device; a wrong MIC names neither', async () => {
    // The store refuses a shared pair since issue 16; the network layer still meets one in a
    // database written before, so its registry gets app1's EUIs here.
    const other = {
      ...(await withDevice(t.f, 'app2', 'dev1', '4200000000000002')),
      dev_eui: '4200000000000000',
    };
    const appKey = randomBytes(16).toString('hex').toUpperCase();
    t.registry.add({ ids: other, macVersion: '1.0.3', frequencyPlanId: 'EU_863_870', appKey });
    const second = new OtaaDevice(appKey);
    second.joinAccept((await t.exchange(second.joinRequest()))?.phyPayload ?? new Uint8Array(0));
    await t.join();
    expect(t.f.json('join').map((j) => j.end_device_ids.application_ids.application_id)).toEqual([
      'app2',
      'app1',
    ]);
    const stranger = new OtaaDevice('00'.repeat(16));
    expect((await expectDropped(stranger.joinRequest(), 'mic_mismatch')).ids).toBeUndefined();
  });
});
