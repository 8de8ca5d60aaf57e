import { afterEach, beforeEach, expect, it } from 'vitest';
import { type NsFixture, openNs } from '../../test/helpers/ns';

let t: NsFixture;
beforeEach(async () => {
  t = await openNs();
});
afterEach(() => t.close());

const SF10: { spreadingFactor: number; bandwidth: number } = { spreadingFactor: 10, bandwidth: 125_000 };

it('US902-928: RX1 on the downlink channel of the uplink channel, at the RX1 data rate', async () => {
  const device = t.registry.get('app1', 'dev1');
  if (device) device.frequencyPlanId = 'US_902_928_FSB_2';
  // Channel 8 (903.9 MHz) at DR0 (SF10BW125): RX1 is channel 8 mod 8 = 923.3 MHz at DR10.
  const tx = await t.exchange(t.device.joinRequest(), t.rx({ frequency: 903_900_000, modulation: SF10 }));
  expect(tx).toMatchObject({ window: 'rx1', delay: 5, frequency: 923_300_000, dataRateIndex: 10 });
  t.device.joinAccept(tx?.phyPayload ?? Buffer.alloc(0));
  // Fixed-channel bands get no CFList from Mote (see join.ts).
  expect(t.device.accept?.cfList).toBeUndefined();
  expect(t.device.accept?.rx2DataRate).toBe(8);

  // DR10 carries 41 bytes; the AS is told the plan's limit, not EU868's.
  await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 1, frm_payload: Buffer.alloc(40, 7) }]);
  const down = await t.exchange(
    t.device.up({ payload: Buffer.of(1) }),
    t.rx({ frequency: 903_900_000, modulation: SF10 }),
  );
  expect(down).toMatchObject({ window: 'rx1', delay: 1, frequency: 923_300_000, dataRateIndex: 10 });
  expect(t.device.down(down?.phyPayload ?? Buffer.alloc(0)).frmPayload).toEqual(Buffer.alloc(40, 7));
});

it('RX2 when the uplink channel has no RX1 in the plan', async () => {
  await t.join();
  await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 1, frm_payload: Buffer.of(1) }]);
  const tx = await t.exchange(t.device.up({ payload: Buffer.of(1) }), t.rx({ frequency: 869_000_000 }));
  expect(tx).toMatchObject({ window: 'rx2', delay: 2, frequency: 869_525_000, dataRateIndex: 0 });
  expect(tx?.timestamp).toBe(1_000_000 + 2_000_000);
});
