/** What the traffic view shows of a frame: its MType and the identifiers in clear in its header. */
import { decodePhyPayload } from '../ns/lorawan';
import type { GatewayTrafficEvent } from './ports';

export type FrameSummary = Pick<GatewayTrafficEvent, 'mType' | 'devAddr' | 'devEui' | 'fCnt' | 'size'>;

export function summarize(phyPayload: Uint8Array): FrameSummary {
  const size = phyPayload.length;
  const decoded = decodePhyPayload(phyPayload);
  if (!decoded.ok) return { size };
  const frame = decoded.value;
  switch (frame.mType) {
    case 'join_request':
      return { mType: frame.mType, devEui: frame.devEui, size };
    case 'join_accept':
      return { mType: frame.mType, size };
    default:
      return { mType: frame.mType, devAddr: frame.devAddr, fCnt: frame.fCnt16, size };
  }
}
