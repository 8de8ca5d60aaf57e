/**
 * Why the server says no, and how each protocol version spells it: MQTT 3.1.1 has six CONNACK
 * return codes and one SUBACK failure (0x80); MQTT 5 has a reason code for each case (§2.4).
 */

export type Refusal =
  | 'protocol'
  | 'identifier'
  | 'unavailable'
  | 'busy'
  | 'rateLimited'
  | 'notAuthorized'
  | 'authMethod';

const CONNACK_V4: Record<Refusal, number> = {
  protocol: 0x01,
  identifier: 0x02,
  unavailable: 0x03,
  busy: 0x03,
  rateLimited: 0x03,
  notAuthorized: 0x05,
  authMethod: 0x05,
};

const CONNACK_V5: Record<Refusal, number> = {
  protocol: 0x84,
  identifier: 0x85,
  unavailable: 0x88,
  busy: 0x89,
  rateLimited: 0x9f,
  notAuthorized: 0x87,
  authMethod: 0x8c,
};

export const connackCode = (refusal: Refusal, v5: boolean) => (v5 ? CONNACK_V5 : CONNACK_V4)[refusal];

export type SubscribeFailure = 'notAuthorized' | 'invalidFilter' | 'quota' | 'shared';

const SUBACK_V5: Record<SubscribeFailure, number> = {
  notAuthorized: 0x87,
  invalidFilter: 0x8f,
  quota: 0x97,
  shared: 0x9e,
};

/** MQTT 3.1.1 has one failure code, 0x80 [MQTT-3.9.3]. */
export const subackFailure = (failure: SubscribeFailure, v5: boolean) => (v5 ? SUBACK_V5[failure] : 0x80);

/** MQTT 5 PUBACK/PUBREC/PUBCOMP/UNSUBACK reason codes this server uses. */
export const Reason = {
  success: 0x00,
  noSubscriptionExisted: 0x11,
  unspecifiedError: 0x80,
  notAuthorized: 0x87,
  topicNameInvalid: 0x90,
  packetIdentifierNotFound: 0x92,
} as const;

/** MQTT 5 DISCONNECT reason codes, sent before the server closes a v5 session. */
export const DisconnectReason = {
  malformedPacket: 0x81,
  protocolError: 0x82,
  notAuthorized: 0x87,
  serverShuttingDown: 0x8b,
  keepAliveTimeout: 0x8d,
  sessionTakenOver: 0x8e,
  packetTooLarge: 0x95,
  quotaExceeded: 0x97,
  topicNameInvalid: 0x90,
  topicAliasInvalid: 0x94,
} as const;

export type DisconnectCode = (typeof DisconnectReason)[keyof typeof DisconnectReason];
