'use client';

import type { GatewayConnectionStats } from '../apiTypes';

/**
 * Online: the gateway can take downlinks now (a PULL_DATA within three keepalives). Seen: heard
 * since the start, without a recent PULL_DATA. Never seen: not heard since the start.
 */
export function ConnectionBadge({ stats }: { stats: GatewayConnectionStats | null | undefined }) {
  const [label, tone] =
    stats === undefined
      ? ['…', 'bg-slate-100 text-slate-500']
      : stats === null
        ? ['never seen', 'bg-slate-100 text-slate-500']
        : stats.connected
          ? ['online', 'bg-emerald-50 text-emerald-700 ring-emerald-200']
          : ['offline', 'bg-amber-50 text-amber-800 ring-amber-200'];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-transparent ${tone}`}
      data-testid="gateway-connection"
    >
      <span
        aria-hidden
        className={`size-1.5 rounded-full ${stats?.connected ? 'bg-emerald-500' : 'bg-slate-400'}`}
      />
      {label}
    </span>
  );
}
