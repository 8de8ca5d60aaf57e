'use client';

import { useEffect, useState } from 'react';
import type { LiveRow } from '@/lib/live/event';

const W = 480;
const H = 120;
const BUCKETS = 30;
const BUCKET_MS = 60_000;

/** Uplinks per minute over the last half hour. */
export function RateChart({ rows }: { rows: readonly LiveRow[] }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);
  const counts = new Array<number>(BUCKETS).fill(0);
  const start = now - BUCKETS * BUCKET_MS;
  for (const r of rows) {
    if (r.kind !== 'message' || r.type !== 'up' || r.time < start) continue;
    const i = Math.min(BUCKETS - 1, Math.floor((r.time - start) / BUCKET_MS));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const max = Math.max(1, ...counts);
  const bw = (W - 40) / BUCKETS;
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="h-32 w-full"
      role="img"
      aria-label="Uplinks per minute"
      data-testid="rate-chart"
    >
      <line x1={30} x2={W - 10} y1={H - 16} y2={H - 16} className="stroke-slate-200" />
      {counts.map((c, i) => {
        const h = (c / max) * (H - 30);
        return (
          <rect
            key={i}
            x={30 + i * bw + 1}
            y={H - 16 - h}
            width={bw - 2}
            height={h}
            rx={1.5}
            className="fill-indigo-400"
          >
            <title>{`${c} uplink(s), ${BUCKETS - i} min ago`}</title>
          </rect>
        );
      })}
      <text x={2} y={14} className="fill-slate-500 text-[9px]">
        {max}/min
      </text>
      <text x={30} y={H - 3} className="fill-slate-500 text-[9px]">
        −30 min
      </text>
      <text x={W - 30} y={H - 3} className="fill-slate-500 text-[9px]">
        now
      </text>
    </svg>
  );
}
