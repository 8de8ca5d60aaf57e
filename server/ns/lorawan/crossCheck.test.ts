/**
 * Mote's frame layer against an independent implementation, the npm package lora-packet (a dev
 * dependency used only here): for seeded random keys, addresses, counters and payloads, what one
 * encodes the other must decode to the same fields. LORAWAN_CROSS_SEED replays another seed.
 */
import { isDeepStrictEqual } from 'node:util';
import lora from 'lora-packet';
import { describe, expect, it } from 'vitest';
import { type Rng, seededRng } from '../../../test/helpers/prng';
import {
  buildDataDown,
  buildDataUp,
  buildJoinAccept,
  buildJoinRequest,
  type DataMessage,
  deriveSessionKeys,
  parseDataDown,
  parseDataUp,
  parseJoinAccept,
  parseJoinRequest,
} from './index';

const SEED = Number(process.env.LORAWAN_CROSS_SEED ?? 0x4d6f7465);
const DATA_CASES = 4000;
const JOIN_CASES = 1000;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string) => Buffer.from(h, 'hex');
const randomHex = (rng: Rng, n: number) => hex(rng.bytes(n));
/** lora-packet wants the upper 16 bits of a 32-bit FCnt as they go into B0 and Ai: little-endian. */
const fCntMsb = (fCnt: number) => Buffer.from([(fCnt >>> 16) & 0xff, fCnt >>> 24]);

/** Counters near 0, across the 16-bit rollover, anywhere, and near the 32-bit end. */
function randomFCnt(rng: Rng): number {
  switch (rng.int(4)) {
    case 0:
      return rng.int(1000);
    case 1:
      return 0xff00 + rng.int(0x200);
    case 2:
      return rng.int(0xffff_ffff);
    default:
      return 0xffff_ff00 + rng.int(0x100);
  }
}

interface DataCase {
  up: boolean;
  keys: { nwkSKey: string; appSKey: string };
  message: Required<Pick<DataMessage, 'devAddr' | 'fCnt' | 'confirmed' | 'fCtrl' | 'fOpts' | 'frmPayload'>> &
    Pick<DataMessage, 'fPort'>;
}

function randomDataCase(rng: Rng): DataCase {
  const up = rng.chance(0.5);
  const fPort = rng.chance(0.1) ? undefined : rng.chance(0.15) ? 0 : rng.range(1, 223);
  const fOpts = fPort === 0 || rng.chance(0.6) ? Buffer.alloc(0) : rng.bytes(rng.range(1, 15));
  const fCtrl = up
    ? { adr: rng.chance(0.5), ack: rng.chance(0.5), adrAckReq: rng.chance(0.5), classB: rng.chance(0.5) }
    : { adr: rng.chance(0.5), ack: rng.chance(0.5), fPending: rng.chance(0.5) };
  const frmPayload = fPort === undefined ? Buffer.alloc(0) : rng.bytes(rng.chance(0.1) ? 222 : rng.int(223));
  const keys = { nwkSKey: randomHex(rng, 16), appSKey: randomHex(rng, 16) };
  const message = {
    devAddr: randomHex(rng, 4),
    fCnt: randomFCnt(rng),
    confirmed: rng.chance(0.5),
    fCtrl,
    fOpts,
    frmPayload,
  };
  return { up, keys, message: fPort === undefined ? message : { ...message, fPort } };
}

const MTYPE_NAMES = [
  'Unconfirmed Data Down',
  'Confirmed Data Down',
  'Unconfirmed Data Up',
  'Confirmed Data Up',
];
const mTypeName = (c: DataCase) => MTYPE_NAMES[(c.up ? 2 : 0) + (c.message.confirmed ? 1 : 0)]!;

/** Collects disagreements so a failure names the case and the seed that reproduce it. */
function recorder() {
  const mismatches: string[] = [];
  return {
    mismatches,
    check(condition: boolean, what: string, index: number) {
      if (!condition && mismatches.length < 10) mismatches.push(`case ${index} (seed ${SEED}): ${what}`);
    },
  };
}

type Check = ReturnType<typeof recorder>['check'];
const NONE = Buffer.alloc(0);
/** lora-packet takes and gives multi-byte fields most significant byte first, as Mote writes them. */
const be = (n: number, length: number) => {
  const b = Buffer.alloc(length);
  b.writeUIntBE(n, 0, length);
  return b;
};

function moteToLoraPacket(c: DataCase, i: number, check: Check) {
  const { keys, message: m } = c;
  const phy = (c.up ? buildDataUp : buildDataDown)(m, keys);
  const p = lora.fromWire(phy);
  const nwk = bytes(keys.nwkSKey);
  const app = bytes(keys.appSKey);
  check(p.getMType() === mTypeName(c), `MType ${p.getMType()}`, i);
  check(hex(p.DevAddr ?? NONE) === m.devAddr, 'DevAddr', i);
  check(p.getFCnt() === (m.fCnt & 0xffff), 'FCnt', i);
  check(lora.verifyMIC(p, nwk, undefined, fCntMsb(m.fCnt)), 'MIC', i);
  check(p.getFCtrlADR() === m.fCtrl.adr && p.getFCtrlACK() === m.fCtrl.ack, 'ADR/ACK', i);
  const bit4 = c.up ? m.fCtrl.classB : m.fCtrl.fPending;
  check(p.getFCtrlFPending() === bit4, 'FCtrl bit 4', i);
  if (c.up) check(p.getFCtrlADRACKReq() === m.fCtrl.adrAckReq, 'ADRACKReq', i);
  check(hex(p.FOpts ?? NONE) === hex(m.fOpts), 'FOpts', i);
  check(p.getFPort() === (m.fPort ?? null), `FPort ${p.getFPort()}`, i);
  if (m.fPort !== undefined) {
    check(hex(lora.decrypt(p, app, nwk, fCntMsb(m.fCnt))) === hex(m.frmPayload), 'FRMPayload', i);
  }
}

function loraPacketToMote(c: DataCase, i: number, rng: Rng, check: Check) {
  const { keys, message: m } = c;
  const nwk = bytes(keys.nwkSKey);
  const fields = {
    MType: mTypeName(c),
    DevAddr: bytes(m.devAddr),
    FCnt: m.fCnt & 0xffff,
    FCtrl: {
      ADR: m.fCtrl.adr,
      ACK: m.fCtrl.ack,
      ADRACKReq: m.fCtrl.adrAckReq,
      FPending: m.fCtrl.fPending ?? m.fCtrl.classB,
    },
    FOpts: Buffer.from(m.fOpts),
    payload: Buffer.from(m.frmPayload),
    ...(m.fPort === undefined ? {} : { FPort: m.fPort }),
  };
  const p = lora.fromFields(fields, bytes(keys.appSKey), nwk, undefined, fCntMsb(m.fCnt));
  // lora-packet signs a frame only when it has an FPort; one without is left with MIC EEEEEEEE.
  if (m.fPort === undefined) lora.recalculateMIC(p, nwk, undefined, fCntMsb(m.fCnt));
  const phy = p.getPHYPayload();
  if (!phy) return check(false, 'lora-packet built no frame', i);
  const lastFCnt = m.fCnt === 0 ? undefined : Math.max(0, m.fCnt - 1 - rng.int(100));
  const parsed = (c.up ? parseDataUp : parseDataDown)(phy, { ...keys, lastFCnt });
  if (!parsed.ok) return check(false, `Mote refused it: ${parsed.error.name}`, i);
  const v = parsed.value;
  check(
    v.devAddr === m.devAddr && v.fCnt === m.fCnt && v.confirmed === m.confirmed,
    'DevAddr/FCnt/confirmed',
    i,
  );
  check(v.fPort === m.fPort && hex(v.frmPayload) === hex(m.frmPayload), 'FPort/FRMPayload', i);
  check(hex(v.fOpts) === hex(m.fOpts), 'FOpts', i);
  const f = { adrAckReq: false, classB: false, fPending: false, ...m.fCtrl };
  const { adr, ack, adrAckReq, classB, fPending } = v.fCtrl;
  check(
    adr === f.adr &&
      ack === f.ack &&
      adrAckReq === f.adrAckReq &&
      classB === f.classB &&
      fPending === f.fPending,
    'FCtrl',
    i,
  );
}

function joinRequestCase(rng: Rng, i: number, check: Check) {
  const appKey = randomHex(rng, 16);
  const request = { joinEui: randomHex(rng, 8), devEui: randomHex(rng, 8), devNonce: rng.int(0x10000) };
  const ours = lora.fromWire(buildJoinRequest({ ...request, appKey }));
  check(lora.verifyMIC(ours, undefined, bytes(appKey)), 'JoinRequest MIC (Mote → lora-packet)', i);
  check(
    hex(ours.AppEUI ?? NONE) === request.joinEui && hex(ours.DevEUI ?? NONE) === request.devEui,
    'EUIs',
    i,
  );
  check(hex(ours.DevNonce ?? NONE) === hex(be(request.devNonce, 2)), 'DevNonce', i);
  const fields = {
    AppEUI: bytes(request.joinEui),
    DevEUI: bytes(request.devEui),
    DevNonce: be(request.devNonce, 2),
  };
  const theirs = lora.fromFields({ MType: 'Join Request', ...fields }, undefined, undefined, bytes(appKey));
  const parsed = parseJoinRequest(theirs.getPHYPayload() ?? NONE, appKey);
  check(isDeepStrictEqual(parsed, { ok: true, value: request }), 'JoinRequest (lora-packet → Mote)', i);
}

function joinAcceptCase(rng: Rng, i: number, check: Check) {
  const appKey = randomHex(rng, 16);
  const accept = {
    appNonce: rng.int(0x100_0000),
    netId: randomHex(rng, 3),
    devAddr: randomHex(rng, 4),
    rx1DrOffset: rng.int(8),
    rx2DataRate: rng.int(16),
    rxDelay: rng.int(16),
    ...(rng.chance(0.5) ? { cfList: rng.bytes(16) } : {}),
  };
  const ours = lora.fromWire(buildJoinAccept({ ...accept, appKey }));
  const plain = lora.fromWire(lora.decryptJoinAccept(ours, bytes(appKey)));
  check(lora.verifyMIC(plain, undefined, bytes(appKey)), 'JoinAccept MIC (Mote → lora-packet)', i);
  check(hex(plain.AppNonce ?? NONE) === hex(be(accept.appNonce, 3)), 'AppNonce', i);
  check(
    hex(plain.NetID ?? NONE) === accept.netId && hex(plain.DevAddr ?? NONE) === accept.devAddr,
    'NetID/DevAddr',
    i,
  );
  const dl = [plain.getDLSettingsRxOneDRoffset(), plain.getDLSettingsRxTwoDataRate(), plain.getRxDelayDel()];
  check(
    isDeepStrictEqual(dl, [accept.rx1DrOffset, accept.rx2DataRate, accept.rxDelay]),
    'DLSettings/RxDelay',
    i,
  );
  check(hex(plain.CFList ?? NONE) === hex(accept.cfList ?? NONE), 'CFList', i);
  const fields = {
    AppNonce: be(accept.appNonce, 3),
    NetID: bytes(accept.netId),
    DevAddr: bytes(accept.devAddr),
    DLSettings: (accept.rx1DrOffset << 4) | accept.rx2DataRate,
    RxDelay: accept.rxDelay,
    CFList: Buffer.from(accept.cfList ?? NONE),
  };
  const theirs = lora.fromFields({ MType: 'Join Accept', ...fields }, undefined, undefined, bytes(appKey));
  const parsed = parseJoinAccept(theirs.getPHYPayload() ?? NONE, appKey);
  check(isDeepStrictEqual(parsed, { ok: true, value: accept }), 'JoinAccept (lora-packet → Mote)', i);
}

function sessionKeysCase(rng: Rng, i: number, check: Check) {
  const input = {
    appKey: randomHex(rng, 16),
    appNonce: rng.int(0x100_0000),
    netId: randomHex(rng, 3),
    devNonce: rng.int(0x10000),
  };
  const { nwkSKey, appSKey } = deriveSessionKeys(input);
  const theirs = lora.generateSessionKeys10(
    bytes(input.appKey),
    bytes(input.netId),
    be(input.appNonce, 3),
    be(input.devNonce, 2),
  );
  check(nwkSKey === hex(theirs.NwkSKey) && appSKey === hex(theirs.AppSKey), 'session keys', i);
}

describe('cross-check with lora-packet', () => {
  it('data frames, both ways', () => {
    const rng = seededRng(SEED);
    const { mismatches, check } = recorder();
    for (let i = 0; i < DATA_CASES; i++) {
      const c = randomDataCase(rng);
      moteToLoraPacket(c, i, check);
      loraPacketToMote(c, i, rng, check);
    }
    console.log(
      `lora-packet cross-check (seed ${SEED}): ${DATA_CASES} data frames Mote → lora-packet and ${DATA_CASES} lora-packet → Mote`,
    );
    expect(mismatches).toEqual([]);
  });

  it('joins and session keys, both ways', () => {
    const rng = seededRng(SEED + 1);
    const { mismatches, check } = recorder();
    for (let i = 0; i < JOIN_CASES; i++) {
      joinRequestCase(rng, i, check);
      joinAcceptCase(rng, i, check);
      sessionKeysCase(rng, i, check);
    }
    console.log(
      `lora-packet cross-check (seed ${SEED + 1}): ${JOIN_CASES} JoinRequests and ${JOIN_CASES} JoinAccepts each way, ${JOIN_CASES} key derivations`,
    );
    expect(mismatches).toEqual([]);
  });
});
