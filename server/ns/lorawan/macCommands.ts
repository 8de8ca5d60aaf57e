/**
 * MAC commands (LoRaWAN 1.0.3 §5, class B §14): a CID byte and a payload whose length only the
 * CID tells. Mote interprets LinkCheck (§5.1) and DeviceTime (§5.9); the other 1.0.3 commands
 * are carried whole, so a sequence can be walked past them.
 */
import { checkUint } from './bytes';
import type { Direction } from './mhdr';

/** CID → [name, payload length] for commands sent uplink (by the device) and downlink (§5 Table 5, §14 Table 15). */
const COMMANDS: Record<Direction, ReadonlyMap<number, readonly [string, number]>> = {
  up: new Map([
    [0x02, ['LinkCheckReq', 0]],
    [0x03, ['LinkADRAns', 1]],
    [0x04, ['DutyCycleAns', 0]],
    [0x05, ['RXParamSetupAns', 1]],
    [0x06, ['DevStatusAns', 2]],
    [0x07, ['NewChannelAns', 1]],
    [0x08, ['RXTimingSetupAns', 0]],
    [0x09, ['TxParamSetupAns', 0]],
    [0x0a, ['DlChannelAns', 1]],
    [0x0d, ['DeviceTimeReq', 0]],
    [0x10, ['PingSlotInfoReq', 1]],
    [0x11, ['PingSlotChannelAns', 1]],
    [0x12, ['BeaconTimingReq', 0]],
    [0x13, ['BeaconFreqAns', 1]],
  ]),
  down: new Map([
    [0x02, ['LinkCheckAns', 2]],
    [0x03, ['LinkADRReq', 4]],
    [0x04, ['DutyCycleReq', 1]],
    [0x05, ['RXParamSetupReq', 4]],
    [0x06, ['DevStatusReq', 0]],
    [0x07, ['NewChannelReq', 5]],
    [0x08, ['RXTimingSetupReq', 1]],
    [0x09, ['TxParamSetupReq', 1]],
    [0x0a, ['DlChannelReq', 4]],
    [0x0d, ['DeviceTimeAns', 5]],
    [0x10, ['PingSlotInfoAns', 0]],
    [0x11, ['PingSlotChannelReq', 4]],
    [0x12, ['BeaconTimingAns', 3]],
    [0x13, ['BeaconFreqReq', 3]],
  ]),
};

export type MacCommand =
  | { name: 'LinkCheckReq' }
  /** Margin: dB above the demodulation floor, 0..254; gatewayCount: gateways that heard the request. */
  | { name: 'LinkCheckAns'; margin: number; gatewayCount: number }
  | { name: 'DeviceTimeReq' }
  /** Seconds since the GPS epoch, and the fraction of the next second in 1/256 s (gpsTime.ts). */
  | { name: 'DeviceTimeAns'; gpsSeconds: number; fraction: number }
  /** A 1.0.3 command Mote does not interpret; `command` is its name, for logs. */
  | { name: 'other'; cid: number; command: string; payload: Uint8Array };

export interface MacCommandsStop {
  /** The first unknown CID ends the sequence: its length, and so the next CID, is unknowable (§5). */
  name: 'unknown_mac_command' | 'mac_command_truncated';
  cid: number;
  offset: number;
}

export interface ParsedMacCommands {
  commands: MacCommand[];
  /** Set when parsing stopped before the end; `commands` holds those before it. */
  stopped?: MacCommandsStop;
}

function interpret(cid: number, command: string, p: Buffer): MacCommand {
  switch (command) {
    case 'LinkCheckReq':
    case 'DeviceTimeReq':
      return { name: command };
    case 'LinkCheckAns':
      return { name: command, margin: p[0]!, gatewayCount: p[1]! };
    case 'DeviceTimeAns':
      return { name: command, gpsSeconds: p.readUInt32LE(0), fraction: p[4]! };
    default:
      return { name: 'other', cid, command, payload: p };
  }
}

/** `direction` is that of the frame carrying the commands: 'up' for what a device sends. */
export function parseMacCommands(bytes: Uint8Array, direction: Direction): ParsedMacCommands {
  const commands: MacCommand[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const cid = bytes[offset]!;
    const known = COMMANDS[direction].get(cid);
    if (!known) return { commands, stopped: { name: 'unknown_mac_command', cid, offset } };
    const [command, length] = known;
    const end = offset + 1 + length;
    if (end > bytes.length) return { commands, stopped: { name: 'mac_command_truncated', cid, offset } };
    commands.push(interpret(cid, command, Buffer.from(bytes.subarray(offset + 1, end))));
    offset = end;
  }
  return { commands };
}

function encodeOne(c: MacCommand, direction: Direction): Buffer {
  const [cid, payload] = payloadOf(c);
  const known = COMMANDS[direction].get(cid);
  if (!known || known[0] !== (c.name === 'other' ? c.command : c.name) || known[1] !== payload.length) {
    throw new RangeError(
      `${c.name === 'other' ? c.command : c.name} is not a ${direction}link command as given`,
    );
  }
  return Buffer.concat([Buffer.of(cid), payload]);
}

function payloadOf(c: MacCommand): [number, Uint8Array] {
  switch (c.name) {
    case 'LinkCheckReq':
      return [0x02, Buffer.alloc(0)];
    case 'DeviceTimeReq':
      return [0x0d, Buffer.alloc(0)];
    case 'LinkCheckAns':
      // 255 is reserved (§5.1).
      if (c.margin === 255) throw new RangeError('LinkCheckAns margin 255 is reserved');
      return [
        0x02,
        Buffer.of(checkUint(c.margin, 8, 'margin'), checkUint(c.gatewayCount, 8, 'gateway count')),
      ];
    case 'DeviceTimeAns': {
      const p = Buffer.alloc(5);
      p.writeUInt32LE(checkUint(c.gpsSeconds, 32, 'GPS seconds'), 0);
      p[4] = checkUint(c.fraction, 8, 'fraction');
      return [0x0d, p];
    }
    case 'other':
      return [c.cid, c.payload];
  }
}

export const encodeMacCommands = (commands: readonly MacCommand[], direction: Direction): Buffer =>
  Buffer.concat(commands.map((c) => encodeOne(c, direction)));
