/**
 * The network server against a device built on an independent implementation, lora-packet (a
 * dev dependency, tests only): its JoinRequest is accepted, it reads the JoinAccept, its uplink
 * is published decrypted, and it decrypts the downlink it is sent.
 */
import lora from 'lora-packet';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { type NsFixture, openNs } from '../../test/helpers/ns';

let t: NsFixture;
beforeEach(async () => {
  t = await openNs();
});
afterEach(() => t.close());

const bytes = (hex: string) => Buffer.from(hex, 'hex');
const NONE = Buffer.alloc(0);

it('joins, sends and receives as a lora-packet device', async () => {
  const appKey = bytes(t.device.appKey);
  const devNonce = Buffer.of(0x12, 0x34);
  const request = lora.fromFields(
    {
      MType: 'Join Request',
      AppEUI: bytes('4200000000000000'),
      DevEUI: bytes('4200000000000000'),
      DevNonce: devNonce,
    },
    undefined,
    undefined,
    appKey,
  );
  const joinTx = await t.exchange(request.getPHYPayload() ?? NONE);
  const accept = lora.fromWire(
    lora.decryptJoinAccept(lora.fromWire(Buffer.from(joinTx?.phyPayload ?? NONE)), appKey),
  );
  expect(lora.verifyMIC(accept, undefined, appKey)).toBe(true);
  const devAddr = accept.DevAddr ?? NONE;
  expect(devAddr.toString('hex').toUpperCase()).toBe(at(t.f.json('join'), 0).end_device_ids.dev_addr);
  const keys = lora.generateSessionKeys10(appKey, accept.NetID ?? NONE, accept.AppNonce ?? NONE, devNonce);

  await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 3, frm_payload: Buffer.from('down') }]);
  const up = lora.fromFields(
    { MType: 'Confirmed Data Up', DevAddr: devAddr, FCnt: 0, FPort: 9, payload: Buffer.from('up!') },
    keys.AppSKey,
    keys.NwkSKey,
  );
  const tx = await t.exchange(up.getPHYPayload() ?? NONE);
  expect(at(t.f.json('up'), 0).uplink_message.frm_payload).toBe(Buffer.from('up!').toString('base64'));

  const down = lora.fromWire(Buffer.from(tx?.phyPayload ?? NONE));
  expect(lora.verifyMIC(down, keys.NwkSKey)).toBe(true);
  expect(down.getMType()).toBe('Unconfirmed Data Down');
  expect(down.getFPort()).toBe(3);
  expect(down.getFCnt()).toBe(0);
  expect(down.getFCtrlACK()).toBe(true);
  expect(lora.decrypt(down, keys.AppSKey, keys.NwkSKey).toString()).toBe('down');
});
