/**
 * The Semtech UDP datagrams (packet_forwarder PROTOCOL.TXT, protocol version 2): a 4-byte header
 * `[version][token:2][id]`, then the gateway EUI on upstream packets, then JSON. Decoding never
 * throws: a datagram that is not one of ours is a `malformed` result with the reason. Both
 * directions live here: the server decodes upstream and encodes downstream; the simulator's
 * virtual gateway (server/sim/udpGateway.ts), a client, does the reverse with the same layout.
 */

export const PROTOCOL_VERSION = 2;

export const PacketId = {
  PUSH_DATA: 0x00,
  PUSH_ACK: 0x01,
  PULL_DATA: 0x02,
  PULL_RESP: 0x03,
  PULL_ACK: 0x04,
  TX_ACK: 0x05,
} as const;

const HEADER = 4;
const EUI = 8;
/** PROTOCOL.TXT §3.2 puts the JSON of a PUSH_DATA at byte 12. */
const BODY = HEADER + EUI;

export type UpstreamPacket =
  | { kind: 'push_data'; token: number; eui: string; body: PushDataBody }
  | { kind: 'pull_data'; token: number; eui: string }
  | { kind: 'tx_ack'; token: number; eui: string; error: string };

/** Fields stay `unknown` here: rxpk.ts checks each rxpk on its own, so one bad rxpk drops alone. */
export interface PushDataBody {
  rxpk: unknown[];
  stat?: Record<string, unknown>;
}

export type DownstreamPacket =
  | { kind: 'push_ack'; token: number }
  | { kind: 'pull_ack'; token: number }
  | { kind: 'pull_resp'; token: number; txpk: Record<string, unknown> };

export type Result<P> = { ok: true; packet: P } | { ok: false; reason: string };
export type Decoded = Result<UpstreamPacket>;

const malformed = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

export function decodeUpstream(buf: Uint8Array): Decoded {
  if (buf.length < HEADER) return malformed('short_header');
  if (buf[0] !== PROTOCOL_VERSION) return malformed('bad_version');
  const token = (buf[1]! << 8) | buf[2]!;
  const id = buf[3]!;
  if (id !== PacketId.PUSH_DATA && id !== PacketId.PULL_DATA && id !== PacketId.TX_ACK) {
    return malformed('unknown_id');
  }
  if (buf.length < BODY) return malformed('short_header');
  const eui = Buffer.from(buf.subarray(HEADER, BODY)).toString('hex').toUpperCase();
  if (id === PacketId.PULL_DATA) return { ok: true, packet: { kind: 'pull_data', token, eui } };
  const json = parseJson(buf.subarray(BODY));
  if (id === PacketId.TX_ACK) {
    // PROTOCOL.TXT §6: the JSON is optional; no error field means the packet was scheduled.
    if (json === undefined) return { ok: true, packet: { kind: 'tx_ack', token, eui, error: 'NONE' } };
    if (json === null) return malformed('bad_json');
    const ack = json.txpk_ack;
    const error = isRecord(ack) && typeof ack.error === 'string' ? ack.error : 'NONE';
    return { ok: true, packet: { kind: 'tx_ack', token, eui, error } };
  }
  if (!json) return malformed('bad_json');
  const { rxpk, stat } = json;
  if (rxpk !== undefined && !Array.isArray(rxpk)) return malformed('bad_rxpk');
  if (stat !== undefined && !isRecord(stat)) return malformed('bad_stat');
  const body: PushDataBody = { rxpk: rxpk ?? [], ...(stat ? { stat } : {}) };
  return { ok: true, packet: { kind: 'push_data', token, eui, body } };
}

/**
 * undefined for an empty body, null for one that is not a JSON object. Some forwarders end the
 * JSON of a TX_ACK with a NUL byte (lora_pkt_fwd 4.0), which is not part of the object.
 */
function parseJson(bytes: Uint8Array): Record<string, unknown> | null | undefined {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end === 0) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes.subarray(0, end)).toString('utf8'));
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function header(token: number, id: number): Buffer {
  return Buffer.from([PROTOCOL_VERSION, (token >> 8) & 0xff, token & 0xff, id]);
}

/** PUSH_ACK and PULL_ACK: the header alone, token echoed (PROTOCOL.TXT §3.3, §5.3). */
export const encodeAck = (id: typeof PacketId.PUSH_ACK | typeof PacketId.PULL_ACK, token: number): Buffer =>
  header(token, id);

/** PULL_RESP (§5.4): no EUI, the JSON right after the header. */
export const encodePullResp = (token: number, txpk: object): Buffer =>
  Buffer.concat([header(token, PacketId.PULL_RESP), Buffer.from(JSON.stringify({ txpk }), 'utf8')]);

/** PUSH_DATA (§3.2), PULL_DATA (§5.2), TX_ACK (§6): what a packet forwarder sends. */
export function encodeUpstream(packet: UpstreamPacket): Buffer {
  const id = { push_data: PacketId.PUSH_DATA, pull_data: PacketId.PULL_DATA, tx_ack: PacketId.TX_ACK }[
    packet.kind
  ];
  const head = Buffer.concat([header(packet.token, id), Buffer.from(packet.eui, 'hex')]);
  if (packet.kind === 'pull_data') return head;
  const json = packet.kind === 'push_data' ? packet.body : { txpk_ack: { error: packet.error } };
  return Buffer.concat([head, Buffer.from(JSON.stringify(json), 'utf8')]);
}

/** PUSH_ACK, PULL_ACK and PULL_RESP: what a packet forwarder receives. */
export function decodeDownstream(buf: Uint8Array): Result<DownstreamPacket> {
  if (buf.length < HEADER) return malformed('short_header');
  if (buf[0] !== PROTOCOL_VERSION) return malformed('bad_version');
  const token = (buf[1]! << 8) | buf[2]!;
  switch (buf[3]) {
    case PacketId.PUSH_ACK:
      return { ok: true, packet: { kind: 'push_ack', token } };
    case PacketId.PULL_ACK:
      return { ok: true, packet: { kind: 'pull_ack', token } };
    case PacketId.PULL_RESP: {
      const txpk = parseJson(buf.subarray(HEADER))?.txpk;
      return isRecord(txpk)
        ? { ok: true, packet: { kind: 'pull_resp', token, txpk } }
        : malformed('bad_txpk');
    }
    default:
      return malformed('unknown_id');
  }
}
