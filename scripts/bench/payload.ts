/**
 * The message every fan-out step sends: a seed-shaped ApplicationUp of about 1 KB (docs/behaviour.md §4), the
 * same bytes through Mote and through mosquitto. `frm_payload` carries 12 bytes — the send time
 * (µs, CLOCK_MONOTONIC) and a sequence number — so a subscriber can measure latency without
 * parsing the JSON, and the AS core path can carry the same stamp as the uplink's FRMPayload.
 */
const STAMP_BYTES = 12;
const PLACEHOLDER = 'A'.repeat(16); // base64 of 12 bytes, no padding
const MARKER = Buffer.from('"frm_payload":"');

export function seedUplink(applicationId: string, deviceId: string): Record<string, unknown> {
  const gateway = (n: number) => ({
    gateway_ids: { gateway_id: `eui-02420200002478${n}3`, eui: `02420200002478${n}3` },
    time: '2019-01-29T13:02:34.981Z',
    timestamp: 1283325000 + n,
    rssi: -35 - n,
    channel_rssi: -35 - n,
    snr: 5,
    uplink_token: 'CiIKIAoUZXVpLTAyNDIwMjAwMDAyNDc4MDMSCAJCAgAAJHgDEMj49+ME',
    channel_index: 2,
    received_at: '2019-01-29T13:02:34.979Z',
  });
  return {
    end_device_ids: {
      device_id: deviceId,
      application_ids: { application_id: applicationId },
      dev_eui: '4200000000000000',
      join_eui: '4200000000000000',
      dev_addr: '01DA1F15',
    },
    correlation_ids: [
      'as:up:01D2CV8HNGJ57G25BW0FCZNY07',
      'gs:conn:01D2CSNX7FJVKQPCVG612QF1TX',
      'gs:uplink:01D2CV8HF62ME0D7MZWE38HHH8',
      'ns:uplink:01D2CV8HF6FYJHKZ45YY1DB3MR',
    ],
    received_at: '2019-01-29T13:02:34.991Z',
    uplink_message: {
      session_key_id: 'AWiZpAyXrAfEkUNkBljRoA==',
      f_port: 15,
      f_cnt: 42,
      frm_payload: PLACEHOLDER,
      decoded_payload: { temperature: 21.5, humidity: 48, battery: 3.61 },
      rx_metadata: [gateway(0), gateway(1)],
      settings: {
        data_rate: { lora: { bandwidth: 125000, spreading_factor: 7, coding_rate: '4/5' } },
        frequency: '868500000',
        timestamp: 1283325000,
        time: '2019-01-29T13:02:34.981Z',
      },
      received_at: '2019-01-29T13:02:34.985Z',
      consumed_airtime: '0.056576s',
      network_ids: { net_id: '000013', tenant_id: 'mote', cluster_id: 'mote' },
    },
    simulated: true,
  };
}

/** A serialized message and where its stamp goes. */
export interface Template {
  bytes: Buffer;
  stampAt: number;
}

export function template(applicationId: string, deviceId: string): Template {
  const bytes = Buffer.from(JSON.stringify(seedUplink(applicationId, deviceId)));
  return { bytes, stampAt: bytes.indexOf(MARKER) + MARKER.length };
}

const scratch = Buffer.alloc(STAMP_BYTES);

/** The 12 stamp bytes (send time µs, sequence). */
export function stampBytes(sentUs: number, seq: number): Buffer {
  scratch.writeDoubleBE(sentUs, 0);
  scratch.writeUInt32BE(seq >>> 0, 8);
  return scratch;
}

/** A fresh copy of the template with its stamp filled in. */
export function stamped(t: Template, sentUs: number, seq: number): Buffer {
  const out = Buffer.allocUnsafe(t.bytes.length);
  t.bytes.copy(out);
  out.write(stampBytes(sentUs, seq).toString('base64'), t.stampAt, 'latin1');
  return out;
}

/** The send time stamped into a message held in `buf[start, end)`, or NaN when there is none. */
export function readStamp(buf: Buffer, start: number, end: number): number {
  const at = buf.indexOf(MARKER, start);
  if (at < 0 || at + MARKER.length + 16 > end) return Number.NaN;
  const p = at + MARKER.length;
  const raw = Buffer.from(buf.toString('latin1', p, p + 16), 'base64');
  return raw.length >= 8 ? raw.readDoubleBE(0) : Number.NaN;
}
