/**
 * Load generator (child process) for the live-table run: simulated uplinks through the real
 * HTTP API (`POST …/up/simulate`, SPEC §6) at a steady rate, with a cap on requests in flight so
 * a slow server shows up as skipped sends rather than an ever-growing backlog here.
 */
import { pace } from './pace';
import { serve } from './rpc';

const MAX_IN_FLIGHT = 64;

serve({
  async feed(args: {
    url: string;
    applicationId: string;
    deviceIds: string[];
    key: string;
    rate: number;
    seconds: number;
  }) {
    let inFlight = 0;
    const counts = { ok: 0, failed: 0, skipped: 0 };
    let n = 0;
    const post = async (device: string, body: string) => {
      inFlight++;
      try {
        const res = await fetch(
          `${args.url}/api/v3/as/applications/${args.applicationId}/devices/${device}/up/simulate`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${args.key}`, 'content-type': 'application/json' },
            body,
          },
        );
        await res.arrayBuffer();
        counts[res.ok ? 'ok' : 'failed']++;
      } catch {
        counts.failed++;
      } finally {
        inFlight--;
      }
    };
    const sent = await pace(args.rate, args.seconds, (count) => {
      for (let i = 0; i < count; i++, n++) {
        if (inFlight >= MAX_IN_FLIGHT) {
          counts.skipped++;
          continue;
        }
        const body = JSON.stringify({
          uplink_message: {
            f_port: 15,
            f_cnt: n,
            frm_payload: Buffer.from(`bench ${n}`).toString('base64'),
            decoded_payload: { temperature: 20 + (n % 50) / 10, humidity: 40 + (n % 20), n },
          },
        });
        void post(args.deviceIds[n % args.deviceIds.length], body);
      }
    });
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    return { ...counts, seconds: sent.seconds };
  },
});
