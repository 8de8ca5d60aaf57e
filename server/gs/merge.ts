/**
 * Gateway deduplication before the network layer: every gateway in range forwards the same frame
 * within a few hundred ms. The first copy opens a window; the copies that arrive in it add their
 * RadioMetadata, and when it closes the frame goes to the network layer once, with one radio per
 * gateway (TTS `pkg/networkserver` deduplication window, ChirpStack `deduplication_delay`).
 * The cost is the window's delay before the network layer sees the frame: 200 ms is far inside a
 * class A RX1 delay of 1 s or more.
 */
import type { RadioMetadata } from '../ns/ports';
import type { PendingUp } from './outcomes';

export const DEFAULT_MERGE_WINDOW_MS = 200;

export type MergedHandler = (
  phyPayload: Uint8Array,
  radios: readonly RadioMetadata[],
  ups: readonly PendingUp[],
) => void;

export interface Merger {
  /** `up`: the copy as the gateway's traffic shows it, recorded once the network layer decided. */
  add(phyPayload: Uint8Array, radio: RadioMetadata, up: PendingUp): void;
  /** Frames waiting in their window. */
  pending(): number;
  /** Hands every waiting frame over now (shutdown). */
  flush(): void;
}

interface Pending {
  phyPayload: Uint8Array;
  radios: RadioMetadata[];
  ups: PendingUp[];
  /** performance.now() at which the window closes. */
  closesAt: number;
}

const gatewayKey = (r: RadioMetadata) => r.gatewayIds.eui ?? r.gatewayIds.gateway_id;

/**
 * Windows close in batches, from one sweep every `SWEEP_MS`, not from a timer each: the frames a
 * sweep hands over are handled in one turn of the event loop, so their `up` messages leave in
 * one write per subscriber (server/mqtt/transport.ts corks per tick) instead of one each. At
 * thousands of frames per second that is most of the fan-out's cost. A window lasts between
 * `windowMs` and `windowMs + SWEEP_MS`.
 */
const SWEEP_MS = 10;

export function createMerger(deliver: MergedHandler, windowMs = DEFAULT_MERGE_WINDOW_MS): Merger {
  // Insertion order is closing order: every window is as long as the others.
  const waiting = new Map<string, Pending>();
  let sweeper: NodeJS.Timeout | undefined;

  const hand = (key: string, entry: Pending) => {
    waiting.delete(key);
    deliver(entry.phyPayload, entry.radios, entry.ups);
  };

  const sweep = () => {
    const now = performance.now();
    for (const [key, entry] of waiting) {
      if (entry.closesAt > now) break;
      hand(key, entry);
    }
    if (waiting.size === 0) stop();
  };

  const stop = () => {
    if (sweeper) clearInterval(sweeper);
    sweeper = undefined;
  };

  return {
    add(phyPayload, radio, up) {
      const key = Buffer.from(phyPayload).toString('hex');
      const entry = waiting.get(key);
      if (entry) {
        entry.ups.push(up);
        // A gateway that hears a frame twice (two IF chains on the same frequency) counts once.
        if (!entry.radios.some((r) => gatewayKey(r) === gatewayKey(radio))) entry.radios.push(radio);
        return;
      }
      waiting.set(key, { phyPayload, radios: [radio], ups: [up], closesAt: performance.now() + windowMs });
      sweeper ??= setInterval(sweep, SWEEP_MS);
    },
    pending: () => waiting.size,
    flush() {
      for (const [key, entry] of [...waiting]) hand(key, entry);
      stop();
    },
  };
}
