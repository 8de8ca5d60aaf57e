import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessagePayloadFormatters } from '../../lib/formatters/model';
import type { EndDeviceIds } from '../../lib/messages';
import { at } from '../../test/helpers/at';
import { type Fixture, openFixture, withDevice } from '../../test/helpers/fixture';
import { encodeReading, PROFILE_FORMATTER } from '../sim/profile';

/**
 * docs/behaviour.md §7 through the AS core with a real SQLite store and a real QuickJS worker pool: what
 * subscribers receive when formatters decode uplinks and encode downlinks, and what a hostile
 * script does (nothing, beyond failing its own call).
 */
let f: Fixture;
let ids: EndDeviceIds;
let fCnt = 0;

beforeAll(async () => {
  // Short quarantine: each hostile-script test uses its own script text anyway.
  f = await openFixture(undefined, { scripts: { workers: 2, quarantineMs: 1000 } });
  ids = { ...(await withDevice(f)), dev_addr: '01DA1F15' };
  await withDevice(f, 'app1', 'plain', '4200000000000002');
  await f.as.handleJoin(ids, { session_key_id: new Uint8Array([1, 2, 3]) }, ['ns:uplink:J']);
});
afterAll(() => f.close());
beforeEach(async () => {
  f.messages.length = 0;
  await f.formatters.setLink('app1', {});
  await f.formatters.setDevice('app1', 'dev1', undefined);
});

const js = (script: string): MessagePayloadFormatters => ({
  up_formatter: 'FORMATTER_JAVASCRIPT',
  up_formatter_parameter: script,
  down_formatter: 'FORMATTER_JAVASCRIPT',
  down_formatter_parameter: script,
});

async function uplink(bytes: number[], fPort = 1, dev = 'dev1') {
  f.clock.advance(1000);
  const uplinkIds = dev === 'dev1' ? ids : { ...ids, device_id: dev };
  return f.as.handleUplink(
    uplinkIds,
    { f_port: fPort, f_cnt: ++fCnt, frm_payload: Uint8Array.from(bytes) },
    [],
  );
}
const lastUp = () => f.json('up').at(-1)?.uplink_message;

describe('JavaScript formatter', () => {
  it('decodes uplinks into decoded_payload, and encodes a JSON downlink that goes out decoded', async () => {
    await f.formatters.setLink('app1', { default_formatters: js(PROFILE_FORMATTER) });
    await uplink([0x08, 0xca, 0x5b]);
    expect(lastUp().decoded_payload).toEqual({ temperature: 22.5, humidity: 45.5 });
    expect(lastUp().frm_payload).toBe('CMpb');

    await f.as.downlinks.push('app1', 'dev1', [{ f_port: 1, decoded_payload: { interval_s: 300 } }]);
    const queued = at(f.json('down/queued'), 0);
    // The script chose FPort 2 and bytes 0x012C.
    expect(queued.downlink_queued).toMatchObject({
      f_port: 2,
      frm_payload: 'ASw=',
      decoded_payload: { interval_s: 300 },
    });
    const cids = await uplink([0x08, 0xca, 0x5b]);
    const tx = await f.as.receiveWindow(ids, {
      acknowledged: false,
      dataRateIndex: 5,
      uplinkCorrelationIds: cids,
    });
    await f.as.settleWindow(ids, tx?.downlink.f_cnt ?? 0, { sent: 'rx1' });
    expect(at(f.json('down/sent'), 0).downlink_sent).toMatchObject({
      f_cnt: 1,
      decoded_payload: { interval_s: 300 },
    });
  });

  it("decodes the simulator's payload profile (the demo's formatter), negative temperatures too", async () => {
    await f.formatters.setLink('app1', { default_formatters: js(PROFILE_FORMATTER) });
    for (const reading of [
      { temperature: -5.25, humidity: 61.5 },
      { temperature: 31.07, humidity: 12 },
    ]) {
      await uplink([...encodeReading(reading)]);
      expect(lastUp().decoded_payload).toEqual(reading);
    }
  });

  it('decodes a raw downlink for display with decodeDownlink; frm_payload wins over decoded_payload', async () => {
    await f.formatters.setLink('app1', { default_formatters: js(PROFILE_FORMATTER) });
    await f.as.downlinks.push('app1', 'dev1', [{ f_port: 2, frm_payload: Uint8Array.from([0, 60]) }]);
    await f.as.downlinks.push('app1', 'dev1', [
      { f_port: 2, frm_payload: Uint8Array.from([1]), decoded_payload: { interval_s: 9 } },
    ]);
    const [raw, both] = f.json('down/queued').map((m) => m.downlink_queued);
    expect(raw).toMatchObject({ frm_payload: 'ADw=', decoded_payload: { interval_s: 60 } });
    expect(both).toMatchObject({ frm_payload: 'AQ==', decoded_payload: { interval_s: 9 } });
    await f.as.downlinks.clear('app1', 'dev1');
  });

  it("an encoder's errors reject the whole push with the script's message; the queue is unchanged", async () => {
    await f.formatters.setLink('app1', { default_formatters: js(PROFILE_FORMATTER) });
    await f.as.downlinks.push('app1', 'dev1', [{ f_port: 2, frm_payload: Uint8Array.from([0, 1]) }]);
    await expect(
      f.as.downlinks.push('app1', 'dev1', [
        { f_port: 1, decoded_payload: { interval_s: 60 } },
        { f_port: 1, decoded_payload: { interval_s: 'soon' } },
      ]),
    ).rejects.toMatchObject({
      name: 'script_output_errors',
      message: 'interval_s must be a number from 1 to 65535',
    });
    expect(await f.as.downlinks.list('app1', 'dev1')).toHaveLength(1);

    // Over MQTT the same error arrives as down/failed on the device's topic.
    const body = JSON.stringify({
      downlinks: [{ f_port: 1, decoded_payload: {}, correlation_ids: ['mine'] }],
    });
    await f.receiveDownlinks('app1', 'dev1', 'push', Buffer.from(body));
    const failed = f.json('down/failed').at(-1)?.downlink_failed;
    expect(failed.error).toMatchObject({
      name: 'script_output_errors',
      message_format: 'interval_s must be a number from 1 to 65535',
    });
    expect(failed.downlink.correlation_ids).toContain('mine');
    expect(await f.as.downlinks.list('app1', 'dev1')).toHaveLength(1);
    await f.as.downlinks.clear('app1', 'dev1');
  });

  it('falls back to the TTS v2 Decoder and Encoder functions', async () => {
    const v2 =
      'function Decoder(bytes, port) { return { sum: bytes[0] + bytes[1], port: port }; }\n' +
      'function Encoder(obj, port) { return [obj.a, obj.b]; }';
    await f.formatters.setLink('app1', { default_formatters: js(v2) });
    await uplink([2, 3], 7);
    expect(lastUp().decoded_payload).toEqual({ sum: 5, port: 7 });
    await f.as.downlinks.push('app1', 'dev1', [{ f_port: 3, decoded_payload: { a: 1, b: 2 } }]);
    expect(at(f.json('down/queued'), 0).downlink_queued).toMatchObject({ f_port: 3, frm_payload: 'AQI=' });
    await f.as.downlinks.clear('app1', 'dev1');
  });

  it("keeps warnings, and a device's formatters override the application's", async () => {
    await f.formatters.setLink('app1', { default_formatters: js(PROFILE_FORMATTER) });
    await f.formatters.setDevice('app1', 'dev1', {
      up_formatter: 'FORMATTER_JAVASCRIPT',
      up_formatter_parameter:
        'function decodeUplink(i) { return { data: { n: i.bytes.length }, warnings: ["short"] }; }',
    });
    await uplink([1]);
    expect(lastUp()).toMatchObject({ decoded_payload: { n: 1 }, decoded_payload_warnings: ['short'] });
  });
});

describe('a failing decoder never drops the uplink', () => {
  const cases: [string, string, string][] = [
    ['an infinite loop', 'function decodeUplink() { while (true) {} }', 'formatter_timeout'],
    [
      'a 100 MB allocation',
      'function decodeUplink() { var a = []; for (;;) a.push(new Array(1e6).fill(1)); }',
      'formatter_memory_limit',
    ],
    [
      'require("fs")',
      'function decodeUplink() { return { data: require("fs").readFileSync("/etc/passwd") }; }',
      'script_error',
    ],
    ['process.exit', 'function decodeUplink() { process.exit(1); }', 'script_error'],
    ['thrown errors', 'function decodeUplink() { throw new Error("bad byte"); }', 'script_error'],
    [
      'returned errors',
      'function decodeUplink() { return { errors: ["unknown port"] }; }',
      'script_output_errors',
    ],
    ['a syntax error', 'function decodeUplink( {', 'script_error'],
    ['no decodeUplink', 'var x = 1;', 'script_missing_function'],
  ];
  it.each(cases)(
    '%s: published without decoded_payload, the failure is a console event; other traffic flows',
    async (_, script, name) => {
      // Into the store itself: saving refuses a script that does not compile (issue 16), but one
      // stored before that rule must still fail only its own uplinks.
      await f.store.formatters.setDevice('app1', 'dev1', {
        up_formatter: 'FORMATTER_JAVASCRIPT',
        up_formatter_parameter: script,
      });
      // Another device's uplinks keep going while the hostile script runs.
      const [hostile] = await Promise.all([uplink([1, 2]), uplink([5], 1, 'plain'), uplink([6], 1, 'plain')]);
      const ups = f.json('up');
      expect(ups).toHaveLength(3);
      expect(ups.every((u) => u.uplink_message.decoded_payload === undefined)).toBe(true);
      const event = f.messages.find((m) => m.event === 'up/decode/failed');
      expect(event?.audience).toBe('console');
      const body = JSON.parse(event!.payload.toString());
      expect(body.uplink_decode_failed).toMatchObject({ f_port: 1, frm_payload: 'AQI=', error: { name } });
      expect(body.correlation_ids).toEqual(hostile);
    },
  );

  it('the script that was stopped at a limit runs again afterwards (a fresh runtime)', async () => {
    const script =
      'var n = 0; function decodeUplink(i) { n++; if (i.bytes[0] === 0) while (true) {} return { data: { n: n } }; }';
    await f.formatters.setDevice('app1', 'dev1', {
      up_formatter: 'FORMATTER_JAVASCRIPT',
      up_formatter_parameter: script,
    });
    await uplink([0]);
    await uplink([1]);
    expect(lastUp().decoded_payload).toEqual({ n: 1 });
  });
});

describe('CayenneLPP and locations', () => {
  it('decodes CayenneLPP and publishes location_solved for a GPS channel', async () => {
    await f.formatters.setLink('app1', {
      default_formatters: { up_formatter: 'FORMATTER_CAYENNELPP', down_formatter: 'FORMATTER_CAYENNELPP' },
    });
    // temperature_1 = 27.2 °C; gps_2 = 52.3655, 4.8885, 21.54 m
    const cids = await uplink([
      0x01, 0x67, 0x01, 0x10, 0x02, 0x88, 0x07, 0xfd, 0x87, 0x00, 0xbe, 0xf5, 0x00, 0x08, 0x6a,
    ]);
    const location = { latitude: 52.3655, longitude: 4.8885, altitude: 21.54, source: 'SOURCE_GPS' };
    expect(lastUp().decoded_payload).toEqual({
      temperature_1: 27.2,
      gps_2: { latitude: 52.3655, longitude: 4.8885, altitude: 21.54 },
    });
    expect(lastUp().locations).toEqual({ 'frm-payload': location });
    const solved = at(f.json('location/solved'), 0);
    expect(solved.location_solved).toEqual({ service: 'frm-payload', location });
    expect(solved.correlation_ids).toEqual(cids);
  });

  it('infers a location from latitude/longitude keys of a JavaScript decoder', async () => {
    await f.formatters.setLink('app1', {
      default_formatters: js(
        'function decodeUplink() { return { data: { lat: 48.8584, lon: 2.2945, acc: 5 } }; }',
      ),
    });
    await uplink([1]);
    expect(at(f.json('location/solved'), 0).location_solved.location).toEqual({
      latitude: 48.8584,
      longitude: 2.2945,
      accuracy: 5,
      source: 'SOURCE_GPS',
    });
  });

  it('no formatter: payloads pass unchanged and nothing else is published', async () => {
    await uplink([1, 2, 3]);
    expect(f.messages.map((m) => m.event)).toEqual(['up']);
    expect(lastUp().decoded_payload).toBeUndefined();
  });
});
