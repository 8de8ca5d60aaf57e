/**
 * Gateway deduplication before the network layer: every gateway in range forwards the same frame
 * within a few hundred ms. The first copy opens a window; the copies that arrive in it add their
 * RadioMetadata, and when it closes the frame goes to the network layer once, with one radio per
 * gateway (TTS `pkg/networkserver` deduplication window, ChirpStack `deduplication_delay`).
 * The cost is the window's delay before the network layer sees the frame: 200 ms is far inside a
 * class A RX1 delay of 1 s or more.
 *
 * In a cluster (`shared`), gateways in range of one device may send to different instances. The
 * first instance to claim a frame merges it: the others hand their copies over to it as they
 * arrive and forward nothing themselves (server/cluster/gateways.ts). The claim is one Redis round
 * trip taken while the window is open; reading the copies handed over is one more as it closes,
 * the only delay added. A copy handed over after the owner's window closed is lost, as a copy
 * arriving late on one instance would open a window too late.
 */
import type { RadioMetadata } from '../ns/ports';
import { type SharedWindows, within } from './cluster';
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

/** How long a claim outlives its window: copies a little late still go to the owner, not to a second window. */
export const CLAIM_MARGIN_MS = 1000;

export interface SharedMerge {
  windows: SharedWindows;
  /** Copies of a frame another instance merged: their traffic is recorded here, without a verdict. */
  handedOver(ups: readonly PendingUp[]): void;
  onError(err: unknown): void;
}

interface Pending {
  phyPayload: Uint8Array;
  radios: RadioMetadata[];
  ups: PendingUp[];
  /** performance.now() at which the window closes. */
  closesAt: number;
  /** Shared: whether this instance merges the frame (undefined until the claim is answered). */
  mine?: Promise<boolean>;
  theirs?: boolean;
}

const gatewayKey = (r: RadioMetadata) => r.gatewayIds.eui ?? r.gatewayIds.gateway_id;

/**
 * Windows close in batches when traffic is heavy: the frames one sweep hands over are handled in
 * one turn of the event loop, so their `up` messages leave in one write per subscriber
 * (server/mqtt/transport.ts corks per tick) instead of one each — at thousands of frames per
 * second that is most of the fan-out's cost. When traffic is light a sweep runs as the oldest
 * window closes, so a frame waits its window and no more (a fixed 10 ms sweep added up to 10 ms
 * to every uplink at 500/s). The gap before the next sweep grows with what the last one handed
 * over, `GAP_PER_FRAME_MS` a frame up to `SWEEP_MS`: above ~1 000 frames/s it settles at
 * `SWEEP_MS`, below it at none. A window lasts between `windowMs` and `windowMs + SWEEP_MS`.
 */
const SWEEP_MS = 10;
const GAP_PER_FRAME_MS = 1;

export function createMerger(
  deliver: MergedHandler,
  windowMs = DEFAULT_MERGE_WINDOW_MS,
  shared?: SharedMerge,
): Merger {
  // Insertion order is closing order: every window is as long as the others.
  const waiting = new Map<string, Pending>();
  let sweeper: NodeJS.Timeout | undefined;
  /** performance.now() before which the next sweep does not run. */
  let notBefore = 0;
  const claimTtlMs = windowMs + CLAIM_MARGIN_MS;

  const hand = (key: string, entry: Pending) => {
    waiting.delete(key);
    if (!shared || !entry.mine) deliver(entry.phyPayload, entry.radios, entry.ups);
    else handShared(shared, key, entry, entry.mine);
  };

  const handShared = (s: SharedMerge, key: string, entry: Pending, mine: Promise<boolean>) => {
    const alone = () => deliver(entry.phyPayload, entry.radios, entry.ups);
    within(mine, CLAIM_MARGIN_MS)
      .then(async (claimed) => {
        if (!claimed) return s.handedOver(entry.ups);
        const radios = [...entry.radios];
        for (const radio of await within(s.windows.collect(key), CLAIM_MARGIN_MS)) addRadio(radios, radio);
        deliver(entry.phyPayload, radios, entry.ups);
      })
      .catch((err: unknown) => {
        s.onError(err);
        alone();
      });
  };

  const open = (s: SharedMerge, key: string, entry: Pending, radio: RadioMetadata) => {
    entry.mine = s.windows.claim(key, radio, claimTtlMs);
    entry.mine.then(
      (claimed) => {
        if (claimed) return;
        entry.theirs = true;
        // Copies heard here while the claim was on its way follow the first one.
        for (const r of entry.radios.slice(1)) s.windows.handOver(key, r, claimTtlMs);
      },
      () => {},
    );
  };

  const schedule = () => {
    if (sweeper) return;
    const first = waiting.values().next().value;
    if (!first) return;
    const delay = Math.max(first.closesAt, notBefore) - performance.now();
    sweeper = setTimeout(sweep, Math.max(0, Math.ceil(delay)));
  };

  const sweep = () => {
    sweeper = undefined;
    const now = performance.now();
    let handed = 0;
    for (const [key, entry] of waiting) {
      if (entry.closesAt > now) break;
      hand(key, entry);
      handed++;
    }
    notBefore = now + Math.min(SWEEP_MS, handed * GAP_PER_FRAME_MS);
    schedule();
  };

  const stop = () => {
    if (sweeper) clearTimeout(sweeper);
    sweeper = undefined;
  };

  return {
    add(phyPayload, radio, up) {
      const key = Buffer.from(phyPayload).toString('hex');
      const entry = waiting.get(key);
      if (entry) {
        entry.ups.push(up);
        if (addRadio(entry.radios, radio) && entry.theirs) shared?.windows.handOver(key, radio, claimTtlMs);
        return;
      }
      const opened: Pending = {
        phyPayload,
        radios: [radio],
        ups: [up],
        closesAt: performance.now() + windowMs,
      };
      waiting.set(key, opened);
      if (shared) open(shared, key, opened, radio);
      schedule();
    },
    pending: () => waiting.size,
    flush() {
      for (const [key, entry] of [...waiting]) hand(key, entry);
      stop();
    },
  };
}

/** A gateway that hears a frame twice (two IF chains on the same frequency) counts once. */
function addRadio(radios: RadioMetadata[], radio: RadioMetadata): boolean {
  if (radios.some((r) => gatewayKey(r) === gatewayKey(radio))) return false;
  radios.push(radio);
  return true;
}
