/**
 * Latency histogram with ~2 % wide log buckets: small enough to pass between processes and
 * merge, exact enough for p50/p99.
 */
const GROWTH = 1.02;
const BUCKETS = 1000; // 1 µs · 1.02^1000 ≈ 400 s
const LOG = Math.log(GROWTH);

export class Histogram {
  readonly counts: number[] = new Array(BUCKETS).fill(0);
  total = 0;

  record(us: number): void {
    const i = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG));
    this.counts[i]++;
    this.total++;
  }

  merge(counts: readonly number[]): void {
    for (let i = 0; i < BUCKETS; i++) {
      this.counts[i] += counts[i] ?? 0;
      this.total += counts[i] ?? 0;
    }
  }

  /** The `p`-th percentile (0–100) in milliseconds, or null with no samples. */
  percentileMs(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return GROWTH ** (i + 0.5) / 1000;
    }
    return null;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
