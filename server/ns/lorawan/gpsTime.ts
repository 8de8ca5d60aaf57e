/**
 * GPS time for DeviceTimeAns (LoRaWAN 1.0.3 §5.9): seconds since the GPS epoch, 1980-01-06
 * 00:00:00 UTC, counting every second — so leap seconds, which UTC (and Unix time) leaves out,
 * are added back — and the fraction of a second in 1/256 s steps.
 */

const GPS_EPOCH_UNIX_MS = Date.UTC(1980, 0, 6);

/**
 * When each leap second since the GPS epoch took effect (IERS Bulletin C); GPS − UTC is 18 s
 * from 2017-01-01. A new one means a new entry here.
 */
const LEAP_SECONDS_UNIX_MS = [
  Date.UTC(1981, 6, 1),
  Date.UTC(1982, 6, 1),
  Date.UTC(1983, 6, 1),
  Date.UTC(1985, 6, 1),
  Date.UTC(1988, 0, 1),
  Date.UTC(1990, 0, 1),
  Date.UTC(1991, 0, 1),
  Date.UTC(1992, 6, 1),
  Date.UTC(1993, 6, 1),
  Date.UTC(1994, 6, 1),
  Date.UTC(1996, 0, 1),
  Date.UTC(1997, 6, 1),
  Date.UTC(1999, 0, 1),
  Date.UTC(2006, 0, 1),
  Date.UTC(2009, 0, 1),
  Date.UTC(2012, 6, 1),
  Date.UTC(2015, 6, 1),
  Date.UTC(2017, 0, 1),
];

/** Milliseconds since the GPS epoch at the UTC instant `unixMs`. */
export function gpsMsFromUnixMs(unixMs: number): number {
  const leap = LEAP_SECONDS_UNIX_MS.filter((at) => at <= unixMs).length;
  return unixMs - GPS_EPOCH_UNIX_MS + leap * 1000;
}

/** DeviceTimeAns fields for the UTC instant `unixMs`; the fraction is rounded down. */
export function deviceTimeAt(unixMs: number): { gpsSeconds: number; fraction: number } {
  const gpsMs = gpsMsFromUnixMs(unixMs);
  const gpsSeconds = Math.floor(gpsMs / 1000);
  return { gpsSeconds, fraction: Math.floor(((gpsMs - gpsSeconds * 1000) * 256) / 1000) };
}
