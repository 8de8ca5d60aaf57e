/** `onFrameHandled`: once per frame, with the bytes it was given, the device or the drop's name. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type NsFixture, openNs } from '../../test/helpers/ns';

let t: NsFixture;
beforeEach(async () => {
  t = await openNs();
});
afterEach(() => t.close());

const device = { application_ids: { application_id: 'app1' }, device_id: 'dev1' };

it('names the device a JoinRequest and a data uplink resolved to', async () => {
  await t.join();
  const up = t.device.up({ fPort: 1, payload: Buffer.from([1]) });
  await t.send(up);
  expect(t.outcomes).toHaveLength(2);
  expect(t.outcomes[0]!.outcome).toMatchObject({ ids: { ...device, dev_addr: t.device.session?.devAddr } });
  expect(t.outcomes[0]!.outcome.dropped).toBeUndefined();
  expect(t.outcomes[1]!.phyPayload).toBe(up);
  expect(t.outcomes[1]!.outcome).toMatchObject({ ids: { ...device, dev_addr: t.device.session?.devAddr } });
  expect(t.outcomes[1]!.outcome.dropped).toBeUndefined();
});

it('names the drop, and the device when the drop could pin one', async () => {
  await t.join();
  const up = Buffer.from(t.device.up({ fPort: 1, payload: Buffer.from([1]) }));
  up[up.length - 1]! ^= 0xff;
  await t.send(up);
  await t.send(Buffer.from('00', 'hex'));
  expect(t.outcomes.slice(1).map((o) => o.outcome.dropped)).toEqual([t.drops[0]!.name, t.drops[1]!.name]);
  expect(t.drops[0]!.name).toBe('mic_mismatch');
  expect(t.outcomes[1]!.outcome.ids).toEqual(t.drops[0]!.ids);
  expect(t.outcomes[2]!.outcome.ids).toBeUndefined();
});
