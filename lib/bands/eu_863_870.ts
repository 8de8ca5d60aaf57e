import { fsk, lora } from './build';
import { DEFAULT_DELAYS, ERP_TO_EIRP, type FrequencyPlan } from './types';

/** Channels 0–2 are RP002's default channels; 3–7 are the ones TTS's EU_863_870 plan adds. */
const channel = (index: number, frequency: number) => ({ index, frequency, minDr: 0, maxDr: 5 });

/**
 * TTS's `EU_863_870` frequency plan over RP002-1.0.4 "EU863-870 MHz ISM Band". The uplink
 * channels are in the order of lorawan-frequency-plans `EU_863_870.yml`, so a channel index means
 * what it means on a gateway configured from TTS's plan.
 */
export const EU_863_870: FrequencyPlan = {
  id: 'EU_863_870',
  bandId: 'EU_863_870',
  uplinkChannels: [
    channel(0, 868_100_000),
    channel(1, 868_300_000),
    channel(2, 868_500_000),
    channel(3, 867_100_000),
    channel(4, 867_300_000),
    channel(5, 867_500_000),
    channel(6, 867_700_000),
    channel(7, 867_900_000),
  ],
  // "EU863-870 ISM Band Channel Frequencies": every device knows the three default channels,
  // so they are the ones a JoinRequest may use; the others arrive in the JoinAccept's CFList.
  joinChannels: [0, 1, 2],
  // "EU863-870 Data Rate and End-device Output Power Encoding" (modulation, bit rate) and
  // "EU863-870 Maximum Payload Size (not repeater compatible)" (M). DR8–DR11 are LR-FHSS
  // (RP002-1.0.3 on), which Mote's radio path does not carry; DR12–DR14 are RFU.
  dataRates: {
    0: lora(12, 125_000, 250, 59, 'both'),
    1: lora(11, 125_000, 440, 59, 'both'),
    2: lora(10, 125_000, 980, 59, 'both'),
    3: lora(9, 125_000, 1760, 123, 'both'),
    4: lora(8, 125_000, 3125, 250, 'both'),
    5: lora(7, 125_000, 5470, 250, 'both'),
    6: lora(7, 250_000, 11_000, 250, 'both'),
    7: fsk(50_000, 250, 'both'),
  },
  codingRate: '4/5',
  // "EU863-870 Receive Windows": RX1DROffset 0–5, the downlink data rate is the uplink's minus
  // the offset, never below DR0.
  rx1DataRates: [
    [0, 0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 0],
    [2, 1, 0, 0, 0, 0],
    [3, 2, 1, 0, 0, 0],
    [4, 3, 2, 1, 0, 0],
    [5, 4, 3, 2, 1, 0],
    [6, 5, 4, 3, 2, 1],
    [7, 6, 5, 4, 3, 2],
  ],
  // Same section: "The RX1 receive window uses the same channel as the preceding uplink".
  rx1Channel: { kind: 'uplink' },
  // Same section: RX2 defaults to 869.525 MHz / DR0. A network may move it to another DR in the
  // JoinAccept's DLSettings (TTN uses DR3); this is the default a device starts from.
  rx2: { frequency: 869_525_000, dr: 0 },
  delays: DEFAULT_DELAYS,
  // "EU863-870 TXPower table": "By default MaxEIRP is considered to be +16 dBm".
  maxEirp: 16,
  // ETSI EN 300 220-2 V3.1.1 bands K–R as TTS lists them (band O is not used); RX1 falls in L or
  // M, RX2 in P, which allows 500 mW ERP at 10 % duty cycle.
  subBands: [
    { minFrequency: 863_000_000, maxFrequency: 865_000_000, dutyCycle: 0.001, maxEirp: 14 + ERP_TO_EIRP },
    { minFrequency: 865_000_000, maxFrequency: 868_000_000, dutyCycle: 0.01, maxEirp: 14 + ERP_TO_EIRP },
    { minFrequency: 868_000_000, maxFrequency: 868_600_000, dutyCycle: 0.01, maxEirp: 14 + ERP_TO_EIRP },
    { minFrequency: 868_700_000, maxFrequency: 869_200_000, dutyCycle: 0.001, maxEirp: 14 + ERP_TO_EIRP },
    { minFrequency: 869_400_000, maxFrequency: 869_650_000, dutyCycle: 0.1, maxEirp: 27 + ERP_TO_EIRP },
    { minFrequency: 869_700_000, maxFrequency: 870_000_000, dutyCycle: 0.01, maxEirp: 14 + ERP_TO_EIRP },
  ],
  // "EU863-870 JoinAccept CFList": CFListType 0, the frequencies of channels 3–7.
  cfList: {
    type: 'frequencies',
    frequencies: [867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000],
  },
};
