'use client';

import { EVENT_TYPES, type EventType } from '@/lib/live/event';
import { EMPTY_FILTER, isFiltering, type LiveFilter } from '@/lib/live/filter';
import { TYPE_STYLE } from './eventStyles';

interface FilterBarProps {
  filter: LiveFilter;
  onChange: (f: LiveFilter) => void;
  /** Device IDs to offer; omitted on a device's own page. */
  devices?: readonly string[];
}

const SHOWN_TYPES: readonly EventType[] = EVENT_TYPES.filter((t) => t !== 'service/data');

export function FilterBar({ filter, onChange, devices }: FilterBarProps) {
  const toggle = (t: EventType) =>
    onChange({
      ...filter,
      types: filter.types.includes(t) ? filter.types.filter((x) => x !== t) : [...filter.types, t],
    });
  return (
    <div
      className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2"
      data-testid="filter-bar"
    >
      <fieldset className="flex flex-wrap gap-1" aria-label="Event types">
        {SHOWN_TYPES.map((t) => {
          const on = filter.types.includes(t);
          return (
            <button
              key={t}
              type="button"
              aria-pressed={on}
              data-testid={`type-filter-${t}`}
              onClick={() => toggle(t)}
              className={`rounded px-1.5 py-0.5 font-mono text-[11px] ring-1 ring-inset ${
                on ? TYPE_STYLE[t] : 'bg-white text-slate-500 ring-slate-200 hover:text-slate-800'
              }`}
            >
              {t}
            </button>
          );
        })}
      </fieldset>
      {devices && (
        <select
          aria-label="Device"
          data-testid="device-filter"
          value={filter.device}
          onChange={(e) => onChange({ ...filter, device: e.target.value })}
          className="h-7 rounded border border-slate-300 bg-white px-1.5 text-xs"
        >
          <option value="">All devices</option>
          {devices.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      )}
      <input
        type="search"
        placeholder="Search payload, device, JSON…"
        aria-label="Search"
        data-testid="text-filter"
        value={filter.text}
        onChange={(e) => onChange({ ...filter, text: e.target.value })}
        className="h-7 w-56 rounded border border-slate-300 bg-white px-2 text-xs outline-none focus:border-indigo-400"
      />
      <input
        placeholder="Correlation ID or its start"
        aria-label="Correlation ID"
        data-testid="cid-filter"
        value={filter.correlationId}
        onChange={(e) => onChange({ ...filter, correlationId: e.target.value.trim() })}
        className={`h-7 w-64 rounded border px-2 font-mono text-xs outline-none focus:border-indigo-400 ${
          filter.correlationId ? 'border-indigo-400 bg-indigo-50' : 'border-slate-300 bg-white'
        }`}
      />
      {isFiltering(filter) && (
        <button
          type="button"
          data-testid="clear-filters"
          onClick={() => onChange(EMPTY_FILTER)}
          className="text-xs text-indigo-700 hover:underline"
        >
          Reset filters
        </button>
      )}
    </div>
  );
}
