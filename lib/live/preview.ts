import { bodyOf, isObject, type JsonObject, type LiveMessage } from './event';

/** What a row shows besides time, device and type (TTS console previews, plus downlink fields). */
export interface Preview {
  fPort?: number;
  fCnt?: number;
  payloadHex?: string;
  rssi?: number;
  snr?: number;
  dataRate?: string;
  priority?: string;
  confirmed?: boolean;
  attempt?: string;
  error?: string;
  decoded?: string;
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v))
      ? Number(v)
      : undefined;

export function base64ToHex(b64: string): string {
  try {
    const bin = atob(b64);
    let out = '';
    for (let i = 0; i < bin.length; i++) out += bin.charCodeAt(i).toString(16).padStart(2, '0');
    return out.toUpperCase();
  } catch {
    return '';
  }
}

function dataRate(settings: unknown): string | undefined {
  if (!isObject(settings) || !isObject(settings.data_rate)) return undefined;
  const lora = settings.data_rate.lora;
  if (!isObject(lora)) return undefined;
  const sf = num(lora.spreading_factor);
  const bw = num(lora.bandwidth);
  return sf && bw ? `SF${sf}BW${bw / 1000}` : undefined;
}

/** Best gateway by RSSI, as TTS's uplink preview. */
function bestGateway(meta: unknown): { rssi?: number; snr?: number } {
  if (!Array.isArray(meta)) return {};
  let best: { rssi?: number; snr?: number } = {};
  for (const m of meta) {
    if (!isObject(m)) continue;
    const rssi = num(m.rssi) ?? num(m.channel_rssi);
    if (best.rssi === undefined || (rssi !== undefined && rssi > best.rssi)) best = { rssi, snr: num(m.snr) };
  }
  return best;
}

function downlinkOf(field: string, body: JsonObject): JsonObject {
  return field === 'downlink_failed' && isObject(body.downlink) ? body.downlink : body;
}

export function previewOf(e: LiveMessage): Preview {
  const b = bodyOf(e.message);
  if (!b) return {};
  const d = downlinkOf(b.field, b.body);
  const p: Preview = {
    fPort: num(d.f_port),
    fCnt: num(d.f_cnt),
    payloadHex: typeof d.frm_payload === 'string' ? base64ToHex(d.frm_payload) : undefined,
    decoded: d.decoded_payload !== undefined ? JSON.stringify(d.decoded_payload) : undefined,
  };
  if (b.field === 'uplink_message') {
    Object.assign(p, bestGateway(b.body.rx_metadata), { dataRate: dataRate(b.body.settings) });
  } else if (b.field.startsWith('downlink_')) {
    p.priority = typeof d.priority === 'string' ? d.priority : undefined;
    p.confirmed = d.confirmed === true;
    const retry = isObject(d.confirmed_retry) ? d.confirmed_retry : undefined;
    if (retry) p.attempt = `${num(retry.attempt) ?? 0}/${num(retry.max_attempts) ?? '?'}`;
  }
  if (isObject(b.body.error)) {
    const err = b.body.error;
    p.error = String(err.message_format ?? err.name ?? 'failed');
  }
  return p;
}

/** Uplink RSSI/SNR for the device charts. */
export function signalOf(e: LiveMessage): { time: number; rssi?: number; snr?: number } | undefined {
  if (e.type !== 'up') return undefined;
  const b = bodyOf(e.message);
  return b ? { time: e.time, ...bestGateway(b.body.rx_metadata) } : undefined;
}
