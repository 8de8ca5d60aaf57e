'use client';

import { useMemo, useState } from 'react';
import type { LiveRow } from '@/lib/live/event';
import { EMPTY_FILTER, type LiveFilter } from '@/lib/live/filter';
import { useLiveStream } from '@/lib/live/useLiveStream';
import { LiveTable } from '../live/LiveView';
import { Card } from '../ui';
import { DecodedChart } from './DecodedChart';
import { DownlinkForm } from './DownlinkForm';
import { QueuePanel } from './QueuePanel';
import { RateChart } from './RateChart';
import { SignalChart } from './SignalChart';
import { SimulatorPanel } from './SimulatorPanel';
import { UplinkForm } from './UplinkForm';

type Tab = 'downlink' | 'uplink' | 'simulator';
const TABS: { id: Tab; label: string }[] = [
  { id: 'downlink', label: 'Downlink' },
  { id: 'uplink', label: 'Simulate uplink' },
  { id: 'simulator', label: 'Simulator' },
];

function lastDownlinkKey(rows: readonly LiveRow[]): string | undefined {
  return rows.findLast((r) => r.kind === 'message' && r.type.startsWith('down/'))?.key;
}

/** The device page's interactive part: one live stream feeds the timeline and the charts. */
export function DeviceWorkbench({ app, dev }: { app: string; dev: string }) {
  const stream = useLiveStream({ applicationId: app, deviceId: dev });
  const [filter, setFilter] = useState<LiveFilter>(EMPTY_FILTER);
  const [tab, setTab] = useState<Tab>('downlink');
  const rows = stream.snapshot.rows;
  const lastDownlink = useMemo(() => lastDownlinkKey(rows), [rows]);
  return (
    <div className="flex flex-col gap-5">
      <div className="grid gap-5 lg:grid-cols-2 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_26rem]">
        <Card title="Signal">
          <SignalChart rows={rows} />
        </Card>
        <Card title="Uplinks per minute">
          <RateChart rows={rows} />
        </Card>
        <Card className="lg:col-span-2 xl:col-span-1 xl:row-span-2">
          <div className="flex border-b border-slate-200 px-2" role="tablist">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                data-testid={`device-tab-${t.id}`}
                onClick={() => setTab(t.id)}
                className={`-mb-px border-b-2 px-3 py-2 text-sm ${tab === t.id ? 'border-indigo-600 font-medium text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
              >
                {t.label}
              </button>
            ))}
          </div>
          {/* All stay mounted, so switching tabs keeps what was typed. */}
          <div hidden={tab !== 'downlink'} role="tabpanel">
            <DownlinkForm
              app={app}
              dev={dev}
              rows={rows}
              onQueued={(ids) => ids[0] && setFilter({ ...EMPTY_FILTER, correlationId: ids[0] })}
            />
          </div>
          <div hidden={tab !== 'uplink'} role="tabpanel">
            <UplinkForm app={app} dev={dev} />
          </div>
          <div hidden={tab !== 'simulator'} role="tabpanel">
            <SimulatorPanel app={app} dev={dev} />
          </div>
        </Card>
        <Card title="Decoded payload" className="lg:col-span-2" testId="decoded-card">
          <DecodedChart rows={rows} />
        </Card>
        <QueuePanel app={app} dev={dev} lastDownlinkEvent={lastDownlink} className="lg:col-span-2" />
      </div>
      <LiveTable
        applicationId={app}
        deviceId={dev}
        stream={stream}
        filter={filter}
        onFilter={setFilter}
        title="Timeline"
        scrollBack
        className="h-[36rem]"
      />
    </div>
  );
}
