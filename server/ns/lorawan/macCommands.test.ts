import { describe, expect, it } from 'vitest';
import { encodeMacCommands, type MacCommand, parseMacCommands } from './macCommands';

const hex = (s: string) => Buffer.from(s, 'hex');
const upper = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('MAC commands (LoRaWAN 1.0.3 §5)', () => {
  it.each<{ name: string; direction: 'up' | 'down'; commands: MacCommand[]; bytes: string }>([
    { name: 'LinkCheckReq', direction: 'up', commands: [{ name: 'LinkCheckReq' }], bytes: '02' },
    { name: 'DeviceTimeReq', direction: 'up', commands: [{ name: 'DeviceTimeReq' }], bytes: '0D' },
    {
      name: 'LinkCheckAns',
      direction: 'down',
      commands: [{ name: 'LinkCheckAns', margin: 20, gatewayCount: 3 }],
      bytes: '021403',
    },
    {
      // §5.9's example second, with half a second.
      name: 'DeviceTimeAns',
      direction: 'down',
      commands: [{ name: 'DeviceTimeAns', gpsSeconds: 1_139_322_288, fraction: 128 }],
      bytes: '0DB0ADE84380',
    },
    {
      name: 'both answers together',
      direction: 'down',
      commands: [
        { name: 'LinkCheckAns', margin: 0, gatewayCount: 1 },
        { name: 'DeviceTimeAns', gpsSeconds: 0, fraction: 0 },
      ],
      bytes: '0200010D0000000000',
    },
    {
      name: 'commands carried whole around one read',
      direction: 'up',
      commands: [
        { name: 'other', cid: 0x03, command: 'LinkADRAns', payload: hex('07') },
        { name: 'other', cid: 0x06, command: 'DevStatusAns', payload: hex('FF1F') },
        { name: 'LinkCheckReq' },
        { name: 'other', cid: 0x08, command: 'RXTimingSetupAns', payload: hex('') },
      ],
      bytes: '0307' + '06FF1F' + '02' + '08',
    },
  ])('$name: encodes and parses', ({ direction, commands, bytes }) => {
    expect(upper(encodeMacCommands(commands, direction))).toBe(bytes);
    expect(parseMacCommands(hex(bytes), direction)).toEqual({ commands });
  });

  it.each([
    { name: 'an RFU CID', bytes: '020E02', offset: 1, cid: 0x0e, stop: 'unknown_mac_command' },
    { name: 'a proprietary CID', bytes: '80020202', offset: 0, cid: 0x80, stop: 'unknown_mac_command' },
    { name: 'a downlink CID sent up', bytes: '02' + '0B', offset: 1, cid: 0x0b, stop: 'unknown_mac_command' },
    {
      name: 'a command cut short',
      bytes: '02' + '06FF',
      offset: 1,
      cid: 0x06,
      stop: 'mac_command_truncated',
    },
  ])('stops at $name, keeping what came before', ({ bytes, offset, cid, stop }) => {
    expect(parseMacCommands(hex(bytes), 'up')).toEqual({
      commands: offset > 0 ? [{ name: 'LinkCheckReq' }] : [],
      stopped: { name: stop, cid, offset },
    });
  });

  it('knows each CID by the direction of its frame', () => {
    expect(parseMacCommands(hex('0D'), 'up').commands).toEqual([{ name: 'DeviceTimeReq' }]);
    expect(parseMacCommands(hex('0D'), 'down').stopped).toEqual({
      name: 'mac_command_truncated',
      cid: 0x0d,
      offset: 0,
    });
  });

  it('parses nothing from nothing', () => {
    expect(parseMacCommands(new Uint8Array(0), 'down')).toEqual({ commands: [] });
  });

  it.each<[string, MacCommand, 'up' | 'down']>([
    ['an answer sent up', { name: 'LinkCheckAns', margin: 1, gatewayCount: 1 }, 'up'],
    ['the reserved margin 255', { name: 'LinkCheckAns', margin: 255, gatewayCount: 1 }, 'down'],
    ['a fraction past 255', { name: 'DeviceTimeAns', gpsSeconds: 0, fraction: 256 }, 'down'],
    [
      'a payload of the wrong length',
      { name: 'other', cid: 3, command: 'LinkADRAns', payload: hex('0102') },
      'up',
    ],
    [
      'a name that does not match the CID',
      { name: 'other', cid: 3, command: 'DevStatusAns', payload: hex('01') },
      'up',
    ],
  ])('refuses to encode %s', (_name, command, direction) => {
    expect(() => encodeMacCommands([command], direction)).toThrow(RangeError);
  });
});
