import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EndDeviceIds } from '../../lib/messages';
import { at } from '../../test/helpers/at';
import { ENGINES, type EngineName, fixtureDatabase } from '../../test/helpers/engines';
import { type Fixture, openFixture, withDevice } from '../../test/helpers/fixture';
import type { WindowOutcome } from './ports';

let f: Fixture;
let ids: EndDeviceIds;
let fCnt = 0;
let engine: EngineName = 'sqlite';
beforeEach(async () => {
  fCnt = 0;
  f = await openFixture(undefined, { databaseUrl: await fixtureDatabase(engine) });
  ids = { ...(await withDevice(f)), dev_addr: '01DA1F15' };
  await f.as.handleJoin(ids, { session_key_id: new Uint8Array([1, 2, 3]) }, ['ns:uplink:J']);
});
afterEach(() => f.close());

/**
 * One uplink and its receive window, as a network server drives them: what the window hands out
 * is settled as sent in RX1 unless `outcome` says otherwise (`null`: never settled).
 */
async function uplink(
  acknowledged: boolean,
  dataRateIndex = 5,
  outcome: WindowOutcome | null = { sent: 'rx1' },
) {
  f.clock.advance(1000);
  const cids = await f.as.handleUplink(ids, { f_port: 1, f_cnt: ++fCnt, frm_payload: new Uint8Array([1]) }, [
    `ns:uplink:${fCnt}`,
  ]);
  const tx = await f.as.receiveWindow(ids, { acknowledged, dataRateIndex, uplinkCorrelationIds: cids });
  if (tx && outcome) await f.as.settleWindow(ids, tx.downlink.f_cnt ?? 0, outcome);
  return tx;
}
const confirmed = {
  f_port: 15,
  frm_payload: new Uint8Array([0xbe, 0xef]),
  priority: 'HIGH' as const,
  confirmed: true,
  correlation_ids: ['my-correlation-id'],
};

describe.each(ENGINES)('the AS lifecycle (%s)', (name) => {
  beforeAll(() => {
    engine = name;
  });

  describe('join and uplink', () => {
    it('publishes join and up with as:up IDs, sorted and unique', async () => {
      await uplink(false);
      const messages = f.json();
      const join = at(messages, 0);
      const up = at(messages, 1);
      expect(join.join_accept.session_key_id).toBe('AQID');
      expect(join.correlation_ids).toEqual([...join.correlation_ids].sort());
      expect(up.correlation_ids.some((c: string) => c.startsWith('as:up:'))).toBe(true);
      expect(up.uplink_message).toMatchObject({ f_port: 1, f_cnt: 1, frm_payload: 'AQ==' });
      expect(up.received_at).toBe('2025-01-01T00:00:01.000Z');
      expect(await f.store.devices.get('app1', 'dev1')).toMatchObject({ dev_addr: '01DA1F15' });
    });

    it('records last seen in batches for uplinks it is handed directly; the network layer stores its own', async () => {
      await uplink(false);
      await f.as.flush();
      // From the network layer: last-seen went with the FCnt (saveCounters), not written again
      // here; what is stored is still the join's.
      expect((await f.store.devices.get('app1', 'dev1')).last_seen_at).toBe('2025-01-01T00:00:00.000Z');
      await f.as.simulateUplink('app1', 'dev1', { uplink_message: { f_port: 1, frm_payload: 'AQI=' } });
      await f.as.flush();
      expect((await f.store.devices.get('app1', 'dev1')).last_seen_at).toBe('2025-01-01T00:00:01.000Z');
    });
  });

  describe('the seed story: confirmed downlink', () => {
    it('queued → sent → ack, each carrying my-correlation-id; ack also the uplink IDs', async () => {
      await uplink(false);
      await f.as.downlinks.push('app1', 'dev1', [confirmed]);
      const tx = await uplink(false);
      expect(tx?.downlink.f_cnt).toBe(1);
      await uplink(true);
      const events = f.messages.map((m) => m.event);
      expect(events).toEqual(['join', 'up', 'down/queued', 'up', 'down/sent', 'up', 'down/ack']);
      for (const e of ['down/queued', 'down/sent', 'down/ack']) {
        const m = at(f.json(e), 0);
        expect(m.correlation_ids).toContain('my-correlation-id');
        expect(
          Object.values(m).find((b) => typeof b === 'object' && b && 'correlation_ids' in b),
        ).toBeTruthy();
      }
      const ack = at(f.json('down/ack'), 0);
      expect(ack.downlink_ack).toMatchObject({
        f_port: 15,
        f_cnt: 1,
        frm_payload: 'vu8=',
        confirmed: true,
        priority: 'HIGH',
      });
      expect(ack.downlink_ack.correlation_ids).toContain('my-correlation-id');
      expect(ack.correlation_ids).toContain('ns:uplink:3');
      expect(at(f.json('down/sent'), 0).downlink_sent.session_key_id).toBe('AQID');
      await uplink(true);
      expect(f.messages.at(-1)?.event).toBe('up');
    });

    it('ack loss: nack ×8 with rising attempt, then failed max_retries_reached', async () => {
      await f.as.downlinks.push('app1', 'dev1', [confirmed]);
      for (let i = 0; i < 10; i++) await uplink(false);
      const nacks = f.json('down/nack');
      expect(nacks).toHaveLength(8);
      expect(nacks.map((n) => n.downlink_nack.confirmed_retry.attempt)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
      expect(f.json('down/sent').map((s) => s.downlink_sent.f_cnt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const failed = f.json('down/failed');
      expect(failed).toHaveLength(1);
      expect(at(failed, 0).downlink_failed.error).toMatchObject({
        name: 'max_retries_reached',
        namespace: 'pkg/applicationserver',
      });
      expect(at(failed, 0).correlation_ids).toContain('my-correlation-id');
      expect(await f.as.downlinks.list('app1', 'dev1')).toEqual([]);
    });

    it('honours the client max_attempts and retries before later items', async () => {
      await f.as.downlinks.push('app1', 'dev1', [
        { ...confirmed, confirmed_retry: { max_attempts: 2 } },
        { f_port: 2, frm_payload: new Uint8Array([2]) },
      ]);
      await uplink(false);
      await uplink(false);
      expect(f.json('down/sent').map((s) => s.downlink_sent.f_port)).toEqual([15, 15]);
      await uplink(false);
      expect(f.json('down/failed')).toHaveLength(1);
      expect(f.json('down/sent').map((s) => s.downlink_sent.f_port)).toEqual([15, 15, 2]);
    });
  });

  describe('one downlink per uplink; too long for the data rate', () => {
    it('sends the head after each uplink, in order', async () => {
      const item = (p: number) => ({ f_port: p, frm_payload: new Uint8Array([p]) });
      await f.as.downlinks.push('app1', 'dev1', [item(1), item(2)]);
      await uplink(false);
      expect(f.json('down/sent').map((s) => s.downlink_sent.f_port)).toEqual([1]);
      await uplink(false);
      expect(f.json('down/sent').map((s) => s.downlink_sent.f_port)).toEqual([1, 2]);
    });

    it('a 100-byte payload at DR0 (max 51) fails; the next item goes out', async () => {
      await f.as.downlinks.push('app1', 'dev1', [
        { f_port: 1, frm_payload: new Uint8Array(100), correlation_ids: ['big'] },
        { f_port: 2, frm_payload: new Uint8Array(10) },
      ]);
      await uplink(false, 0);
      const failed = at(f.json('down/failed'), 0);
      expect(failed.downlink_failed.error).toMatchObject({
        name: 'application_downlink_too_long',
        attributes: { length: 100, max: 51 },
      });
      expect(failed.correlation_ids).toContain('big');
      expect(f.json('down/sent').map((s) => s.downlink_sent.f_port)).toEqual([2]);
    });

    it('a push after the device went idle still goes out', async () => {
      await uplink(false);
      await f.as.downlinks.push('app1', 'dev1', [{ f_port: 3, frm_payload: new Uint8Array([3]) }]);
      expect((await uplink(false))?.downlink.f_port).toBe(3);
    });
  });

  describe('simulated uplink', () => {
    it('publishes the body with simulated: true and fills radio details', async () => {
      await f.as.simulateUplink('app1', 'dev1', { uplink_message: { f_port: 1, frm_payload: 'AQI=' } });
      const up = at(f.json('up'), 0);
      expect(up.simulated).toBe(true);
      expect(up.uplink_message).toMatchObject({ f_port: 1, frm_payload: 'AQI=', session_key_id: 'AQID' });
      expect(up.uplink_message.settings.frequency).toBe('868100000');
      expect(up.end_device_ids.dev_addr).toBe('01DA1F15');
    });

    it.each([
      [{}, 'uplink_message'],
      [{ uplink_message: { f_port: 'x' } }, 'uplink_message.f_port'],
      [{ uplink_message: { f_port: 300 } }, 'uplink_message.f_port'],
    ])('%j → names %s', async (body, field) => {
      await expect(f.as.simulateUplink('app1', 'dev1', body)).rejects.toMatchObject({
        attributes: { field },
      });
    });
  });

  describe('a downlink in flight (docs/behaviour.md §5.4)', () => {
    const item = (p: number) => ({
      f_port: p,
      frm_payload: new Uint8Array([p]),
      correlation_ids: [`item:${p}`],
    });
    const queued = async () => (await f.as.downlinks.list('app1', 'dev1')).map((t) => JSON.parse(t).f_port);

    it('is neither queued nor sent until settled, and says whether more is queued', async () => {
      await f.as.downlinks.push('app1', 'dev1', [item(1), item(2)]);
      const a = await uplink(false, 5, null);
      expect(a).toMatchObject({ downlink: { f_port: 1, f_cnt: 1 }, more: true });
      expect(f.json('down/sent')).toEqual([]);
      expect(await queued()).toEqual([2]);
      await f.as.settleWindow(ids, 1, { sent: 'rx1' });
      expect((await uplink(false))?.more).toBe(false);
      expect(f.json('down/sent').map((s) => [s.downlink_sent.f_port, s.downlink_sent.f_cnt])).toEqual([
        [1, 1],
        [2, 2],
      ]);
    });

    it('failed: back at the head without f_cnt or session_key_id; a confirmed one is not pending', async () => {
      await f.as.downlinks.push('app1', 'dev1', [{ ...confirmed }, item(2)]);
      await uplink(false, 5, { failed: 'TOO_LATE' });
      const head = JSON.parse((await f.as.downlinks.list('app1', 'dev1'))[0] ?? '{}');
      expect(head).toMatchObject({ f_port: 15, confirmed: true });
      expect(head.f_cnt).toBeUndefined();
      expect(head.session_key_id).toBeUndefined();
      // No nack for a frame never sent: the next window hands it out again, attempt unchanged.
      const again = await uplink(false);
      expect(f.json('down/nack')).toEqual([]);
      expect(again?.downlink).toMatchObject({ f_port: 15, f_cnt: 2, confirmed_retry: { attempt: 1 } });
    });

    it('survives a restart: the next window puts it back first', async () => {
      await f.as.downlinks.push('app1', 'dev1', [item(1)]);
      await uplink(false, 5, null);
      await f.close(false);
      f = await openFixture(f.dir, { databaseUrl: f.databaseUrl });
      expect(await queued()).toEqual([]);
      await f.as.downlinks.push('app1', 'dev1', [item(2)]);
      expect((await uplink(false))?.downlink).toMatchObject({ f_port: 1, f_cnt: 2 });
      expect(await queued()).toEqual([2]);
      expect(f.json('down/sent').map((s) => s.downlink_sent.f_port)).toEqual([1]);
    });

    it('transmit false: the pending downlink is settled, the queue left as it is', async () => {
      await f.as.downlinks.push('app1', 'dev1', [{ ...confirmed }, item(2)]);
      await uplink(false);
      f.clock.advance(1000);
      const tx = await f.as.receiveWindow(ids, {
        acknowledged: true,
        dataRateIndex: 5,
        uplinkCorrelationIds: [],
        transmit: false,
      });
      expect(tx).toBeUndefined();
      expect(f.json('down/ack')).toHaveLength(1);
      expect(await queued()).toEqual([2]);
    });
  });
});
