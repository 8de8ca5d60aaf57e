import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { Framer } from './framer';

const PINGREQ = Buffer.from([0xc0, 0x00]);
const publish = (bytes: number) =>
  generate({
    cmd: 'publish',
    topic: 't',
    payload: Buffer.alloc(bytes, 7),
    qos: 0,
    dup: false,
    retain: false,
  });

function framer(max = 1024) {
  const packets: Buffer[] = [];
  const f = new Framer(max, (p) => {
    packets.push(Buffer.from(p));
    return true;
  });
  return { f, packets };
}

describe('Framer', () => {
  it('hands over each whole packet of a chunk, exactly', () => {
    const { f, packets } = framer();
    const big = publish(300);
    expect(f.push(Buffer.concat([PINGREQ, big, PINGREQ]))).toBeUndefined();
    expect(packets).toEqual([PINGREQ, big, PINGREQ]);
    expect(f.buffered).toBe(0);
  });

  it('joins a packet that arrives a byte at a time, its length field split too', () => {
    const { f, packets } = framer();
    const big = publish(300); // two remaining-length bytes
    for (const byte of big) expect(f.push(Buffer.from([byte]))).toBeUndefined();
    expect(packets).toEqual([big]);
  });

  it('keeps the start of the next packet for the next chunk', () => {
    const { f, packets } = framer();
    const a = publish(10);
    const b = publish(200);
    f.push(Buffer.concat([a, b.subarray(0, 5)]));
    expect(packets).toEqual([a]);
    expect(f.buffered).toBe(5);
    f.push(b.subarray(5));
    expect(packets).toEqual([a, b]);
  });

  it('refuses a fifth remaining-length byte [MQTT-1.5.5]', () => {
    const { f, packets } = framer();
    expect(f.push(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).toBe('malformed-length');
    expect(packets).toEqual([]);
  });

  it('refuses a packet announced over the limit before its body arrives', () => {
    const { f, packets } = framer(1024);
    expect(f.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))).toBe('too-large');
    expect(f.push(Buffer.from([0x30, 0xfe, 0x07]))).toBe('too-large'); // 1022 + 3 header bytes
    expect(packets).toEqual([]);
  });

  it('stops when the receiver says so', () => {
    const packets: Buffer[] = [];
    const f = new Framer(1024, (p) => {
      packets.push(p);
      return false;
    });
    f.push(Buffer.concat([PINGREQ, PINGREQ]));
    expect(packets.length).toBe(1);
  });
});
