import type { MoteError } from '../../lib/errors';
import type { EndDeviceIds } from '../../lib/messages';
import type { NsCore } from './context';
import type { FrameError } from './lorawan';

/** Why a frame goes no further; the pipeline's steps return one instead of throwing. */
export interface Drop {
  drop: true;
  name: string;
  details: Record<string, string | number | boolean>;
  ids?: EndDeviceIds;
}

export const isDrop = (x: unknown): x is Drop => typeof x === 'object' && x !== null && 'drop' in x;

export const frameDrop = (e: FrameError, ids?: EndDeviceIds): Drop => ({
  drop: true,
  name: e.name,
  details: { message: e.message },
  ids,
});

export function errorDrop(e: MoteError, ids?: EndDeviceIds): Drop {
  const details: Drop['details'] = { message: e.message };
  for (const [k, v] of Object.entries(e.attributes))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') details[k] = v;
  return { drop: true, name: e.name, details, ids };
}

/** Counted, logged at debug (air traffic is noisy), and handed to `onDrop` for `up/drop`. */
export function report(core: NsCore, d: Drop): undefined {
  core.counters.dropped++;
  core.counters.drops[d.name] = (core.counters.drops[d.name] ?? 0) + 1;
  core.log.debug({ event: 'ns.up.drop', error: d.name, ...d.details }, 'uplink dropped');
  try {
    core.onDrop?.(d.ids, d.name, d.details);
  } catch (e) {
    core.log.error({ err: e }, 'onDrop failed');
  }
  return undefined;
}
