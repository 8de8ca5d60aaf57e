import { describe, expect, it } from 'vitest';
import type { LiveRow } from '@/lib/live/event';
import { reasonInWords } from '@/lib/live/failure';
import { fPortProblem, payloadBytes, payloadLimit } from './downlinkRules';
import { track } from './downlinkTrack';

const msg = (type: string, message: Record<string, unknown>, correlationIds: string[] = []): LiveRow => ({
  kind: 'message',
  key: `${type}-${Math.random()}`,
  type: type as 'up',
  deviceId: 'd',
  receivedAt: '',
  time: 0,
  correlationIds,
  message,
});

describe('downlink form checks, in words', () => {
  it.each([
    ['', 'FPort is required: a whole number from 1 to 255.'],
    ['0', 'FPort must be a whole number from 1 to 255, not 0.'],
    ['1.5', 'FPort must be a whole number from 1 to 255, not 1.5.'],
    ['256', 'FPort must be a whole number from 1 to 255, not 256.'],
    ['224', 'FPort 224 is reserved for the LoRaWAN test protocol: use 1 to 223 or 225 to 255.'],
    ['15', undefined],
  ])('FPort %j', (text, problem) => expect(fPortProblem(text)).toBe(problem));

  it('counts bytes of hex and base64, and says what is not', () => {
    expect(payloadBytes('hex', '01 a2:FF')).toEqual({ bytes: 3 });
    expect(payloadBytes('hex', '0G').problem).toBe('Hex digits are 0-9 and A-F; "G" is not one.');
    expect(payloadBytes('hex', 'ABC').problem).toMatch(/pairs of digits/);
    expect(payloadBytes('base64', '3q2+7w==')).toEqual({ bytes: 4 });
    expect(payloadBytes('json', '[1]').problem).toMatch(/JSON object/);
  });

  it('limits the payload at RX1 of the newest uplink, else at RX2', () => {
    expect(payloadLimit('EU_863_870', [])).toMatchObject({ max: 51, dataRate: 0 });
    const up = msg('up', {
      uplink_message: { settings: { data_rate: { lora: { spreading_factor: 7, bandwidth: 125_000 } } } },
    });
    expect(payloadLimit('EU_863_870', [up])).toMatchObject({ max: 242, dataRate: 5 });
  });
});

describe('following a pushed downlink', () => {
  it('goes queued → sent → ack by its own correlation ID, ignoring others', () => {
    const id = 'console:downlink:1';
    const rows = [
      msg('down/queued', { downlink_queued: {} }, [id]),
      msg('down/failed', { downlink_failed: { error: { name: 'x' } } }, ['console:downlink:2']),
      msg('down/sent', { downlink_sent: {} }, [id]),
    ];
    expect(track(rows, id)).toEqual({ stage: 'sent' });
    expect(track([...rows, msg('down/ack', { downlink_ack: {} }, [id])], id)).toEqual({ stage: 'ack' });
  });

  it('says why a downlink failed', () => {
    const error = {
      name: 'application_downlink_too_long',
      attributes: { length: 230, max: 51, data_rate_index: 0 },
    };
    expect(reasonInWords(error)).toBe('the payload is 230 bytes, but at most 51 fit at data rate DR0');
    const rows = [msg('down/failed', { downlink_failed: { error } }, ['c'])];
    expect(track(rows, 'c')).toEqual({ stage: 'failed', reason: reasonInWords(error) });
  });
});
