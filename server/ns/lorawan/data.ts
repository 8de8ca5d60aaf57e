/**
 * Data frames with their keys applied (LoRaWAN 1.0.3 §4.3.3, §4.4): building signs and
 * encrypts; parsing rebuilds the 32-bit FCnt, checks the MIC, decrypts and reads the MAC
 * commands. Uplinks and downlinks differ only in direction, which enters every block.
 */
import { cryptFrmPayload, dataMic, micMatches, type SessionKeys } from './crypto';
import { type DataFrame, encodeDataMessage, type FCtrl } from './dataFrame';
import { fail, ok, type Result } from './errors';
import { checkFCnt } from './fcnt';
import { type ParsedMacCommands, parseMacCommands } from './macCommands';
import { type Direction, dataMType, directionOf, isConfirmed, isDataMType } from './mhdr';
import { expectFrame, type Frame } from './phypayload';

export interface DataMessage {
  devAddr: string;
  /** The full 32-bit counter: the MIC and the encryption use all of it. */
  fCnt: number;
  confirmed?: boolean;
  fCtrl?: Partial<FCtrl>;
  /** MAC commands piggybacked in plain (macCommands.ts encodes them). */
  fOpts?: Uint8Array;
  /** 0 for MAC commands in FRMPayload; absent for a frame with no payload. */
  fPort?: number;
  /** Plaintext. */
  frmPayload?: Uint8Array;
}

/** §4.3.3: FPort 0 carries MAC commands, encrypted with the NwkSKey; every other port the AppSKey. */
const payloadKey = (keys: SessionKeys, fPort: number | undefined) =>
  fPort === 0 ? keys.nwkSKey : keys.appSKey;

function buildData(direction: Direction, m: DataMessage, keys: SessionKeys): Buffer {
  const plain = m.frmPayload ?? new Uint8Array(0);
  const msg = encodeDataMessage({
    ...m,
    mType: dataMType(direction, m.confirmed ?? false),
    frmPayload: cryptFrmPayload(payloadKey(keys, m.fPort), direction, m.devAddr, m.fCnt, plain),
  });
  return Buffer.concat([msg, dataMic(keys.nwkSKey, direction, m.devAddr, m.fCnt, msg)]);
}

export const buildDataUp = (m: DataMessage, keys: SessionKeys): Buffer => buildData('up', m, keys);
export const buildDataDown = (m: DataMessage, keys: SessionKeys): Buffer => buildData('down', m, keys);

export interface ReceiverSession extends SessionKeys {
  /** The last FCnt accepted in this direction, undefined before the first (fcnt.ts). */
  lastFCnt?: number;
  maxFCntGap?: number;
}

export interface ParsedData {
  devAddr: string;
  fCnt: number;
  /** Same FCnt as the last accepted: a repetition or retransmission, genuine by its MIC. */
  duplicate: boolean;
  /** Frames skipped since the last accepted one. */
  lost: number;
  confirmed: boolean;
  fCtrl: FCtrl;
  fOpts: Uint8Array;
  fPort?: number;
  /** Decrypted. With FPort 0 these are MAC commands, parsed into `macCommands` too. */
  frmPayload: Uint8Array;
  /** From FOpts, or from FRMPayload when FPort is 0. */
  macCommands: ParsedMacCommands;
}

function parseData(
  direction: Direction,
  input: Uint8Array | Frame,
  session: ReceiverSession,
): Result<ParsedData> {
  const isWanted = (f: Frame): f is DataFrame => isDataMType(f.mType) && directionOf(f.mType) === direction;
  const decoded = expectFrame(input, isWanted, `a data ${direction}link`);
  if (!decoded.ok) return decoded;
  const frame = decoded.value;
  const counter = checkFCnt(frame.fCnt16, session.lastFCnt, session.maxFCntGap);
  switch (counter.kind) {
    case 'replay':
      return fail('fcnt_replay', `FCnt ${frame.fCnt16} is behind ${session.lastFCnt}`);
    case 'gap_too_large':
      return fail('fcnt_gap_too_large', `FCnt ${frame.fCnt16} after ${session.lastFCnt}`);
    case 'exhausted':
      return fail('fcnt_exhausted', 'the 32-bit FCnt would roll over');
  }
  const { fCnt } = counter;
  if (!micMatches(dataMic(session.nwkSKey, direction, frame.devAddr, fCnt, frame.signed), frame.mic)) {
    return fail('mic_mismatch', `data frame MIC at FCnt ${fCnt}`);
  }
  const plain = cryptFrmPayload(
    payloadKey(session, frame.fPort),
    direction,
    frame.devAddr,
    fCnt,
    frame.frmPayload,
  );
  const parsed: ParsedData = {
    devAddr: frame.devAddr,
    fCnt,
    duplicate: counter.kind === 'duplicate',
    lost: counter.kind === 'new' ? counter.lost : 0,
    confirmed: isConfirmed(frame.mType),
    fCtrl: frame.fCtrl,
    fOpts: frame.fOpts,
    frmPayload: plain,
    macCommands: parseMacCommands(frame.fPort === 0 ? plain : frame.fOpts, direction),
  };
  if (frame.fPort !== undefined) parsed.fPort = frame.fPort;
  return ok(parsed);
}

/** Network side. */
export const parseDataUp = (input: Uint8Array | Frame, session: ReceiverSession) =>
  parseData('up', input, session);
/** Device side. */
export const parseDataDown = (input: Uint8Array | Frame, session: ReceiverSession) =>
  parseData('down', input, session);
