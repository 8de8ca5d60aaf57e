import type { LiveRow } from '@/lib/live/event';
import { signalOf } from '@/lib/live/preview';

const W = 480;
const H = 120;
const PAD = { l: 34, r: 34, t: 8, b: 16 };

function scale(v: number, min: number, max: number, from: number, to: number) {
  return max === min ? (from + to) / 2 : from + ((v - min) / (max - min)) * (to - from);
}

function line(points: { x: number; y: number }[]) {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
}

/** RSSI (left axis, dBm) and SNR (right axis, dB) of the last uplinks, best gateway each. */
export function SignalChart({ rows, last = 100 }: { rows: readonly LiveRow[]; last?: number }) {
  const pts = rows.flatMap((r) => (r.kind === 'message' ? (signalOf(r) ?? []) : [])).slice(-last);
  const rssi = pts.map((p) => p.rssi).filter((v): v is number => v !== undefined);
  const snr = pts.map((p) => p.snr).filter((v): v is number => v !== undefined);
  if (pts.length < 2)
    return <p className="p-4 text-xs text-slate-500">Signal chart appears after two uplinks.</p>;
  const [rMin, rMax] = [Math.min(...rssi) - 2, Math.max(...rssi) + 2];
  const [sMin, sMax] = [Math.min(...snr) - 1, Math.max(...snr) + 1];
  const x = (i: number) => scale(i, 0, pts.length - 1, PAD.l, W - PAD.r);
  const yR = (v: number) => scale(v, rMin, rMax, H - PAD.b, PAD.t);
  const yS = (v: number) => scale(v, sMin, sMax, H - PAD.b, PAD.t);
  const rLine = line(pts.flatMap((p, i) => (p.rssi === undefined ? [] : [{ x: x(i), y: yR(p.rssi) }])));
  const sLine = line(pts.flatMap((p, i) => (p.snr === undefined ? [] : [{ x: x(i), y: yS(p.snr) }])));
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="h-32 w-full"
      role="img"
      aria-label="RSSI and SNR of recent uplinks"
      data-testid="signal-chart"
    >
      {[0, 0.5, 1].map((f) => (
        <line
          key={f}
          x1={PAD.l}
          x2={W - PAD.r}
          y1={PAD.t + f * (H - PAD.t - PAD.b)}
          y2={PAD.t + f * (H - PAD.t - PAD.b)}
          className="stroke-slate-100"
        />
      ))}
      <path d={rLine} fill="none" className="stroke-sky-600" strokeWidth={1.5} />
      <path d={sLine} fill="none" className="stroke-emerald-600" strokeWidth={1.5} strokeDasharray="3 2" />
      <text x={2} y={PAD.t + 8} className="fill-sky-700 text-[9px]">
        {rMax.toFixed(0)}
      </text>
      <text x={2} y={H - PAD.b} className="fill-sky-700 text-[9px]">
        {rMin.toFixed(0)}
      </text>
      <text x={W - PAD.r + 4} y={PAD.t + 8} className="fill-emerald-700 text-[9px]">
        {sMax.toFixed(1)}
      </text>
      <text x={W - PAD.r + 4} y={H - PAD.b} className="fill-emerald-700 text-[9px]">
        {sMin.toFixed(1)}
      </text>
      <text x={PAD.l} y={H - 2} className="fill-slate-500 text-[9px]">
        last {pts.length} uplinks · RSSI dBm (solid) · SNR dB (dashed)
      </text>
    </svg>
  );
}
