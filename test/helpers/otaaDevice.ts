/**
 * A class A OTAA device emulated with the frame layer's device-side functions, and the radio
 * metadata a gateway would report for its frames (EU868, SF7BW125 on 868.1 MHz by default).
 */
import type { LoRaModulation } from '../../lib/bands';
import {
  buildDataUp,
  buildJoinRequest,
  deriveSessionKeys,
  encodeMacCommands,
  type JoinAccept,
  type MacCommand,
  type ParsedData,
  parseDataDown,
  parseJoinAccept,
  type SessionKeys,
} from '../../server/ns/lorawan';
import type { RadioMetadata } from '../../server/ns/ports';

export interface UpOptions {
  fPort?: number;
  payload?: Uint8Array;
  confirmed?: boolean;
  ack?: boolean;
  mac?: MacCommand[];
  /** Overrides the device's own counter (replays, gaps). */
  fCnt?: number;
}

export class OtaaDevice {
  devNonce = 0;
  fCntUp = 0;
  lastFCntDown: number | undefined;
  session: (SessionKeys & { devAddr: string }) | undefined;
  accept: JoinAccept | undefined;

  constructor(
    readonly appKey: string,
    readonly joinEui = '4200000000000000',
    readonly devEui = '4200000000000000',
  ) {}

  joinRequest(devNonce = ++this.devNonce): Buffer {
    return buildJoinRequest({ joinEui: this.joinEui, devEui: this.devEui, devNonce, appKey: this.appKey });
  }

  /** Takes the JoinAccept as the device would: decrypt, check, derive the session keys. */
  joinAccept(phyPayload: Uint8Array, devNonce = this.devNonce): JoinAccept {
    const parsed = parseJoinAccept(phyPayload, this.appKey);
    if (!parsed.ok) throw new Error(`JoinAccept refused: ${parsed.error.name}`);
    const a = parsed.value;
    const keys = deriveSessionKeys({ appKey: this.appKey, appNonce: a.appNonce, netId: a.netId, devNonce });
    this.session = { devAddr: a.devAddr, ...keys };
    this.accept = a;
    this.fCntUp = 0;
    this.lastFCntDown = undefined;
    return a;
  }

  up(o: UpOptions = {}): Buffer {
    const s = this.requireSession();
    const fCnt = o.fCnt ?? this.fCntUp++;
    return buildDataUp(
      {
        devAddr: s.devAddr,
        fCnt,
        confirmed: o.confirmed ?? false,
        fCtrl: { ack: o.ack ?? false },
        fOpts: o.mac ? encodeMacCommands(o.mac, 'up') : undefined,
        fPort: o.fPort ?? (o.payload ? 1 : undefined),
        frmPayload: o.payload,
      },
      s,
    );
  }

  down(phyPayload: Uint8Array): ParsedData {
    const parsed = parseDataDown(phyPayload, { ...this.requireSession(), lastFCnt: this.lastFCntDown });
    if (!parsed.ok) throw new Error(`downlink refused: ${parsed.error.name}`);
    this.lastFCntDown = parsed.value.fCnt;
    return parsed.value;
  }

  private requireSession() {
    if (!this.session) throw new Error('not joined');
    return this.session;
  }
}

export const SF7: LoRaModulation = { spreadingFactor: 7, bandwidth: 125_000 };

/** What gateway `n` reports; `at` is the test's clock. */
export function radio(at: Date, overrides: Partial<RadioMetadata> & { n?: number } = {}): RadioMetadata {
  const { n = 1, ...rest } = overrides;
  const eui = `00800000A000000${n}`;
  return {
    gatewayIds: { gateway_id: `eui-${eui.toLowerCase()}`, eui },
    timestamp: 1_000_000 * n,
    rssi: -60,
    snr: 7,
    frequency: 868_100_000,
    channelIndex: 0,
    modulation: SF7,
    codingRate: '4/5',
    receivedAt: at,
    ...rest,
  };
}
