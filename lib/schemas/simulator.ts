import { z } from 'zod';
import { durationMs } from './storage';

/**
 * `POST /api/v3/sim/applications/{app}/devices/{dev}/start`: all optional; a device keeps its
 * previous settings. `interval` is a duration (`2s`, `500ms`) or milliseconds.
 */
export const simulatorStartRequest = z
  .object({
    interval: z.union([durationMs, z.number().int()]).optional(),
    ack_loss: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
    data_rate_index: z.number().int().min(0).max(6).optional(),
    /** Through the simulator's virtual Semtech UDP gateway and the gateway server (issue 13). */
    via_udp: z.boolean().optional(),
  })
  .transform((r) => ({
    intervalMs: r.interval,
    ackLoss: r.ack_loss,
    dataRateIndex: r.data_rate_index,
    viaUdp: r.via_udp,
  }));
