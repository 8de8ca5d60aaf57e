import { describe, expect, it } from 'vitest';
import { decodeLpp, decodeLppDownlink, encodeLpp, encodeLppDownlink } from './cayennelpp';
import { inferLocation } from './location';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

/** Vectors from the Cayenne LPP documentation (myDevices), keyed as TTS keys them. */
const VECTORS: { name: string; hex: string; data: Record<string, unknown> }[] = [
  {
    name: 'two temperatures',
    hex: '03 67 01 10 05 67 00 FF',
    data: { temperature_3: 27.2, temperature_5: 25.5 },
  },
  { name: 'negative temperature', hex: '01 67 FF D7', data: { temperature_1: -4.1 } },
  { name: 'humidity', hex: '02 68 61', data: { relative_humidity_2: 48.5 } },
  {
    name: 'accelerometer',
    hex: '06 71 04 D2 FB 2E 00 00',
    data: { accelerometer_6: { x: 1.234, y: -1.234, z: 0 } },
  },
  {
    name: 'GPS',
    hex: '01 88 06 76 5F F2 96 0A 00 03 E8',
    data: { gps_1: { latitude: 42.3519, longitude: -87.9094, altitude: 10 } },
  },
  {
    name: 'digital, analog, luminosity, presence, barometer, gyrometer',
    hex: '01 00 01 02 01 00 03 02 FF 38 04 65 01 2C 05 66 01 06 73 27 7F 07 86 00 64 FF 9C 00 00',
    data: {
      digital_in_1: 1,
      digital_out_2: 0,
      analog_in_3: -2,
      luminosity_4: 300,
      presence_5: 1,
      barometric_pressure_6: 1011.1,
      gyrometer_7: { x: 1, y: -1, z: 0 },
    },
  },
];

describe('CayenneLPP', () => {
  for (const v of VECTORS) {
    it(`decodes and re-encodes: ${v.name}`, () => {
      expect(decodeLpp(hex(v.hex))).toEqual(v.data);
      expect(Buffer.from(encodeLpp(v.data)).toString('hex')).toBe(v.hex.replace(/\s/g, '').toLowerCase());
    });
  }

  it('refuses unknown types and truncated items', () => {
    expect(() => decodeLpp(hex('01 FE 00'))).toThrow(/unknown type 254/);
    expect(() => decodeLpp(hex('01 67 01'))).toThrow(/truncated temperature/);
    expect(() => encodeLpp({ speed_1: 3 })).toThrow(/not a CayenneLPP key/);
    expect(() => encodeLpp({ temperature_1: 4000 })).toThrow(/out of range/);
  });

  it('encodes downlinks as value_N in hundredths, as TTS', () => {
    const bytes = encodeLppDownlink({ value_2: -1.5, value_7: 100 });
    expect(Buffer.from(bytes).toString('hex')).toBe('02ff6a07 2710'.replace(' ', ''));
    expect(decodeLppDownlink(bytes)).toEqual({ value_2: -1.5, value_7: 100 });
    expect(() => encodeLppDownlink({ temperature_1: 3 })).toThrow(/value_N/);
  });
});

describe('inferLocation', () => {
  it.each([
    [
      { lat: 52.1, lon: 4.3 },
      { latitude: 52.1, longitude: 4.3 },
    ],
    [
      { latitude: 52.1, longitude: 4.3, altitude: 3, hdop: 1.2 },
      { latitude: 52.1, longitude: 4.3, altitude: 3, accuracy: 1.2 },
    ],
    [
      { gps_1: { latitude: 42.3519, longitude: -87.9094, altitude: 10 } },
      { latitude: 42.3519, longitude: -87.9094, altitude: 10 },
    ],
  ])('finds %j', (data, want) => {
    expect(inferLocation(data)).toEqual({ ...want, source: 'SOURCE_GPS' });
  });

  it.each([[{ lat: 91, lon: 0 }], [{ lat: 0, lon: 0 }], [{ lat: '52', lon: 4 }], [{ temperature: 20 }]])(
    'ignores %j',
    (data) => expect(inferLocation(data)).toBeUndefined(),
  );
});
