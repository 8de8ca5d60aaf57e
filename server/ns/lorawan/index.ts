/**
 * The LoRaWAN 1.0.x frame layer that the network server and the simulated devices share: pure
 * functions, no I/O, no clock.
 *
 * Conventions:
 * - Keys (AppKey, NwkSKey, AppSKey) and identifiers (JoinEUI, DevEUI, DevAddr, NetID) are
 *   upper-case hex strings, identifiers most significant byte first as Mote stores and publishes
 *   them (the wire order, little-endian, is this layer's business). Lower case is accepted.
 * - Payloads, FOpts and frames are bytes (`Uint8Array`; results are `Buffer`s).
 * - Counters and nonces are numbers; FCnt is always the full 32-bit value.
 * - Untrusted bytes give a `Result`: a value, or an error with a stable `name`
 *   (`FrameErrorName`). Builders are given our own data and throw `RangeError` on a bad argument.
 *
 * Network side: `decodePhyPayload` (to find the device), then `parseJoinRequest` /
 * `buildJoinAccept` + `deriveSessionKeys`, or `parseDataUp` / `buildDataDown`.
 * Device side: `buildJoinRequest`, `parseJoinAccept` + `deriveSessionKeys`, `buildDataUp`,
 * `parseDataDown`.
 */
export type { KeyDerivationInput, SessionKeys } from './crypto';
export { deriveSessionKeys } from './crypto';
export type { DataMessage, ParsedData, ReceiverSession } from './data';
export { buildDataDown, buildDataUp, parseDataDown, parseDataUp } from './data';
export type { DataFrame, FCtrl } from './dataFrame';
export type { FrameError, FrameErrorName, Result } from './errors';
export type { FCntCheck } from './fcnt';
export { checkFCnt, MAX_FCNT_GAP } from './fcnt';
export { deviceTimeAt, gpsMsFromUnixMs } from './gpsTime';
export type { JoinAccept, JoinRequest } from './join';
export { buildJoinAccept, buildJoinRequest, parseJoinAccept, parseJoinRequest } from './join';
export type { JoinAcceptFrame, JoinRequestFrame } from './joinFrames';
export type { MacCommand, MacCommandsStop, ParsedMacCommands } from './macCommands';
export { encodeMacCommands, parseMacCommands } from './macCommands';
export type { DataMType, Direction, MType } from './mhdr';
export { MAX_PHY_PAYLOAD } from './mhdr';
export type { Frame } from './phypayload';
export { decodePhyPayload } from './phypayload';
