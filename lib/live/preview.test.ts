import { describe, expect, it } from 'vitest';
import { type LiveMessage, toLiveMessage } from './event';
import { hasLeadText, previewOf } from './preview';

const msg = (body: Record<string, unknown>) =>
  toLiveMessage({
    end_device_ids: { device_id: 'dev1' },
    correlation_ids: ['as:downlink:1'],
    received_at: '2025-01-01T00:00:00Z',
    ...body,
  }) as LiveMessage;

const confirmed = (retry?: Record<string, number>) => ({
  f_port: 1,
  frm_payload: 'AQ==',
  confirmed: true,
  ...(retry ? { confirmed_retry: retry } : {}),
});

describe('previewOf', () => {
  it('shows FCnt 0, which proto-JSON leaves out, where a frame counter belongs', () => {
    expect(previewOf(msg({ uplink_message: { f_port: 1 } })).fCnt).toBe(0);
    expect(previewOf(msg({ downlink_sent: { f_port: 1 } })).fCnt).toBe(0);
    expect(previewOf(msg({ downlink_queued: { f_port: 1 } })).fCnt).toBeUndefined();
  });

  it('says which attempt a confirmed downlink is on, out of 8 unless the client set it', () => {
    expect(previewOf(msg({ downlink_queued: confirmed({ attempt: 1 }) })).attempt).toBe('attempt 1 of 8');
    expect(previewOf(msg({ downlink_sent: confirmed() })).attempt).toBe('attempt 1 of 8');
    expect(previewOf(msg({ downlink_sent: confirmed({ attempt: 3, max_attempts: 5 }) })).attempt).toBe(
      'attempt 3 of 5',
    );
    expect(previewOf(msg({ downlink_sent: { f_port: 1 } })).attempt).toBeUndefined();
  });

  it('reports a nack on the attempt that went unanswered (it carries the next one)', () => {
    expect(previewOf(msg({ downlink_nack: confirmed({ attempt: 2 }) })).attempt).toBe(
      'attempt 1 of 8, will retry',
    );
    expect(previewOf(msg({ downlink_nack: confirmed({ attempt: 4, max_attempts: 3 }) })).attempt).toBe(
      'attempt 3 of 3, no retries left',
    );
  });

  it('names why the network layer dropped a frame (up/drop, console sessions only)', () => {
    const drop = msg({
      uplink_drop: { error: { name: 'mic_mismatch', message: 'the MIC does not match the NwkSKey' } },
    });
    expect(drop.type).toBe('up/drop');
    expect(previewOf(drop).error).toBe('mic_mismatch: the MIC does not match the NwkSKey');
  });
});

describe('hasLeadText', () => {
  it('says whether the preview leads with a decoded payload or a reason, as the preview itself', () => {
    const cases = [
      msg({ uplink_message: { f_port: 1, frm_payload: 'AQ==' } }),
      msg({ uplink_message: { f_port: 1, decoded_payload: { t: 21.5 } } }),
      msg({ uplink_message: { f_port: 1, decoded_payload: null } }),
      msg({ downlink_queued: { f_port: 1, decoded_payload: { on: true } } }),
      msg({
        downlink_failed: { downlink: { f_port: 1, decoded_payload: { on: true } }, error: { name: 'x' } },
      }),
      msg({ downlink_failed: { downlink: { f_port: 1 }, error: { name: 'max_retries_reached' } } }),
      msg({ uplink_decode_failed: { error: { name: 'formatter_failed' } } }),
      msg({ join_accept: {} }),
      msg({}),
    ];
    const fromPreview = cases.map((m) => {
      const p = previewOf(m);
      return p.decoded !== undefined || p.error !== undefined;
    });
    expect(cases.map(hasLeadText)).toEqual(fromPreview);
    expect(fromPreview).toEqual([false, true, true, true, true, true, true, false, false]);
  });
});
