/**
 * Over-the-air activation (LoRaWAN 1.0.3 §6.2): the JoinRequest a device sends, the JoinAccept
 * the network answers with, each signed (and the accept encrypted) with the device's AppKey.
 */
import { decryptJoinAccept, encryptJoinAccept, joinAcceptMic, joinRequestMic, micMatches } from './crypto';
import { fail, ok, type Result } from './errors';
import {
  decodeJoinAcceptMessage,
  encodeJoinAcceptMessage,
  encodeJoinRequestMessage,
  type JoinAcceptFields,
  type JoinAcceptFrame,
  type JoinRequestFields,
  type JoinRequestFrame,
} from './joinFrames';
import { MIC_BYTES } from './mhdr';
import { expectFrame } from './phypayload';

export type JoinRequest = JoinRequestFields;
export type JoinAccept = JoinAcceptFields;

export function buildJoinRequest(request: JoinRequest & { appKey: string }): Buffer {
  const msg = encodeJoinRequestMessage(request);
  return Buffer.concat([msg, joinRequestMic(request.appKey, msg)]);
}

/** Network side: the MIC proves the sender holds the AppKey of the device its EUIs name. */
export function parseJoinRequest(input: Uint8Array | JoinRequestFrame, appKey: string): Result<JoinRequest> {
  const frame = expectFrame(input, (f): f is JoinRequestFrame => f.mType === 'join_request', 'a JoinRequest');
  if (!frame.ok) return frame;
  const { joinEui, devEui, devNonce, signed, mic } = frame.value;
  if (!micMatches(joinRequestMic(appKey, signed), mic)) return fail('mic_mismatch', 'JoinRequest MIC');
  return ok({ joinEui, devEui, devNonce });
}

export function buildJoinAccept(accept: JoinAccept & { appKey: string }): Buffer {
  const msg = encodeJoinAcceptMessage(accept);
  const plain = Buffer.concat([msg.subarray(1), joinAcceptMic(accept.appKey, msg)]);
  return Buffer.concat([msg.subarray(0, 1), encryptJoinAccept(accept.appKey, plain)]);
}

/** Device side: decrypts with the AppKey, then checks the MIC over the plaintext (§6.2.5). */
export function parseJoinAccept(input: Uint8Array | JoinAcceptFrame, appKey: string): Result<JoinAccept> {
  const frame = expectFrame(input, (f): f is JoinAcceptFrame => f.mType === 'join_accept', 'a JoinAccept');
  if (!frame.ok) return frame;
  const plain = decryptJoinAccept(appKey, frame.value.encrypted);
  const micAt = plain.length - MIC_BYTES;
  const msg = Buffer.concat([Buffer.of(frame.value.mhdr), plain.subarray(0, micAt)]);
  if (!micMatches(joinAcceptMic(appKey, msg), plain.subarray(micAt))) {
    return fail('mic_mismatch', 'JoinAccept MIC');
  }
  return ok(decodeJoinAcceptMessage(msg));
}
