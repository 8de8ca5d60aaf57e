import { defineError } from '../errors';
import { readMessage, writeMessage } from './codec';
import { applicationDownlink, applicationUp, upBodies } from './descriptors';
import { type ApplicationDownlink, type ApplicationUp, UP_TYPES, type UpBodies, type UpType } from './types';

export * from './base64';
export * from './types';

/** ApplicationUp → proto-JSON object (docs/behaviour.md §4). */
export const applicationUpToJson = (up: ApplicationUp): Record<string, unknown> =>
  writeMessage(applicationUp, up);

/** ApplicationUp → proto-JSON text; the bus carries this text, serialized once. */
export const writeApplicationUp = (up: ApplicationUp): string => JSON.stringify(applicationUpToJson(up));

/** `field` is the first body field, or the second of several. */
export const wrongBodyCount = defineError(
  'pkg/mote',
  'invalid_field',
  'invalid_argument',
  'an ApplicationUp needs exactly one body, got {count}',
  { attributes: ['field'], messageOnly: ['count'] },
);

/** Parsed JSON → ApplicationUp; throws invalid_argument naming the field. Exactly one body. */
export function readApplicationUp(json: unknown): ApplicationUp {
  const up = readMessage(applicationUp, json, '');
  const bodies = UP_TYPES.filter((t) => up[t] !== undefined);
  if (bodies.length !== 1) {
    throw wrongBodyCount({
      count: bodies.length,
      field: bodies.length === 0 ? 'uplink_message' : bodies[1],
    });
  }
  if (up.end_device_ids === undefined)
    up.end_device_ids = { device_id: '', application_ids: { application_id: '' } };
  return up as unknown as ApplicationUp;
}

/** One body of an ApplicationUp, read on its own (e.g. the simulate-uplink request). */
export function readUpBody<T extends UpType>(type: T, json: unknown, path: string = type): UpBodies[T] {
  const field = upBodies.find((f) => f.name === type);
  if (!field || typeof field.kind !== 'object' || !('message' in field.kind))
    throw new Error(`unknown body ${type}`);
  return readMessage(field.kind.message, json, path) as unknown as UpBodies[T];
}

export const applicationDownlinkToJson = (d: ApplicationDownlink): Record<string, unknown> =>
  writeMessage(applicationDownlink, d);
export const writeApplicationDownlink = (d: ApplicationDownlink): string =>
  JSON.stringify(applicationDownlinkToJson(d));
export const readApplicationDownlink = (json: unknown, path = 'downlink'): ApplicationDownlink =>
  readMessage(applicationDownlink, json, path) as ApplicationDownlink;
