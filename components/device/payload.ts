/** Payload input of the downlink and uplink forms: hex, base64, or JSON for the formatter. */
export type PayloadFormat = 'hex' | 'base64' | 'json';

/** Ranges are the API's to check (it names the limit); this only catches what is not a number. */
export function parseFPort(text: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n)) throw new Error('FPort must be a whole number, e.g. 1');
  return n;
}

export function hexToBase64(hex: string): string {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean))
    throw new Error('payload must be a complete hex value (pairs of 0-9, A-F)');
  let bin = '';
  for (let i = 0; i < clean.length; i += 2)
    bin += String.fromCharCode(Number.parseInt(clean.slice(i, i + 2), 16));
  return btoa(bin);
}

/** The downlink's payload fields; base64 goes to the API unchanged, so it can say what is wrong. */
export function payloadFields(
  format: PayloadFormat,
  text: string,
): { frm_payload?: string; decoded_payload?: unknown } {
  if (format === 'hex') return { frm_payload: hexToBase64(text) };
  if (format === 'base64') return { frm_payload: text.trim() };
  try {
    return { decoded_payload: JSON.parse(text) };
  } catch {
    throw new Error('payload must be a valid JSON object');
  }
}

export const splitIds = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
