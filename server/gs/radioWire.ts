/**
 * RadioMetadata as JSON, for a copy heard on one instance and merged on another: dates as ISO
 * strings, the uplink token as base64, the rest as it is.
 */
import type { RadioMetadata } from '../ns/ports';

type Wire = Omit<RadioMetadata, 'receivedAt' | 'time' | 'uplinkToken'> & {
  receivedAt: string;
  time?: string;
  uplinkToken?: string;
};

export function encodeRadio(radio: RadioMetadata): string {
  const { receivedAt, time, uplinkToken, ...rest } = radio;
  const wire: Wire = {
    ...rest,
    receivedAt: receivedAt.toISOString(),
    ...(time ? { time: time.toISOString() } : {}),
    ...(uplinkToken ? { uplinkToken: Buffer.from(uplinkToken).toString('base64') } : {}),
  };
  return JSON.stringify(wire);
}

export function decodeRadio(text: string): RadioMetadata {
  const { receivedAt, time, uplinkToken, ...rest } = JSON.parse(text) as Wire;
  return {
    ...rest,
    receivedAt: new Date(receivedAt),
    ...(time ? { time: new Date(time) } : {}),
    ...(uplinkToken ? { uplinkToken: new Uint8Array(Buffer.from(uplinkToken, 'base64')) } : {}),
  };
}
