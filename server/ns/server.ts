/**
 * The network server core: decode → (JoinRequest: join.ts | data up: uplink.ts → downlink.ts).
 * Frames of one device are handled one at a time; nothing a frame contains makes `handleUplink`
 * reject: every refusal is a drop, counted and reported through `onDrop`; every outcome, the
 * device a frame resolved to or why it was dropped, through `onFrameHandled`.
 */
import { randomBytes } from 'node:crypto';
import type { EndDeviceIds } from '../../lib/messages';
import type { NsCore, NsDeps } from './context';
import { seenRecently, serialized } from './dedup';
import { scheduleDownlink } from './downlink';
import { type Drop, errorDrop, frameDrop, isDrop, report } from './drop';
import { uplinkFailed } from './errors';
import { handleJoinRequest } from './join';
import { decodePhyPayload, type Frame } from './lorawan';
import { devAddrRange } from './netId';
import type { FrameOutcome, NetworkServer, RadioMetadata, Transmission } from './ports';
import { strongest } from './radio';
import { handleDataUp } from './uplink';

export type NetworkServerOptions = Omit<NsDeps, 'random' | 'netId'> &
  Partial<Pick<NsDeps, 'random' | 'netId'>>;

/** The device a frame resolved to, and what to transmit for it. */
type Handled = { ids: EndDeviceIds; tx?: Transmission };

export function createNetworkServer(options: NetworkServerOptions): NetworkServer {
  const core: NsCore = {
    random: (n) => randomBytes(n),
    netId: '000000',
    ...options,
    counters: { received: 0, joins: 0, uplinks: 0, downlinks: 0, dropped: 0, drops: {} },
    seen: new Map(),
  };
  // A bad MOTE_NET_ID stops the start, not the first join.
  devAddrRange(core.netId);
  const oneAtATime = serialized();

  async function handle(
    frame: Frame,
    bytes: Uint8Array,
    radios: readonly RadioMetadata[],
    best: RadioMetadata,
  ): Promise<Handled | Drop> {
    switch (frame.mType) {
      case 'join_request':
        return handleJoinRequest(core, frame, radios, best);
      case 'join_accept':
        return frameDrop({ name: 'unexpected_mtype', message: 'a JoinAccept sent uplink' });
      default: {
        if (frame.mType === 'unconfirmed_down' || frame.mType === 'confirmed_down')
          return frameDrop({ name: 'unexpected_mtype', message: `${frame.mType} sent uplink` });
        const ctx = await handleDataUp(core, bytes, frame, radios, best);
        return isDrop(ctx) ? ctx : { ids: ctx.ids, tx: await scheduleDownlink(core, ctx) };
      }
    }
  }

  async function resolve(phyPayload: Uint8Array, radios: readonly RadioMetadata[]): Promise<Handled | Drop> {
    const best = strongest(radios);
    const decoded = decodePhyPayload(phyPayload);
    if (!decoded.ok) return frameDrop(decoded.error);
    if (!best)
      return { drop: true, name: 'no_radio_metadata', details: { message: 'no gateway reported the frame' } };
    if (seenRecently(core, phyPayload))
      return { drop: true, name: 'duplicate_uplink', details: { message: 'gateway duplicate' } };
    const frame = decoded.value;
    const key =
      frame.mType === 'join_request'
        ? `join:${frame.devEui}`
        : 'devAddr' in frame
          ? `addr:${frame.devAddr}`
          : 'other';
    return oneAtATime(key, () => handle(frame, phyPayload, radios, best)).catch((e: unknown) => {
      core.log.error({ err: e, event: 'ns.up.fail' }, 'uplink failed');
      const drop = errorDrop(uplinkFailed());
      drop.details.cause = e instanceof Error ? e.name : 'unknown';
      return drop;
    });
  }

  function observe(phyPayload: Uint8Array, outcome: FrameOutcome) {
    try {
      core.onFrameHandled?.(phyPayload, outcome);
    } catch (e) {
      core.log.error({ err: e }, 'onFrameHandled failed');
    }
  }

  async function handleUplink(
    phyPayload: Uint8Array,
    radio: RadioMetadata | readonly RadioMetadata[],
  ): Promise<Transmission | undefined> {
    core.counters.received++;
    const radios: readonly RadioMetadata[] = Array.isArray(radio) ? radio : [radio as RadioMetadata];
    const result = await resolve(phyPayload, radios);
    if (isDrop(result)) {
      observe(phyPayload, { ...(result.ids ? { ids: result.ids } : {}), dropped: result.name });
      return report(core, result);
    }
    observe(phyPayload, { ids: result.ids });
    return result.tx;
  }

  return {
    handleUplink,
    stats: () => ({ ...core.counters, drops: { ...core.counters.drops } }),
  };
}
