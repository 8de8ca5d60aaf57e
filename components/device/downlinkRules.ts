import { dataRateIndex, frequencyPlan, isFrequencyPlanId, maxApplicationPayload } from '@/lib/bands';
import { bodyOf, isObject, type LiveRow } from '@/lib/live/event';
import type { PayloadFormat } from './payload';

/**
 * The downlink form's checks, in the user's words and beside the field they concern (TTS's
 * console says "FPort must be 1–223"; zod says "expected int, received number"). The API
 * checks the same again; these only spare a round trip and say it better.
 */
export interface DownlinkProblems {
  fPort?: string;
  payload?: string;
}

export function fPortProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return 'FPort is required: a whole number from 1 to 255.';
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1 || n > 255)
    return `FPort must be a whole number from 1 to 255, not ${t}.`;
  if (n === 224) return 'FPort 224 is reserved for the LoRaWAN test protocol: use 1 to 223 or 225 to 255.';
  return undefined;
}

/** The payload's length in bytes, or why it is not one; JSON goes through the formatter (no length). */
export function payloadBytes(format: PayloadFormat, text: string): { bytes?: number; problem?: string } {
  if (format === 'json') {
    if (text.trim() === '') return { problem: 'A JSON object is needed for the down formatter.' };
    try {
      const v: unknown = JSON.parse(text);
      if (!isObject(v)) return { problem: 'The decoded payload must be a JSON object, e.g. {"led": true}.' };
      return {};
    } catch (e) {
      return { problem: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}.` };
    }
  }
  if (format === 'hex') {
    const clean = text.replace(/[\s:-]/g, '');
    if (/[^0-9a-fA-F]/.test(clean)) {
      const bad = clean.match(/[^0-9a-fA-F]/)?.[0];
      return { problem: `Hex digits are 0-9 and A-F; "${bad}" is not one.` };
    }
    if (clean.length % 2 === 1)
      return { problem: `Hex needs pairs of digits: ${clean.length} digits is half a byte short.` };
    return { bytes: clean.length / 2 };
  }
  const b64 = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1)
    return { problem: 'Not base64: use A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4.' };
  return { bytes: Math.floor((b64.replace(/=+$/, '').length * 3) / 4) };
}

export interface PayloadLimit {
  max: number;
  dataRate: number;
  /** Where the data rate comes from, in words. */
  basis: string;
}

/**
 * The largest FRMPayload the next downlink may carry (LoRaWAN Regional Parameters' N): in RX1
 * of the newest uplink seen (RX1DROffset 0), else at RX2's data rate. Undefined for a plan the
 * console does not know.
 */
export function payloadLimit(
  frequencyPlanId: string | undefined,
  rows: readonly LiveRow[],
): PayloadLimit | undefined {
  const planId = frequencyPlanId ?? 'EU_863_870';
  if (!isFrequencyPlanId(planId)) return undefined;
  const plan = frequencyPlan(planId);
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row?.kind !== 'message' || row.type !== 'up') continue;
    const b = bodyOf(row.message);
    const settings = b && isObject(b.body.settings) ? b.body.settings : undefined;
    const lora = settings && isObject(settings.data_rate) ? settings.data_rate.lora : undefined;
    if (!isObject(lora)) continue;
    const spreadingFactor = Number(lora.spreading_factor);
    const bandwidth = Number(lora.bandwidth);
    try {
      const up = dataRateIndex(plan, { spreadingFactor, bandwidth }, 'uplink');
      const dr = plan.rx1DataRates[up]?.[0];
      if (dr === undefined) continue;
      return {
        max: maxApplicationPayload(plan, dr),
        dataRate: dr,
        basis: `RX1 of the last uplink (SF${spreadingFactor}BW${bandwidth / 1000})`,
      };
    } catch {}
  }
  return {
    max: maxApplicationPayload(plan, plan.rx2.dr),
    dataRate: plan.rx2.dr,
    basis: 'RX2: no uplink seen yet',
  };
}
