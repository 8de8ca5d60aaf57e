import type { ConnectionStatus } from '@/lib/live/connection';

const STYLE: Record<ConnectionStatus, { dot: string; text: string; label: string }> = {
  connecting: { dot: 'bg-slate-400 animate-pulse', text: 'text-slate-600', label: 'Connecting' },
  connected: { dot: 'bg-emerald-500', text: 'text-emerald-700', label: 'Live' },
  reconnecting: { dot: 'bg-amber-500 animate-pulse', text: 'text-amber-700', label: 'Reconnecting' },
  offline: { dot: 'bg-red-500', text: 'text-red-700', label: 'Offline' },
};

/** "Live" would be wrong while the table is paused: the connection is up, the view is not. */
export function ConnectionBadge({ status, paused = false }: { status: ConnectionStatus; paused?: boolean }) {
  const s = STYLE[status];
  const held = paused && status === 'connected';
  return (
    <span
      data-testid="connection-badge"
      data-status={status}
      title={held ? 'Connected; new events are held until you resume' : undefined}
      className={`inline-flex items-center gap-1.5 rounded-full border border-slate-200 bg-white px-2 py-0.5 text-xs font-medium ${s.text}`}
    >
      <span className={`size-2 rounded-full ${s.dot}`} />
      {held ? 'Connected · paused' : s.label}
    </span>
  );
}
