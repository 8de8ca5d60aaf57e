import { DEFAULT_CONFIRMED_ATTEMPTS } from '../messages/types';
import { bodyOf, isObject, type JsonObject, type LiveMessage } from './event';
import { failureInWords } from './failure';

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
  /** Confirmed downlinks: which attempt, in words ("attempt 2 of 8"). */
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

/** Bodies that carry a frame counter; proto-JSON omits it when it is 0 (docs/behaviour.md §4). */
const HAS_F_CNT = new Set(['uplink_message', 'downlink_sent', 'downlink_ack', 'downlink_nack']);

/**
 * `confirmed_retry` in words. A nack carries the item as it is queued again, with the next
 * attempt's number (server/as/lifecycle.ts), so the attempt it reports on is one less.
 */
export function attemptText(field: string, d: JsonObject): string | undefined {
  if (d.confirmed !== true || field === 'downlink_failed') return undefined;
  const retry = isObject(d.confirmed_retry) ? d.confirmed_retry : {};
  const attempt = num(retry.attempt) || 1;
  const max = num(retry.max_attempts) || DEFAULT_CONFIRMED_ATTEMPTS;
  if (field !== 'downlink_nack') return `attempt ${attempt} of ${max}`;
  const nacked = Math.max(1, attempt - 1);
  return `attempt ${nacked} of ${max}, ${nacked < max ? 'will retry' : 'no retries left'}`;
}

function downlinkOf(field: string, body: JsonObject): JsonObject {
  return field === 'downlink_failed' && isObject(body.downlink) ? body.downlink : body;
}

/** The body's `decoded_payload` (a downlink's inside `downlink_failed`), if it has one. */
export function decodedOf(e: LiveMessage): unknown {
  const b = bodyOf(e.message);
  return b ? downlinkOf(b.field, b.body).decoded_payload : undefined;
}

/**
 * Whether the preview leads with a decoded payload or a failure's reason (`decoded` or `error`
 * set), without building it: asked of every row as it arrives, while previews are built for
 * the few rows drawn.
 */
export function hasLeadText(e: LiveMessage): boolean {
  const b = bodyOf(e.message);
  if (!b) return false;
  return downlinkOf(b.field, b.body).decoded_payload !== undefined || isObject(b.body.error);
}

export function previewOf(e: LiveMessage): Preview {
  const b = bodyOf(e.message);
  if (!b) return {};
  const d = downlinkOf(b.field, b.body);
  const p: Preview = {
    fPort: num(d.f_port),
    fCnt: num(d.f_cnt) ?? (HAS_F_CNT.has(b.field) ? 0 : undefined),
    payloadHex: typeof d.frm_payload === 'string' ? base64ToHex(d.frm_payload) : undefined,
    decoded: d.decoded_payload !== undefined ? JSON.stringify(d.decoded_payload) : undefined,
  };
  if (b.field === 'uplink_message') {
    Object.assign(p, bestGateway(b.body.rx_metadata), { dataRate: dataRate(b.body.settings) });
  } else if (b.field.startsWith('downlink_')) {
    p.priority = typeof d.priority === 'string' ? d.priority : undefined;
    p.confirmed = d.confirmed === true;
    p.attempt = attemptText(b.field, d);
  }
  if (isObject(b.body.error)) p.error = failureInWords(b.body.error);
  return p;
}

/** Uplink RSSI/SNR for the device charts. */
export function signalOf(e: LiveMessage): { time: number; rssi?: number; snr?: number } | undefined {
  if (e.type !== 'up') return undefined;
  const b = bodyOf(e.message);
  return b ? { time: e.time, ...bestGateway(b.body.rx_metadata) } : undefined;
}
