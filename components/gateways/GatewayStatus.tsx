'use client';

import type { GatewayConnectionStats } from '../apiTypes';
import { RelativeTime } from '../RelativeTime';
import { Card, Fact } from '../ui';
import { ConnectionBadge } from './ConnectionBadge';
import { useGatewayStats } from './useGatewayStats';

/** TTS's metric names for a Semtech `stat` (rxnb → rxin, dwnb → txin, txnb → txok). */
const METRICS: [string, string][] = [
  ['rxin', 'received'],
  ['rxok', 'CRC ok'],
  ['rxfw', 'forwarded'],
  ['ackr', 'upstream ack %'],
  ['txin', 'downlinks in'],
  ['txok', 'sent'],
];

function Counter({ count, at }: { count?: string; at?: string }) {
  return (
    <>
      <span className="tabular-nums">{count ?? '0'}</span>
      {at && (
        <span className="ml-1 text-xs text-slate-500">
          (last <RelativeTime iso={at} />)
        </span>
      )}
    </>
  );
}

function Facts({ s }: { s: GatewayConnectionStats }) {
  const location = s.last_status?.antenna_locations?.[0];
  const acks = Object.entries(s.tx_acks);
  return (
    <dl className="grid gap-x-8 gap-y-3 p-4 sm:grid-cols-4">
      <Fact label="Last seen" testId="gateway-last-seen">
        <RelativeTime iso={s.last_seen_at} />
      </Fact>
      <Fact label="Seen since">
        <RelativeTime iso={s.connected_at} />
      </Fact>
      <Fact label="Last PULL_DATA">
        <RelativeTime iso={s.last_pull_received_at} empty="never" />
      </Fact>
      <Fact label="Address">
        <span className="font-mono">{s.remote_address ?? '—'}</span>
      </Fact>
      <Fact label="Uplinks" testId="gateway-uplinks">
        <Counter count={s.uplink_count} at={s.last_uplink_received_at} />
        {s.uplink_crc_failed_count && (
          <span className="ml-1 text-xs text-amber-700">{s.uplink_crc_failed_count} CRC failed</span>
        )}
      </Fact>
      <Fact label="Downlinks">
        <Counter count={s.downlink_count} at={s.last_downlink_received_at} />
      </Fact>
      <Fact label="TX_ACK results">
        {acks.length === 0 ? (
          <span className="text-slate-500">—</span>
        ) : (
          <span className="font-mono text-xs">{acks.map(([k, n]) => `${k} ${n}`).join(' · ')}</span>
        )}
      </Fact>
      <Fact label="Reported location">
        <span className="font-mono">
          {location
            ? `${location.latitude}, ${location.longitude}${location.altitude === undefined ? '' : ` · ${location.altitude} m`}`
            : '—'}
        </span>
      </Fact>
      <div className="sm:col-span-4">
        <Fact label="Last status" testId="gateway-last-status">
          {s.last_status ? (
            <span className="flex flex-wrap gap-x-4 gap-y-1">
              <RelativeTime iso={s.last_status_received_at} />
              {METRICS.filter(([k]) => s.last_status?.metrics[k] !== undefined).map(([k, label]) => (
                <span key={k} className="text-slate-600">
                  {label} <span className="font-mono text-slate-900">{s.last_status?.metrics[k]}</span>
                </span>
              ))}
            </span>
          ) : (
            <span className="text-slate-500">no stat received yet</span>
          )}
        </Fact>
      </div>
    </dl>
  );
}

/** The gateway server's view of one registered gateway, refreshed every 2 s. */
export function GatewayStatus({ gatewayId }: { gatewayId: string }) {
  const { data, error } = useGatewayStats(gatewayId, 2000);
  return (
    <Card
      title="Status"
      testId="gateway-status"
      actions={<ConnectionBadge stats={error ? undefined : data} />}
    >
      {data ? (
        <Facts s={data} />
      ) : (
        <p className="p-4 text-sm text-slate-500">
          {data === null
            ? 'Not heard since Mote started. Point the packet forwarder at this server’s UDP port (Semtech UDP, 1700 by default).'
            : error
              ? `Status unavailable: ${error.message}`
              : 'Loading…'}
        </p>
      )}
    </Card>
  );
}
