'use client';

import { useEffect, useState } from 'react';
import { useReachable } from '@/lib/console/reachability';

function relative(ms: number, now: number): string {
  const s = Math.round((now - ms) / 1000);
  const future = s < 0;
  const a = Math.abs(s);
  // Past times count whole units gone by; future ones round, so a key made to expire in 7 days
  // says "in 7 d" rather than "in 6 d" a second later.
  const whole = future ? Math.round : Math.floor;
  const text =
    a < 5
      ? 'just now'
      : a < 60
        ? `${a} s`
        : a < 3600
          ? `${whole(a / 60)} min`
          : a < 86400
            ? `${whole(a / 3600)} h`
            : `${whole(a / 86400)} d`;
  if (text === 'just now') return text;
  return future ? `in ${text}` : `${text} ago`;
}

/**
 * "3 min ago", ticking; the absolute time is in the tooltip. Renders "—" for no time. While
 * Mote cannot be reached it shows the time itself: "5 min ago" would go on growing from data
 * that can no longer change, as if the device had gone quiet.
 */
export function RelativeTime({ iso, empty = '—' }: { iso?: string; empty?: string }) {
  const reachable = useReachable();
  const [now, setNow] = useState<number>();
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(t);
  }, []);
  if (!iso) return <span className="text-slate-500">{empty}</span>;
  const ms = Date.parse(iso);
  if (!reachable)
    return (
      <time dateTime={iso} data-frozen="">
        {new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}
      </time>
    );
  return (
    <time dateTime={iso} title={new Date(ms).toLocaleString()} suppressHydrationWarning>
      {now === undefined ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : relative(ms, now)}
    </time>
  );
}
