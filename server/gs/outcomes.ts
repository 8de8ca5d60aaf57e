/**
 * Uplinks waiting for the network layer's verdict. A forwarded frame's traffic events are recorded
 * once it is known which device the frame resolved to, or why it was dropped: a reader that polls
 * with `after` sees each event once, complete. The verdict comes through the network server's
 * `onFrameHandled` with the very PHYPayload the gateway server handed over, so frames are matched
 * by identity: the same bytes forwarded twice (a replay after the merge window) are two frames.
 */
import type { FrameOutcome } from '../ns/ports';
import type { GatewayConnections, TrafficInput } from './connections';

/** One gateway's copy of a frame, as its traffic will show it. */
export interface PendingUp {
  eui: string;
  /** When the gateway's datagram came. */
  time: string;
  event: TrafficInput;
}

export class PendingUplinks {
  private readonly waiting = new Map<Uint8Array, PendingUp[]>();

  constructor(private readonly connections: GatewayConnections) {}

  /** The merge window closed: the frame goes to the network layer with these copies. */
  forwarded(phyPayload: Uint8Array, ups: readonly PendingUp[]): void {
    this.waiting.set(phyPayload, [...ups]);
  }

  handled(phyPayload: Uint8Array, outcome: FrameOutcome): void {
    const ups = this.waiting.get(phyPayload);
    if (!ups) return;
    this.waiting.delete(phyPayload);
    const ids = outcome.ids;
    const verdict = {
      ...(ids
        ? { deviceIds: { application_id: ids.application_ids.application_id, device_id: ids.device_id } }
        : {}),
      ...(outcome.dropped ? { dropped: outcome.dropped } : {}),
    };
    for (const up of ups) this.connections.record(up.eui, { ...up.event, ...verdict }, up.time);
  }

  /** `handleUplink` settled: copies no verdict reached are recorded as they are. */
  settled(phyPayload: Uint8Array): void {
    this.handled(phyPayload, {});
  }

  size(): number {
    return this.waiting.size;
  }
}
