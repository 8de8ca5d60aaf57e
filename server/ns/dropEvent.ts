/**
 * Drops as the console sees them (issue 12 "Frames": `up/drop` with `error.name`, console
 * sessions only): only drops the network layer could pin on one device, since an event goes to
 * a device's topic; the rest (unknown DevAddr, bad frames) are counted and logged only.
 */
import type { EndDeviceIds } from '../../lib/messages';
import type { IdSource } from '../as/correlation';
import type { UplinkDrop } from '../as/publish';
import type { Clock } from '../clock';
import type { DropHandler } from './ports';

export type PublishDrop = (
  ids: EndDeviceIds,
  body: UplinkDrop,
  correlationIds: string[],
  receivedAt: string,
) => void;

export function dropEvents(publish: PublishDrop, deps: { clock: Clock; ids: IdSource }): DropHandler {
  return (ids, name, details) => {
    if (!ids) return;
    const { message, ...attributes } = details;
    const error: UplinkDrop['error'] = { name, message: String(message ?? name) };
    if (Object.keys(attributes).length > 0) error.attributes = attributes;
    // Its own correlation ID: the console tells rows apart by it (lib/live/event.ts).
    publish(ids, { error }, [`ns:uplink:${deps.ids.ulid()}`], deps.clock.now().toISOString());
  };
}
