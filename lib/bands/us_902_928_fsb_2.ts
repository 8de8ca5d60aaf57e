import { lora } from './build';
import { DEFAULT_DELAYS, type FrequencyPlan } from './types';

/** 125 kHz channels 0–63: 902.3 MHz + 200 kHz × n, DR0–DR3. */
const narrow = (index: number, frequency: number) => ({ index, frequency, minDr: 0, maxDr: 3 });

/**
 * TTS's `US_902_928_FSB_2` plan over RP002-1.0.4 "US902-928 MHz ISM Band". The band has 64
 * × 125 kHz and 8 × 500 kHz uplink channels; a gateway's concentrator hears 8 + 1 of them, and
 * frequency sub-band 2 is channels 8–15 plus channel 65 (lorawan-frequency-plans
 * `US_902_928_FSB_2.yml`, in its order).
 */
export const US_902_928_FSB_2: FrequencyPlan = {
  id: 'US_902_928_FSB_2',
  bandId: 'US_902_928',
  // "US902-928 Channel Frequencies": channels 64–71 are 903.0 MHz + 1.6 MHz × (n − 64), DR4.
  // (RP002-1.0.3 adds LR-FHSS DR5–DR6 on them, which Mote's radio path does not carry.)
  uplinkChannels: [
    narrow(8, 903_900_000),
    narrow(9, 904_100_000),
    narrow(10, 904_300_000),
    narrow(11, 904_500_000),
    narrow(12, 904_700_000),
    narrow(13, 904_900_000),
    narrow(14, 905_100_000),
    narrow(15, 905_300_000),
    { index: 65, frequency: 904_600_000, minDr: 4, maxDr: 4 },
  ],
  // RP002 lets a US device join on any of the 72 channels; a gateway of this plan hears only
  // sub-band 2, so these are the ones a JoinRequest reaches it on.
  joinChannels: [8, 9, 10, 11, 12, 13, 14, 15, 65],
  // "US902-928 Data Rate and End-device Output Power Encoding" and "US902-928 Maximum Payload
  // Size (not repeater compatible)". DR0–DR4 are uplink only, DR8–DR13 downlink only, so SF8 at
  // 500 kHz is DR4 up and DR12 down. DR5–DR6 are LR-FHSS; DR7 and DR14 are RFU. DR8 and DR9's
  // bit rates are the table's, though they equal DR0 and DR1's rather than SF12/SF11 at 500 kHz.
  dataRates: {
    0: lora(10, 125_000, 980, 19, 'up'),
    1: lora(9, 125_000, 1760, 61, 'up'),
    2: lora(8, 125_000, 3125, 133, 'up'),
    3: lora(7, 125_000, 5470, 250, 'up'),
    4: lora(8, 500_000, 12_500, 250, 'up'),
    8: lora(12, 500_000, 980, 61, 'down'),
    9: lora(11, 500_000, 1760, 137, 'down'),
    10: lora(10, 500_000, 3900, 250, 'down'),
    11: lora(9, 500_000, 7000, 250, 'down'),
    12: lora(8, 500_000, 12_500, 250, 'down'),
    13: lora(7, 500_000, 21_900, 250, 'down'),
  },
  codingRate: '4/5',
  // "US902-928 Receive Windows": RX1DROffset 0–3; uplink DR0–DR4 map onto the 500 kHz DR8–DR13.
  rx1DataRates: [
    [10, 9, 8, 8],
    [11, 10, 9, 8],
    [12, 11, 10, 9],
    [13, 12, 11, 10],
    [13, 13, 12, 11],
  ],
  // Same section: "RX1 Channel Number = Transmit Channel Number modulo 8", on the 8 downlink
  // channels 923.3 MHz + 600 kHz × n.
  rx1Channel: {
    kind: 'modulo',
    downlinkFrequencies: [
      923_300_000, 923_900_000, 924_500_000, 925_100_000, 925_700_000, 926_300_000, 926_900_000, 927_500_000,
    ],
  },
  // Same section: RX2 defaults to 923.3 MHz / DR8.
  rx2: { frequency: 923_300_000, dr: 8 },
  delays: DEFAULT_DELAYS,
  // "US902-928 TXPower table": TXPower 0 is 30 dBm.
  maxEirp: 30,
  // FCC part 15 sets no duty cycle here. The power limits are TTS's US_902_928 band values
  // (21 dBm up, 26 dBm down, each + 2.15 dB); downlinks go out in the second.
  subBands: [
    { minFrequency: 902_300_000, maxFrequency: 914_900_000, dutyCycle: 1, maxEirp: 23.15 },
    { minFrequency: 923_300_000, maxFrequency: 927_500_000, dutyCycle: 1, maxEirp: 28.15 },
  ],
  // "US902-928 JoinAccept CFList": CFListType 1, a ChMask of the 72 channels. For this plan it
  // enables sub-band 2, so a device that joined stops trying the other 63 channels.
  cfList: { type: 'channel_mask', enabledChannels: [8, 9, 10, 11, 12, 13, 14, 15, 65] },
  // FCC 47 CFR §15.247(a)(1)(i): at most 0.4 s on a channel; TTS's plan sets `dwell-time: 400ms`
  // for uplinks. It is why DR0 carries at most 11 bytes.
  uplinkDwellTime: 0.4,
};
