import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at } from '../../test/helpers/at';
import { type NsFixture, openNs } from '../../test/helpers/ns';

let t: NsFixture;
beforeEach(async () => {
  t = await openNs();
});
afterEach(() => t.close());

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

describe('OTAA join', () => {
  it('answers with a JoinAccept in JOIN_ACCEPT_DELAY1 and publishes join with the DevAddr', async () => {
    const tx = await t.join();
    expect(tx).toMatchObject({ window: 'rx1', delay: 5, frequency: 868_100_000, dataRateIndex: 5 });
    expect(tx.timestamp).toBe(1_000_000 + 5_000_000);
    const accept = t.device.accept;
    expect(accept).toMatchObject({ netId: '000000', rx1DrOffset: 0, rx2DataRate: 0, rxDelay: 1 });
    // NetID 000000 (type 0, NwkID 0): DevAddrs 00000000/7.
    expect(Number.parseInt(accept?.devAddr ?? '', 16)).toBeLessThan(0x02000000);
    expect(accept?.cfList?.[15]).toBe(0);
    const join = at(t.f.json('join'), 0);
    const session = t.registry.get('app1', 'dev1')?.session;
    expect(join.end_device_ids.dev_addr).toBe(accept?.devAddr);
    expect(join.join_accept.session_key_id).toBe(b64(session?.sessionKeyId ?? ''));
    expect(session?.nwkSKey).toBe(t.device.session?.nwkSKey);
    expect(t.ns.stats()).toMatchObject({ joins: 1, dropped: 0 });
  });

  it('takes its DevAddr from the configured NetID', async () => {
    await t.close();
    t = await openNs('000013');
    await t.join();
    expect(t.device.accept?.devAddr).toMatch(/^2[67]/);
  });
});

describe('data uplink', () => {
  it('publishes up with the decrypted payload and the radio metadata', async () => {
    await t.join();
    const tx = await t.exchange(t.device.up({ fPort: 7, payload: Buffer.from('hello') }), [
      t.rx({ n: 1, snr: 5 }),
      t.rx({ n: 2, snr: 9 }),
    ]);
    expect(tx).toBeUndefined();
    const up = at(t.f.json('up'), 0);
    expect(up.end_device_ids.dev_addr).toBe(t.device.session?.devAddr);
    expect(up.uplink_message).toMatchObject({
      f_port: 7,
      frm_payload: Buffer.from('hello').toString('base64'),
      session_key_id: b64(t.registry.get('app1', 'dev1')?.session?.sessionKeyId ?? ''),
      settings: { frequency: '868100000', data_rate: { lora: { spreading_factor: 7, bandwidth: 125000 } } },
    });
    expect(up.uplink_message.rx_metadata).toHaveLength(2);
    // 13 + 5 bytes at SF7BW125: 51.456 ms.
    expect(up.uplink_message.consumed_airtime).toBe('0.051456s');
    expect(up.correlation_ids.some((c: string) => c.startsWith('ns:uplink:'))).toBe(true);
  });

  it('delivers a pushed downlink in RX1 of the next uplink, with the FCnt down/sent publishes', async () => {
    await t.join();
    await t.send(t.device.up({ payload: Buffer.of(1) }));
    await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 15, frm_payload: Buffer.from('pushed') }]);
    const tx = await t.exchange(t.device.up({ payload: Buffer.of(2) }));
    expect(tx).toMatchObject({ window: 'rx1', delay: 1, frequency: 868_100_000, dataRateIndex: 5 });
    const down = t.device.down(tx?.phyPayload ?? Buffer.alloc(0));
    expect(down).toMatchObject({ fPort: 15, fCnt: 0, confirmed: false });
    expect(Buffer.from(down.frmPayload).toString()).toBe('pushed');
    expect(at(t.f.json('down/sent'), 0).downlink_sent.f_cnt ?? 0).toBe(down.fCnt);
    // The next downlink counts on.
    await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 15, frm_payload: Buffer.from('again') }]);
    const tx2 = await t.exchange(t.device.up({ payload: Buffer.of(3) }));
    expect(t.device.down(tx2?.phyPayload ?? Buffer.alloc(0)).fCnt).toBe(1);
    expect(at(t.f.json('down/sent'), 1).downlink_sent.f_cnt).toBe(1);
  });

  it('acknowledges a confirmed uplink with an empty frame', async () => {
    await t.join();
    const tx = await t.exchange(t.device.up({ payload: Buffer.of(1), confirmed: true }));
    const down = t.device.down(tx?.phyPayload ?? Buffer.alloc(0));
    expect(down.fCtrl.ack).toBe(true);
    expect(down.fPort).toBeUndefined();
    expect(at(t.f.json('up'), 0).uplink_message.confirmed).toBe(true);
  });

  it('acknowledges a confirmed uplink sent again (the ACK was lost) without publishing it twice', async () => {
    await t.join();
    const frame = t.device.up({ payload: Buffer.of(1), confirmed: true });
    const first = t.device.down((await t.exchange(frame))?.phyPayload ?? Buffer.alloc(0));
    // Queued meanwhile: it waits for a new uplink, the retransmission carries the ACK alone.
    await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 15, frm_payload: Buffer.from('later') }]);
    const again = t.device.down((await t.exchange(frame))?.phyPayload ?? Buffer.alloc(0));
    expect(again.fCtrl.ack).toBe(true);
    expect(again.fPort).toBeUndefined();
    expect(again.fCnt).toBe(first.fCnt + 1);
    expect(t.f.json('up')).toHaveLength(1);
    expect(t.drops).toEqual([]);
    const next = t.device.down(
      (await t.exchange(t.device.up({ payload: Buffer.of(2) })))?.phyPayload ?? Buffer.alloc(0),
    );
    expect(Buffer.from(next.frmPayload).toString()).toBe('later');
    expect(t.f.json('up')).toHaveLength(2);
  });

  it('confirmed downlink: ACK in the next uplink → down/ack; none → down/nack', async () => {
    await t.join();
    await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 2, frm_payload: Buffer.of(9), confirmed: true }]);
    const tx = await t.exchange(t.device.up({ payload: Buffer.of(1) }));
    expect(t.device.down(tx?.phyPayload ?? Buffer.alloc(0)).confirmed).toBe(true);
    await t.exchange(t.device.up({ payload: Buffer.of(2), ack: true }));
    expect(t.f.json('down/ack')).toHaveLength(1);

    await t.f.as.downlinks.push('app1', 'dev1', [{ f_port: 2, frm_payload: Buffer.of(8), confirmed: true }]);
    await t.exchange(t.device.up({ payload: Buffer.of(3) }));
    // The device missed it: no ACK. The AS retries it in this very window.
    const retry = await t.exchange(t.device.up({ payload: Buffer.of(4) }));
    expect(t.f.json('down/nack')).toHaveLength(1);
    expect(Buffer.from(t.device.down(retry?.phyPayload ?? Buffer.alloc(0)).frmPayload)).toEqual(Buffer.of(8));
  });

  it('answers LinkCheckReq with the margin over SF7’s floor and the gateway count', async () => {
    await t.join();
    const tx = await t.exchange(t.device.up({ mac: [{ name: 'LinkCheckReq' }, { name: 'DeviceTimeReq' }] }), [
      t.rx({ n: 1, snr: 2.5 }),
      t.rx({ n: 2, snr: -1 }),
    ]);
    const down = t.device.down(tx?.phyPayload ?? Buffer.alloc(0));
    // Best SNR 2.5 dB above SF7's −7.5 dB: 10 dB.
    expect(down.macCommands.commands[0]).toEqual({ name: 'LinkCheckAns', margin: 10, gatewayCount: 2 });
    expect(down.macCommands.commands[1]).toMatchObject({ name: 'DeviceTimeAns' });
    // Via the gateway with the best SNR.
    expect(tx?.gateway.eui).toBe('00800000A0000001');
    // No application data: no `up`.
    expect(t.f.json('up')).toHaveLength(0);
  });
});
