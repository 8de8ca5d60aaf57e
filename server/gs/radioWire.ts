/**
 * RadioMetadata as JSON, for a copy heard on one instance and merged on another: the receive
 * date as an ISO string, the uplink token as base64, the rest (the gateway's `time` is text
 * already) as it is.
 */
import type { RadioMetadata } from '../ns/ports';

type Wire = Omit<RadioMetadata, 'receivedAt' | 'uplinkToken'> & {
  receivedAt: string;
  uplinkToken?: string;
};

export function encodeRadio(radio: RadioMetadata): string {
  const { receivedAt, uplinkToken, ...rest } = radio;
  const wire: Wire = {
    ...rest,
    receivedAt: receivedAt.toISOString(),
    ...(uplinkToken ? { uplinkToken: Buffer.from(uplinkToken).toString('base64') } : {}),
  };
  return JSON.stringify(wire);
}

export function decodeRadio(text: string): RadioMetadata {
  const { receivedAt, uplinkToken, ...rest } = JSON.parse(text) as Wire;
  return {
    ...rest,
    receivedAt: new Date(receivedAt),
    ...(uplinkToken ? { uplinkToken: new Uint8Array(Buffer.from(uplinkToken, 'base64')) } : {}),
  };
}
