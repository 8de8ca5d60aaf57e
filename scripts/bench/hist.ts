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
    const count = this.counts[i];
    // NaN (a send time that did not parse) has no bucket: it is not a sample.
    if (count === undefined) return;
    this.counts[i] = count + 1;
    this.total++;
  }

  merge(counts: readonly number[]): void {
    for (const [i, count] of this.counts.entries()) {
      const more = counts[i] ?? 0;
      this.counts[i] = count + more;
      this.total += more;
    }
  }

  /** The `p`-th percentile (0–100) in milliseconds, or null with no samples. */
  percentileMs(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (const [i, count] of this.counts.entries()) {
      seen += count;
      if (seen >= rank) return GROWTH ** (i + 0.5) / 1000;
    }
    return null;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
