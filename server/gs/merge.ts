/**
 * Gateway deduplication before the network layer: every gateway in range forwards the same frame
 * within a few hundred ms. The first copy opens a window; the copies that arrive in it add their
 * RadioMetadata, and when it closes the frame goes to the network layer once, with one radio per
 * gateway (TTS `pkg/networkserver` deduplication window, ChirpStack `deduplication_delay`).
 * The cost is the window's delay before the network layer sees the frame: 200 ms is far inside a
 * class A RX1 delay of 1 s or more.
 */
import type { RadioMetadata } from '../ns/ports';

export const DEFAULT_MERGE_WINDOW_MS = 200;

export type MergedHandler = (phyPayload: Uint8Array, radios: readonly RadioMetadata[]) => void;

export interface Merger {
  add(phyPayload: Uint8Array, radio: RadioMetadata): void;
  /** Frames waiting in their window. */
  pending(): number;
  /** Hands every waiting frame over now (shutdown). */
  flush(): void;
}

interface Pending {
  phyPayload: Uint8Array;
  radios: RadioMetadata[];
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
    deliver(entry.phyPayload, entry.radios);
  };

  return {
    add(phyPayload, radio) {
      const key = Buffer.from(phyPayload).toString('hex');
      const entry = waiting.get(key);
      if (entry) {
        // A gateway that hears a frame twice (two IF chains on the same frequency) counts once.
        if (!entry.radios.some((r) => gatewayKey(r) === gatewayKey(radio))) entry.radios.push(radio);
        return;
      }
      const timer = setTimeout(() => close(key), windowMs);
      waiting.set(key, { phyPayload, radios: [radio], timer });
    },
    pending: () => waiting.size,
    flush() {
      for (const key of [...waiting.keys()]) close(key);
    },
  };
}
