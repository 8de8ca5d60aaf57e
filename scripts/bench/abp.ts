/**
 * The radio path's devices: N ABP devices registered over HTTP (`POST …/devices` with
 * `session.keys`, provision.ts), and their side of the air — data uplinks built
 * with the frame layer's device-side crypto, one FCnt after another per device.
 *
 * What a device spends on a frame is not Mote's cost, but the stamp (send time) must be taken at
 * hand-off and sits in the encrypted, signed FRMPayload. So `prepare` does ahead of time what
 * does not depend on the stamp (FHDR and the keystream for the frame's FCnt, LoRaWAN 1.0.3
 * §4.3.3), and `next` does at hand-off only XOR and the MIC (§4.4) — one AES-CMAC, in the gateway
 * worker's CPU (`pub CPU %`), not the server's.
 */
import { randomBytes } from 'node:crypto';
import { cryptFrmPayload, dataMic } from '../../server/ns/lorawan/crypto';
import { encodeDataMessage } from '../../server/ns/lorawan/dataFrame';

export interface AbpDevice {
  deviceId: string;
  devAddr: string;
  nwkSKey: string;
  appSKey: string;
}

/** The simulator's plan and MAC (server/sim/keys.ts): EU868, SF7BW125 is DR5. */
const SETTINGS = {
  frequency_plan_id: 'EU_863_870',
  lorawan_version: 'MAC_V1_0_3',
  lorawan_phy_version: 'PHY_V1_0_3_REV_A',
  supports_join: false,
} as const;

const hexKey = () => randomBytes(16).toString('hex').toUpperCase();
/** NetID 000000 (type 0, NwkID 0): DevAddrs 00000001…, one per device, so no MIC decides between two. */
const devAddrOf = (i: number) => (i + 1).toString(16).toUpperCase().padStart(8, '0');

/** N ABP devices with fresh session keys: what `POST …/devices` is given (provision.ts), and the air's side. */
export function abpDevices(count: number): AbpDevice[] {
  return Array.from({ length: count }, (_, i) => ({
    deviceId: `abp-${i}`,
    devAddr: devAddrOf(i),
    nwkSKey: hexKey(),
    appSKey: hexKey(),
  }));
}

/** The `POST /api/v3/applications/{app}/devices` body that registers `d` with its session. */
export function abpBody(d: AbpDevice) {
  return {
    end_device: {
      ids: { device_id: d.deviceId },
      ...SETTINGS,
      session: {
        dev_addr: d.devAddr,
        keys: { app_s_key: { key: d.appSKey }, f_nwk_s_int_key: { key: d.nwkSKey } },
      },
    },
  };
}

/** MHDR | FHDR without FOpts | FPort: where FRMPayload starts (§4.3). */
const HEADER = 9;
/** The stamp (payload.ts). */
const PAYLOAD = 12;
const F_PORT = 1;

interface Prepared {
  device: AbpDevice;
  fCnt: number;
  /** MHDR through FRMPayload, the FRMPayload still the bare keystream (§4.3.3). */
  bytes: Buffer;
}

export interface Air {
  /** Builds the stamp-independent part of the next `count` frames, round-robin over the devices. */
  prepare(count: number): void;
  /** The next frame with `stamp` encrypted in and signed; prepares it on the spot when none is. */
  next(stamp: Uint8Array): { phy: Buffer; device: AbpDevice; fCnt: number };
  /** Frames that had to be prepared at hand-off (the caller prepared too few). */
  preparedLate(): number;
}

export function air(devices: AbpDevice[]): Air {
  const fCnts = new Uint32Array(devices.length);
  const queue: Prepared[] = [];
  let head = 0;
  let turn = 0;
  let late = 0;
  const prepareOne = (): Prepared => {
    const i = turn++ % devices.length;
    const device = devices[i];
    if (!device) throw new Error('no ABP devices to send from');
    const fCnt = fCnts[i]!;
    fCnts[i] = fCnt + 1;
    // Encrypting zeros gives the keystream itself: the stamp is XORed in at hand-off.
    const keystream = cryptFrmPayload(device.appSKey, 'up', device.devAddr, fCnt, new Uint8Array(PAYLOAD));
    const bytes = encodeDataMessage({
      mType: 'unconfirmed_up',
      devAddr: device.devAddr,
      fCnt,
      fPort: F_PORT,
      frmPayload: keystream,
    });
    return { device, fCnt, bytes };
  };
  return {
    prepare(count) {
      if (head > 0) queue.splice(0, head);
      head = 0;
      for (let i = 0; i < count; i++) queue.push(prepareOne());
    },
    next(stamp) {
      let p = queue[head];
      if (p) head++;
      else {
        late++;
        p = prepareOne();
      }
      const { bytes, device, fCnt } = p;
      for (let i = 0; i < PAYLOAD; i++) bytes[HEADER + i]! ^= stamp[i] ?? 0;
      const mic = dataMic(device.nwkSKey, 'up', device.devAddr, fCnt, bytes);
      return { phy: Buffer.concat([bytes, mic]), device, fCnt };
    },
    preparedLate: () => late,
  };
}
