/**
 * A client may send packets right after CONNECT, without waiting for the CONNACK (§3.1.4); they
 * are handled in order once the CONNECT is accepted, and not at all if it is refused
 * [MQTT-3.1.4-5]. A key's first CONNECT waits for the store;
 * once the key is held verified the CONNECT completes at once (issue 18). Both ways the answers
 * come back in the order the packets went out, and a refused CONNECT answers nothing after it.
 */
import { generate, type IConnectPacket, type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithKey } from './helpers/api';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { connectPacket, type RawClient, rawClient } from './helpers/mqtt';

let mote: RunningMote;
let key: string;
beforeAll(async () => {
  mote = await startMote();
  key = await appWithKey(mote, 'pipelined', ['RIGHT_APPLICATION_ALL']);
});
afterAll(async () => {
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

/** CONNECT, SUBSCRIBE and PINGREQ in one write, as one TCP segment. */
async function pipelined(connect: IConnectPacket): Promise<RawClient> {
  const c = await rawClient(mote.mqttPort);
  const packets: Packet[] = [
    connect,
    { cmd: 'subscribe', messageId: 7, subscriptions: [{ topic: 'v3/pipelined/devices/+/up', qos: 1 }] },
    { cmd: 'pingreq' },
  ];
  c.socket.write(Buffer.concat(packets.map((p) => generate(p))));
  return c;
}

describe('packets sent right behind CONNECT', () => {
  it("are answered in order after the CONNACK, at a key's first use and once it is held", async () => {
    for (const clientId of ['first-use', 'held', 'held-again']) {
      const c = await pipelined(connectPacket('pipelined', key, clientId));
      await c.next('pingresp');
      expect(c.packets.map((p) => p.cmd)).toEqual(['connack', 'suback', 'pingresp']);
      expect(c.packets[0]).toMatchObject({ returnCode: 0, sessionPresent: false });
      expect(c.packets[1]).toMatchObject({ messageId: 7, granted: [1] });
      c.socket.destroy();
    }
  });

  it('after a refused CONNECT, get nothing but the refusal', async () => {
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const c = await pipelined(connectPacket('pipelined', wrong, 'wrong-key'));
    await c.closed;
    expect(c.packets.map((p) => p.cmd)).toEqual(['connack']);
    expect(c.packets[0]).toMatchObject({ returnCode: 5 });
  });
});
