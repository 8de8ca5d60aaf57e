import { isObject, type LiveMessage, type LiveRow } from './event';
import { decodedOf, previewOf } from './preview';

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

/**
 * One `decoded.<field>` column per top-level field of the rows' decoded payloads, in the order
 * first met, so a spreadsheet gets the values and not a JSON cell; nested values stay JSON.
 */
function decodedColumns(rows: readonly LiveMessage[]): string[] {
  const fields = new Set<string>();
  for (const r of rows) {
    const d = decodedOf(r);
    if (isObject(d)) for (const k of Object.keys(d)) fields.add(k);
  }
  return [...fields];
}

const flat = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : v);

export function toCsv(rows: readonly LiveRow[]): string {
  const shown = messages(rows);
  const decoded = decodedColumns(shown);
  const lines = [
    [...CSV_COLUMNS, 'decoded_payload', ...decoded.map((f) => `decoded.${f}`)].map(cell).join(','),
  ];
  for (const r of shown) {
    const p = previewOf(r);
    const d = decodedOf(r);
    const fields = isObject(d) ? d : {};
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
      p.decoded,
      ...decoded.map((f) => flat(fields[f])),
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
