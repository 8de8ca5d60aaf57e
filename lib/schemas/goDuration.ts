/**
 * Go's `time.ParseDuration`, which grpc-gateway applies to `google.protobuf.Duration` query
 * parameters (TTS's `last`): a sign, then one or more decimal numbers each with a unit (`ns`,
 * `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`), e.g. `1h30m`, `90.5s`, `-1.5h`; `0` alone needs no unit.
 * Nanoseconds are counted exactly (BigInt) and, as in Go, must fit in an int64.
 */
const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_NS = (1n << 63n) - 1n;
const COMPONENT = /^(\d*)(?:\.(\d*))?([^\d.]+)/;

/**
 * Go's leadingFraction and `v += uint64(float64(f) * (float64(unit) / scale))`: digits past
 * int64 precision are dropped and the product is a float64, so `0.3333333333333333333h` is
 * exactly 20m there and here.
 */
function fraction(digits: string, unit: bigint): bigint {
  let f = 0n;
  let scale = 1;
  for (const c of digits) {
    if (f > MAX_NS / 10n) break;
    const next = f * 10n + BigInt(c);
    if (next > MAX_NS + 1n) break;
    f = next;
    scale *= 10;
  }
  return BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
}

/** Nanoseconds, or undefined when Go would refuse the text. */
export function parseGoDurationNs(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = COMPONENT.exec(s);
    if (!m) return undefined;
    const [whole, int = '', frac, unitName = ''] = m;
    if (int === '' && (frac ?? '') === '') return undefined;
    const unit = UNIT_NS[unitName];
    if (unit === undefined) return undefined;
    let v = BigInt(int || '0') * unit;
    if (frac) v += fraction(frac, unit);
    total += v;
    // Go allows exactly 1<<63 when negative.
    if (total > MAX_NS + (negative ? 1n : 0n)) return undefined;
    s = s.slice(whole.length);
  }
  return negative ? -total : total;
}

/** Milliseconds (fractional), or undefined when Go would refuse the text. */
export function parseGoDurationMs(text: string): number | undefined {
  const ns = parseGoDurationNs(text);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}
