/**
 * Which device sent a data uplink (LoRaWAN 1.0.3 §4.3.1.5, §4.4, §6.1.1): the candidates by
 * DevAddr, then per candidate the 32-bit FCnt rebuilt, the MIC checked with its NwkSKey and the
 * FRMPayload decrypted (the frame layer's parseDataUp).
 */
import type { EndDeviceIds } from '../../lib/messages';
import type { NsCore } from './context';
import { type Drop, errorDrop, frameDrop } from './drop';
import { duplicateUplink, unknownDevAddr } from './errors';
import { type DataFrame, type FrameError, type ParsedData, parseDataUp } from './lorawan';
import type { NsDevice, NsSession } from './ports';

export interface Authenticated {
  device: NsDevice;
  session: NsSession;
  parsed: ParsedData;
}

export async function identify(core: NsCore, frame: DataFrame): Promise<NsDevice[] | Drop> {
  const candidates = (await core.registry.findByDevAddr(frame.devAddr)).filter((d) => d.session);
  return candidates.length ? candidates : errorDrop(unknownDevAddr({ dev_addr: frame.devAddr }));
}

/**
 * DevAddrs are not unique (§6.1.1): the candidate whose NwkSKey signs the frame is the sender.
 * When none does, the most telling error wins: a replay or gap of a device whose counter ruled
 * the frame out before its MIC was checked, else the MIC mismatch.
 */
export function authenticate(frame: DataFrame, candidates: NsDevice[]): Authenticated | Drop {
  let error: { e: FrameError; ids: EndDeviceIds } | undefined;
  for (const device of candidates) {
    const session = device.session;
    if (!session) continue;
    const parsed = parseDataUp(frame, { ...session, lastFCnt: session.lastFCntUp });
    if (parsed.ok) return { device, session, parsed: parsed.value };
    if (!error || error.e.name === 'mic_mismatch') error = { e: parsed.error, ids: device.ids };
  }
  // identify() returns at least one candidate with a session, so `error` is set here.
  return error
    ? frameDrop(error.e, candidates.length === 1 ? error.ids : undefined)
    : errorDrop(unknownDevAddr({ dev_addr: frame.devAddr }));
}

/**
 * A confirmed frame again with the same FCnt, after the dedup window: the device did not hear the
 * ACK and retransmits (LoRaWAN 1.0.3 §18.4). It is acknowledged again, not published again.
 */
export const isRetransmission = (a: Authenticated): boolean => a.parsed.duplicate && a.parsed.confirmed;

/** The same FCnt again, after the dedup window, that is not a confirmed retransmission: dropped. */
export const checkDuplicate = (a: Authenticated): Drop | undefined =>
  a.parsed.duplicate && !isRetransmission(a)
    ? errorDrop(duplicateUplink({ f_cnt: a.parsed.fCnt }), a.device.ids)
    : undefined;
