'use client';

import Link from 'next/link';
import type { GatewayTrafficEvent } from '../apiTypes';
import { Card, ErrorText, Td, Th } from '../ui';
import { useGatewayTraffic } from './useGatewayTraffic';

const clock = (iso: string) => {
  const d = new Date(iso);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

const KIND: Record<GatewayTrafficEvent['kind'], string> = {
  up: 'uplink',
  down: 'downlink',
  tx_ack: 'TX_ACK',
  status: 'status',
};

/** The device the uplink resolved to (its page), or why it went no further. */
function Outcome({ e }: { e: GatewayTrafficEvent }) {
  if (e.dropped) return <span className="font-mono text-xs text-red-700">dropped: {e.dropped}</span>;
  if (e.device_ids) {
    const app = e.device_ids.application_ids.application_id;
    const dev = e.device_ids.device_id;
    return (
      <Link
        href={`/applications/${encodeURIComponent(app)}/devices/${encodeURIComponent(dev)}`}
        className="font-mono text-xs text-indigo-700 hover:underline"
      >
        {app}/{dev}
      </Link>
    );
  }
  if (e.kind === 'down') return <span className="text-xs text-slate-600">{e.window?.toUpperCase()}</span>;
  if (e.kind === 'tx_ack')
    return (
      <span className={`font-mono text-xs ${e.result === 'NONE' ? 'text-emerald-700' : 'text-amber-700'}`}>
        {e.result}
        {e.window ? ` (${e.window.toUpperCase()})` : ''}
      </span>
    );
  return null;
}

const mhz = (hz?: number) => (hz === undefined ? '' : (hz / 1e6).toFixed(1));

/** What went through the gateway, newest first, polled every second. */
export function GatewayTraffic({ gatewayId }: { gatewayId: string }) {
  const { events, error } = useGatewayTraffic(gatewayId);
  return (
    <Card title="Live traffic" testId="gateway-traffic">
      {error && (
        <div className="p-3">
          <ErrorText error={error} testId="gateway-traffic-error" />
        </div>
      )}
      {/* Focusable: on a phone the table scrolls sideways, and the keyboard must reach it too. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region without focusable content needs a tab stop (WCAG 2.1.1) */}
      <section className="overflow-x-auto" tabIndex={0} aria-label="Live traffic">
        <table className="w-full text-sm">
          <thead className="border-b border-slate-200 bg-slate-50">
            <tr>
              <Th>Time</Th>
              <Th>Kind</Th>
              <Th>Frame</Th>
              <Th>DevAddr / DevEUI</Th>
              <Th>Device or result</Th>
              <Th>RSSI / SNR</Th>
              <Th>MHz</Th>
              <Th>Data rate</Th>
              <Th>Bytes</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {[...events].reverse().map((e) => (
              <tr key={e.seq} data-testid="traffic-row" data-kind={e.kind}>
                <Td className="font-mono text-xs whitespace-nowrap text-slate-500">{clock(e.time)}</Td>
                <Td className="text-xs text-slate-700">{KIND[e.kind]}</Td>
                <Td className="font-mono text-xs whitespace-nowrap text-slate-600">
                  {e.m_type ?? ''}
                  {e.f_cnt !== undefined ? ` #${e.f_cnt}` : ''}
                </Td>
                <Td className="font-mono text-xs text-slate-800">{e.dev_addr ?? e.dev_eui ?? ''}</Td>
                <Td className="whitespace-nowrap">
                  <Outcome e={e} />
                </Td>
                <Td className="font-mono text-xs whitespace-nowrap text-slate-600">
                  {e.rssi !== undefined ? `${e.rssi} / ${e.snr ?? '—'}` : ''}
                </Td>
                <Td className="font-mono text-xs text-slate-600">{mhz(e.frequency)}</Td>
                <Td className="font-mono text-xs text-slate-600">{e.data_rate ?? ''}</Td>
                <Td className="font-mono text-xs text-slate-600">{e.size ?? ''}</Td>
              </tr>
            ))}
            {events.length === 0 && (
              <tr>
                <Td colSpan={9} className="py-6 text-center text-slate-500">
                  Waiting for traffic…
                </Td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </Card>
  );
}
