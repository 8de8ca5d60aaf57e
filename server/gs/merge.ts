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
  timer: NodeJS.Timeout;
}

const gatewayKey = (r: RadioMetadata) => r.gatewayIds.eui ?? r.gatewayIds.gateway_id;

export function createMerger(deliver: MergedHandler, windowMs = DEFAULT_MERGE_WINDOW_MS): Merger {
  const waiting = new Map<string, Pending>();

  const close = (key: string) => {
    const entry = waiting.get(key);
    if (!entry) return;
    waiting.delete(key);
    clearTimeout(entry.timer);
    deliver(entry.phyPayload, entry.radios, entry.ups);
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
      const timer = setTimeout(() => close(key), windowMs);
      waiting.set(key, { phyPayload, radios: [radio], ups: [up], timer });
    },
    pending: () => waiting.size,
    flush() {
      for (const key of [...waiting.keys()]) close(key);
    },
  };
}
