/**
 * Location from a decoded payload, as TTS's `apppayload.InferLocation`
 * (TheThingsNetwork/lorawan-application-payload location.go): a CayenneLPP `gps_N` object, or
 * a latitude/longitude key pair with optional altitude and accuracy, at the top level.
 */
import type { Location, Struct } from '../messages';

const PAIRS: readonly (readonly [string, string])[] = [
  ['lat', 'lon'],
  ['lat', 'lng'],
  ['lat', 'long'],
  ['latitude', 'longitude'],
  ['Latitude', 'Longitude'],
  ['latitudeDeg', 'longitudeDeg'],
  ['gps_lat', 'gps_lng'],
];
const ALTITUDE = ['alt', 'altitude', 'Altitude'];
const ACCURACY = ['acc', 'accuracy', 'hacc', 'hdop', 'gps_hdop'];

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function fromObject(o: Record<string, unknown>): Location | undefined {
  for (const [latKey, lonKey] of PAIRS) {
    const latitude = o[latKey];
    const longitude = o[lonKey];
    if (!isNum(latitude) || !isNum(longitude)) continue;
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
    // (0, 0) is what GPS modules report without a fix, not a place anyone is.
    if (latitude === 0 && longitude === 0) return undefined;
    const loc: Location = { latitude, longitude };
    const altitude = ALTITUDE.map((k) => o[k]).find(isNum);
    if (altitude !== undefined) loc.altitude = altitude;
    const accuracy = ACCURACY.map((k) => o[k]).find(isNum);
    if (accuracy !== undefined) loc.accuracy = accuracy;
    loc.source = 'SOURCE_GPS';
    return loc;
  }
  return undefined;
}

export function inferLocation(data: Struct): Location | undefined {
  const direct = fromObject(data);
  if (direct) return direct;
  for (const [key, value] of Object.entries(data)) {
    if (!/^gps_\d+$/.test(key) || typeof value !== 'object' || value === null) continue;
    const loc = fromObject(value as Record<string, unknown>);
    if (loc) return loc;
  }
  return undefined;
}
