/**
 * What the HTTP API shows of the gateway server (docs/behaviour.md §9.6): a registered gateway's
 * connection stats in TTS's `GatewayConnectionStats` shape (plus Mote's `connected`, `tx_acks`…),
 * its traffic ring, and the unregistered gateways heard. Route handlers stay a few lines over these.
 */
import { z } from 'zod';
import { parseWith } from '../../lib/validation';
import { gatewayNotConnected } from '../gs/errors';
import type { GatewayConnection, GatewayTrafficEvent } from '../gs/ports';
import type { MoteRuntime } from './runtime';

/** The registered gateway's connection: 404 `gateway_not_found`, or `gateway_not_connected` if never heard. */
export async function connectionOf(rt: MoteRuntime, gatewayId: string): Promise<GatewayConnection> {
  const { eui } = await rt.store.gateways.get(gatewayId);
  const { connection } = await rt.gs.view(eui);
  if (!connection) throw gatewayNotConnected({ gateway_id: gatewayId });
  return connection;
}

/** Semtech `stat` fields → TTS's metric names (TTS `pkg/ttnpb/udp` translation). */
const METRICS: Record<string, string> = {
  rxnb: 'rxin',
  rxok: 'rxok',
  rxfw: 'rxfw',
  ackr: 'ackr',
  dwnb: 'txin',
  txnb: 'txok',
};

/** The forwarder's `stat.time`: "2014-01-12 08:59:28 GMT" (PROTOCOL.TXT), or RFC 3339 from some. */
export function statTime(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?(?:GMT|UTC|Z)$/.exec(raw.trim());
  const ms = Date.parse(m ? `${m[1]}T${m[2]}Z` : raw);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function lastStatus(c: GatewayConnection) {
  const stat = c.lastStatus ?? {};
  const metrics: Record<string, number> = {};
  for (const [field, name] of Object.entries(METRICS)) {
    const v = stat[field];
    if (typeof v === 'number' && Number.isFinite(v)) metrics[name] = v;
  }
  const time = statTime(stat.time);
  return {
    ...(time ? { time } : {}),
    ...(c.location ? { antenna_locations: [{ ...c.location, source: 'SOURCE_GPS' }] } : {}),
    metrics,
  };
}

const count = (n: number) => (n > 0 ? String(n) : undefined);

/** Absent fields are left out, as in proto JSON; counters are uint64, so strings (§4.1). */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const connectionStatsView = (c: GatewayConnection) =>
  compact({
    connected_at: c.firstSeenAt,
    protocol: c.protocol,
    last_status_received_at: c.lastStatusAt,
    last_status: c.lastStatusAt ? lastStatus(c) : undefined,
    last_uplink_received_at: c.lastUplinkAt,
    uplink_count: count(c.uplinks),
    last_downlink_received_at: c.lastDownlinkAt,
    downlink_count: count(c.downlinks),
    // Mote's own: TTS has no equivalent for a UDP gateway's downlink path.
    connected: c.connected,
    last_seen_at: c.lastSeenAt,
    last_pull_received_at: c.lastPullAt,
    remote_address: c.remoteAddress,
    uplink_crc_failed_count: count(c.uplinksCrcFailed),
    tx_acks: c.txAcks,
  });

export const trafficEventView = (e: GatewayTrafficEvent) =>
  compact({
    seq: e.seq,
    time: e.time,
    kind: e.kind,
    m_type: e.mType,
    dev_addr: e.devAddr,
    dev_eui: e.devEui,
    device_ids: e.deviceIds && {
      application_ids: { application_id: e.deviceIds.application_id },
      device_id: e.deviceIds.device_id,
    },
    f_cnt: e.fCnt,
    rssi: e.rssi,
    snr: e.snr,
    frequency: e.frequency,
    data_rate: e.dataRate,
    size: e.size,
    window: e.window,
    result: e.result,
    dropped: e.dropped,
  });

export const unregisteredView = (c: GatewayConnection) =>
  compact({
    eui: c.eui,
    first_seen_at: c.firstSeenAt,
    last_seen_at: c.lastSeenAt,
    uplinks: c.uplinks,
    remote_address: c.remoteAddress,
  });

const trafficQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

/** `?after=<seq>`: the events newer than the last one the reader saw. */
export const trafficAfter = (req: Request) =>
  parseWith(trafficQuery, Object.fromEntries(new URL(req.url).searchParams), 'query').after;
