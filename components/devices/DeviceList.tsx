'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useDebounced } from '../live/useDebounced';
import { RelativeTime } from '../RelativeTime';
import { inputClass, Td, Th } from '../ui';
import { BulkActions } from './BulkActions';
import { DevicePager } from './DevicePager';
import {
  DEFAULT_QUERY,
  type DeviceQuery,
  type Liveness,
  livenessOf,
  pageCount,
  type SortKey,
} from './deviceQuery';
import { useLastUplinks } from './lastUplinks';
import { type DevicePage, useDevicePage } from './useDevicePage';

const DOT: Record<Liveness, { className: string; label: string }> = {
  recent: { className: 'bg-emerald-500', label: 'seen in the last 15 minutes' },
  today: { className: 'bg-amber-400', label: 'seen in the last day' },
  stale: { className: 'bg-slate-400', label: 'not seen for over a day' },
  never: { className: 'border border-slate-400 bg-transparent', label: 'never seen' },
};

function useNow() {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** As the live view's correlation filter: one query per pause in typing, not one per key. */
const SEARCH_DEBOUNCE_MS = 300;

/**
 * The Devices tab (TTS console's end device list, ChirpStack's device table): search, sortable
 * columns, pages of 50, a status dot, the newest payload and signal, and bulk actions on the
 * ticked rows. Search, sort and pages are the server's: the browser holds one page.
 */
export function DeviceList({ app, initial }: { app: string; initial: DevicePage }) {
  const [q, setQ] = useState<DeviceQuery>(DEFAULT_QUERY);
  // The box shows each key at once; the server is asked once per pause in typing.
  const [typed, setTyped] = useState('');
  const search = useDebounced(typed, SEARCH_DEBOUNCE_MS);
  useEffect(() => setQ((was) => (was.search === search ? was : { ...was, search, page: 0 })), [search]);
  const { data = initial } = useDevicePage(app, q, DEFAULT_QUERY, initial);
  const rows = data.devices;
  const pages = pageCount(data.total, q.pageSize);
  const now = useNow();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Devices deleted elsewhere can leave the last page empty: step back to the new last one.
  useEffect(() => {
    if (q.page > pages - 1) setQ((was) => ({ ...was, page: pages - 1 }));
  }, [q.page, pages]);
  // Ticks may span pages and searches; a device deleted elsewhere fails by name in the outcome.
  // In ID order, whichever order the page is sorted in, so a confirmation reads predictably.
  const ticked = [...selected].sort();
  const pageIds = rows.map((d) => d.ids.device_id);
  const last = useLastUplinks(app, pageIds).data;
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));

  const sortBy = (sort: SortKey) =>
    setQ({ ...q, sort, descending: q.sort === sort ? !q.descending : sort === 'last_seen_at', page: 0 });
  const toggle = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) on ? next.add(id) : next.delete(id);
    setSelected(next);
  };
  const header = (sort: SortKey, label: string) => (
    <th
      className="px-4 py-2 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase"
      aria-sort={q.sort === sort ? (q.descending ? 'descending' : 'ascending') : undefined}
    >
      <button
        type="button"
        className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
        onClick={() => sortBy(sort)}
        data-testid={`sort-${sort}`}
      >
        {label}
        <span aria-hidden>{q.sort === sort ? (q.descending ? '▼' : '▲') : ''}</span>
      </button>
    </th>
  );

  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-3 py-2">
        <input
          type="search"
          aria-label="Search devices"
          placeholder="Search by ID, name, EUI or DevAddr"
          className={`${inputClass} max-w-xs`}
          data-testid="device-search"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <BulkActions app={app} selected={ticked} onDone={(left) => setSelected(new Set(left))} />
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="device-table">
          <thead className="border-b border-slate-200 bg-slate-50">
            <tr>
              <Th className="w-8">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  data-testid="select-page"
                  checked={allOnPage}
                  onChange={(e) => toggle(pageIds, e.target.checked)}
                />
              </Th>
              {header('device_id', 'Device')}
              {header('name', 'Name')}
              {header('dev_eui', 'DevEUI')}
              {header('last_seen_at', 'Last seen')}
              <Th>Last payload</Th>
              <Th>Signal</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((d) => {
              const id = d.ids.device_id;
              const dot = DOT[livenessOf(d.last_seen_at, now)];
              const up = last?.get(id);
              return (
                <tr key={id} className="hover:bg-slate-50" data-testid="device-row">
                  <Td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${id}`}
                      data-testid="select-device"
                      checked={selected.has(id)}
                      onChange={(e) => toggle([id], e.target.checked)}
                    />
                  </Td>
                  <Td>
                    <span className="inline-flex items-center gap-2">
                      <span
                        className={`inline-block size-2 shrink-0 rounded-full ${dot.className}`}
                        title={dot.label}
                        role="img"
                        aria-label={dot.label}
                        data-testid="status-dot"
                      />
                      <Link
                        href={`/applications/${app}/devices/${id}`}
                        className="font-mono font-medium text-indigo-700 hover:underline"
                        data-testid="device-link"
                      >
                        {id}
                      </Link>
                    </span>
                  </Td>
                  <Td className="max-w-[14rem] truncate text-slate-700">
                    <span data-testid="device-name">{d.name}</span>
                  </Td>
                  <Td className="font-mono text-xs text-slate-600">{d.ids.dev_eui}</Td>
                  <Td className="text-slate-500">
                    <RelativeTime iso={d.last_seen_at} empty="never" />
                  </Td>
                  <Td className="max-w-[12rem] truncate font-mono text-xs text-slate-600">
                    <span data-testid="last-payload">
                      {up ? `${up.fPort ?? '–'}: ${up.payloadHex || '(empty)'}` : ''}
                    </span>
                  </Td>
                  <Td className="text-xs whitespace-nowrap text-slate-600">
                    <span data-testid="last-signal">
                      {up?.rssi !== undefined ? `${up.rssi} dBm / ${up.snr ?? '–'} dB` : ''}
                    </span>
                  </Td>
                </tr>
              );
            })}
            {data.total === 0 && (
              <tr>
                <Td colSpan={7} className="py-6 text-center text-slate-500">
                  {q.search.trim() === '' ? 'No devices yet.' : 'No device matches.'}
                </Td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <DevicePager
        page={q.page}
        pageSize={q.pageSize}
        shown={rows.length}
        total={data.total}
        onPage={(page) => setQ({ ...q, page })}
      />
    </div>
  );
}
