/**
 * Real devices across a restart (issues 12 and 13): a joined device keeps its session when Mote
 * restarts on the same data directory. Its gateway points at the new UDP port, pulls again, and
 * the device carries on without a new join: its counter continues, a replayed FCnt is still
 * refused, and the confirmed downlink sent before the restart is acknowledged after it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mosquittoSub } from './helpers/mosquitto';
import { startMote } from './helpers/mote';
import { OtaaDevice } from './helpers/otaaDevice';
import {
  b64,
  createDevice,
  dataOf,
  join,
  markOf,
  message,
  next,
  pull,
  push,
  pushDownlink,
  type RadioSetup,
  registeredGateway,
  settled,
  since,
  startRadio,
  stopRadio,
  topicOf,
  txpkOf,
} from './helpers/radio';
import { ID, UdpGateway } from './helpers/udpGateway';

const APP = 'radio-restart';
const DEV = 'dev3';
const GW_EUI = 'AA555A0000000031';
const device = new OtaaDevice('0F0E0D0C0B0A09080706050403020100', '70B3D57ED0000000', '70B3D57ED0000003');

let r: RadioSetup;
const topic = (suffix: string) => topicOf(r, DEV, suffix);
const payloadOf = (m: { json: Record<string, unknown> }) =>
  (m.json.uplink_message as { frm_payload: string }).frm_payload;

beforeAll(async () => {
  r = await startRadio(APP);
  await createDevice(r, DEV, { appKey: device.appKey, devEui: device.devEui, joinEui: device.joinEui });
});

afterAll(() => stopRadio(r));

it('a joined device carries on after a restart: same session, counters kept, pending ACK settled', async () => {
  const gw = await registeredGateway(r, 'gw-restart', GW_EUI);
  await pull(gw);
  await join(r, gw, device, DEV);
  await pushDownlink(r, DEV, [
    { f_port: 3, frm_payload: b64([9]), confirmed: true, correlation_ids: ['before'] },
  ]);
  let subMark = r.sub.messages.length;
  const mark = markOf(gw);
  await push(gw, device.up({ fPort: 5, payload: Buffer.of(1) }));
  expect(device.down(dataOf(txpkOf(await next(gw, ID.PULL_RESP, mark))))).toMatchObject({ confirmed: true });
  await message(r.sub, topic('down/sent'), subMark);
  const joinedAs = device.session?.devAddr;

  r.sub.stop();
  await r.mote.stop();
  r.mote = await startMote({ dataDir: r.mote.dataDir, adminPassword: r.mote.adminPassword });
  r.sub = await mosquittoSub(r.mote.mqttPort, APP, r.key);
  const again = await UdpGateway.start(GW_EUI, { host: '127.0.0.1', port: r.mote.udpPort });
  r.gateways.push(again);
  await pull(again);

  subMark = r.sub.messages.length;
  await push(again, device.up({ fPort: 5, payload: Buffer.of(2), ack: true }));
  const up = await message(r.sub, topic('up'), subMark);
  expect(up.json.end_device_ids).toMatchObject({ dev_addr: joinedAs });
  expect((up.json.uplink_message as { f_cnt: number }).f_cnt).toBe(device.fCntUp - 1);
  const ack = await message(r.sub, topic('down/ack'), subMark);
  expect(ack.json.correlation_ids).toContain('before');

  // The counter survived: an FCnt from before the restart is a replay.
  subMark = r.sub.messages.length;
  await push(again, device.up({ fPort: 5, payload: Buffer.of(3), fCnt: 0 }));
  await push(again, device.up({ fPort: 5, payload: Buffer.of(4) }));
  await message(r.sub, topic('up'), subMark);
  await settled(r);
  expect(since(r.sub, subMark, topic('up')).map(payloadOf)).toEqual([b64([4])]);
  expect(since(r.sub, subMark, topic('join'))).toHaveLength(0);
});
