import type { LiveMessage, LiveRow } from './event';
import { previewOf } from './preview';

const messages = (rows: readonly LiveRow[]) => rows.filter((r): r is LiveMessage => r.kind === 'message');

/** The rows shown, oldest first, as the `ApplicationUp` messages themselves. */
export function toJson(rows: readonly LiveRow[]): string {
  return JSON.stringify(
    messages(rows).map((r) => r.message),
    null,
    2,
  );
}

const CSV_COLUMNS = [
  'received_at',
  'device_id',
  'type',
  'f_port',
  'f_cnt',
  'frm_payload_hex',
  'rssi',
  'snr',
  'data_rate',
  'priority',
  'confirmed',
  'correlation_ids',
] as const;

/** RFC 4180 quoting; a leading =+-@ is prefixed so spreadsheets do not run it as a formula. */
function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s))) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: readonly LiveRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of messages(rows)) {
    const p = previewOf(r);
    const values = [
      r.receivedAt,
      r.deviceId,
      r.type,
      p.fPort,
      p.fCnt,
      p.payloadHex,
      p.rssi,
      p.snr,
      p.dataRate,
      p.priority,
      p.confirmed,
      r.correlationIds.join(' '),
    ];
    lines.push(values.map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
