import { createSocket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, sleep, startGatewayServer } from '../../test/helpers/gatewayServer';
import { seededRng } from '../../test/helpers/prng';
import { ID, rxpkFor } from '../../test/helpers/udpGateway';

const FRAME = Buffer.from('4034120B260001000536CCB91C6D25430D0A', 'hex');
const EUI = Buffer.from('AA555A0000000001', 'hex');
const head = (version: number, id: number) => Buffer.from([version, 0x12, 0x34, id]);

let h: Harness;
afterEach(() => h.close());

describe('malformed datagrams', () => {
  beforeEach(async () => {
    h = await startGatewayServer();
  });

  it('are dropped without a reply, and the frontend still serves a good PUSH_DATA', async () => {
    const gw = await h.gateway('AA555A0000000001');
    const rng = seededRng(1700);
    const garbage: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from([2]),
      Buffer.from([2, 0, 1]),
      head(1, ID.PUSH_DATA),
      Buffer.concat([head(1, ID.PUSH_DATA), EUI, Buffer.from('{"rxpk":[]}')]),
      Buffer.concat([head(2, ID.PUSH_DATA), EUI.subarray(0, 5)]),
      Buffer.concat([head(2, ID.PULL_DATA), EUI.subarray(0, 7)]),
      Buffer.concat([head(2, 0x09), EUI]),
      // Downstream types sent upstream.
      Buffer.concat([head(2, ID.PUSH_ACK), EUI]),
      Buffer.concat([head(2, ID.PULL_RESP), Buffer.from('{"txpk":{}}')]),
      Buffer.concat([head(2, ID.PUSH_DATA), EUI, Buffer.from('{"rxpk":[')]),
      Buffer.concat([head(2, ID.PUSH_DATA), EUI, Buffer.from('[1,2,3]')]),
      Buffer.concat([head(2, ID.PUSH_DATA), EUI, Buffer.from('{"rxpk":5}')]),
      Buffer.concat([head(2, ID.PUSH_DATA), EUI, Buffer.from('{"stat":"up"}')]),
      Buffer.concat([head(2, ID.TX_ACK), EUI, Buffer.from('not json')]),
      Buffer.concat([head(2, ID.PUSH_DATA), EUI, rng.bytes(65_000)]),
      rng.bytes(65_000),
    ];
    for (let i = 0; i < 40; i++) {
      const bytes = rng.bytes(rng.range(1, 600));
      // Random bytes behind a good header reach the JSON parser; behind a random one, the header checks.
      garbage.push(i % 2 ? bytes : Buffer.concat([head(2, ID.PUSH_DATA), EUI, bytes]));
    }
    for (const g of garbage) gw.raw(g);
    await sleep(300);
    expect(gw.received).toEqual([]);
    expect(h.calls).toHaveLength(0);
    expect(h.gs.stats().malformed).toBeGreaterThanOrEqual(garbage.length - 1);

    const token = gw.uplink(FRAME);
    await gw.waitFor((d) => d.id === ID.PUSH_ACK && d.token === token);
    await h.waitCalls(1);
  });

  it('acknowledges a PUSH_DATA whose rxpk are invalid, drops those and keeps the good one', async () => {
    const gw = await h.gateway('AA555A0000000001');
    const token = gw.pushData({
      rxpk: [
        'nope',
        rxpkFor(FRAME, { datr: 'SF99BW125' }),
        rxpkFor(FRAME, { datr: 'SF7' }),
        rxpkFor(FRAME, { codr: '5/4' }),
        rxpkFor(FRAME, { freq: 'high' }),
        rxpkFor(FRAME, { tmst: undefined }),
        rxpkFor(FRAME, { data: '' }),
        rxpkFor(FRAME, { modu: 'CHIRP' }),
        rxpkFor(FRAME),
      ],
    });
    await gw.waitFor((d) => d.id === ID.PUSH_ACK && d.token === token);
    await h.waitCalls(1);
    expect(h.gs.stats()).toMatchObject({ received: 9, malformed: 8, forwarded: 1 });
  });
});

describe('a flood from one source', () => {
  it('is rate-limited while another gateway is still served', async () => {
    h = await startGatewayServer({ perSourceRate: { perSecond: 50, burst: 100 } });
    const good = await h.gateway('AA555A0000000001');
    const { port } = h.gs.address();
    const flooder = createSocket('udp4');
    await new Promise<void>((r) => flooder.bind(0, '127.0.0.1', r));
    let floodAcks = 0;
    flooder.on('message', () => floodAcks++);
    const stat = Buffer.concat([
      head(2, ID.PUSH_DATA),
      Buffer.from('BADBADBADBADBAD0', 'hex'),
      Buffer.from('{"stat":{}}'),
    ]);
    try {
      const started = Date.now();
      const goodTokens: number[] = [];
      // Batches small enough for the kernel's receive buffer: what is dropped is dropped by Mote.
      for (let batch = 0; batch < 30; batch++) {
        for (let i = 0; i < 50; i++) flooder.send(stat, port, '127.0.0.1');
        if (batch % 3 === 0) goodTokens.push(good.pushData({ stat: { rxnb: batch } }));
        await sleep(5);
      }
      for (const t of goodTokens) await good.waitFor((d) => d.id === ID.PUSH_ACK && d.token === t);
      await sleep(100);
      const elapsedS = (Date.now() - started) / 1000;
      expect(floodAcks).toBeLessThanOrEqual(100 + Math.ceil(50 * elapsedS) + 1);
      expect(h.gs.stats().rateLimited).toBeGreaterThanOrEqual(1500 - floodAcks - 200);
      expect(h.gs.stats().rateLimited).toBeGreaterThan(0);
      expect(h.gs.unregistered().map((c) => c.eui)).toEqual(['BADBADBADBADBAD0']);
    } finally {
      flooder.close();
    }
  });
});
