import { afterEach, describe, expect, it } from 'vitest';
import {
  type Harness,
  sleep,
  startGatewayServer,
  transmission,
  until,
} from '../../test/helpers/gatewayServer';
import { ID, UdpGateway } from '../../test/helpers/udpGateway';
import type { Transmission, TxOutcome } from '../ns/ports';

const FRAME = Buffer.from('4034120B260001000536CCB91C6D25430D0A', 'hex');
// Unconfirmed down, ACK, FCntDown 0, FPort 15, BEEF (the reference's test vector).
const DOWN = Buffer.from('6034120B262000000F4C8037B34314', 'hex');

let h: Harness;
afterEach(() => h.close());

type Recorded = Transmission & { outcomes: TxOutcome[] };

/** A registered gateway that pulled, sends FRAME, and the network layer answers with `windows`. */
async function uplinkWithDownlink(
  windows: readonly ('rx1' | 'rx2')[] = ['rx1', 'rx2'],
  options: Parameters<typeof startGatewayServer>[0] = {},
): Promise<{ gw: UdpGateway; tx: () => Recorded }> {
  h = await startGatewayServer(options);
  let tx: Recorded | undefined;
  h.respond = ({ radios }) => {
    tx = transmission(radios[0]!, DOWN, windows);
    return tx;
  };
  const gw = await h.gateway('AA555A0000000001');
  gw.pull();
  await gw.waitFor((d) => d.id === ID.PULL_ACK);
  return { gw, tx: () => tx! };
}

const settled = (tx: () => Recorded, timeoutMs = 3000) =>
  until(() => tx()?.outcomes.length > 0, timeoutMs, 'settle');

describe('downlinks', () => {
  it('sends PULL_RESP to the PULL_DATA address with the txpk of RX1', async () => {
    const { gw, tx } = await uplinkWithDownlink();
    gw.uplink(FRAME, { tmst: 1_000, freq: 868.3 });
    const resp = await gw.waitFor((d) => d.id === ID.PULL_RESP);
    expect(resp.version).toBe(2);
    expect(resp.json).toEqual({
      txpk: {
        imme: false,
        tmst: 1_001_000,
        freq: 868.3,
        rfch: 0,
        powe: 14,
        modu: 'LORA',
        datr: 'SF7BW125',
        codr: '4/5',
        ipol: true,
        size: DOWN.length,
        data: DOWN.toString('base64'),
        ncrc: true,
      },
    });
    await settled(tx);
    expect(tx().outcomes).toEqual([{ sent: 'rx1' }]);
    expect(h.gs.connection(gw.eui)).toMatchObject({ downlinks: 1, txAcks: { NONE: 1 }, connected: true });
    expect(h.gs.traffic(gw.eui).map((e) => [e.kind, e.window, e.result])).toEqual([
      ['up', undefined, undefined],
      ['down', 'rx1', undefined],
      ['tx_ack', 'rx1', 'NONE'],
    ]);
  });

  it('follows the gateway to the address of its latest PULL_DATA', async () => {
    const { gw, tx } = await uplinkWithDownlink();
    // The same EUI from another source port: a NAT mapping that changed.
    const moved = await UdpGateway.start(gw.eui, { host: '127.0.0.1', port: h.gs.address().port });
    try {
      moved.pull();
      await moved.waitFor((d) => d.id === ID.PULL_ACK);
      gw.uplink(FRAME);
      await moved.waitFor((d) => d.id === ID.PULL_RESP);
      await settled(tx);
      expect(gw.of(ID.PULL_RESP)).toHaveLength(0);
      expect(tx().outcomes).toEqual([{ sent: 'rx1' }]);
    } finally {
      await moved.close();
    }
  });

  it('settles sent for a TX_ACK without JSON', async () => {
    const { gw, tx } = await uplinkWithDownlink(['rx1']);
    gw.defaultTxAck = 'empty';
    gw.uplink(FRAME);
    await settled(tx);
    expect(tx().outcomes).toEqual([{ sent: 'rx1' }]);
  });

  it('tries RX2 after TOO_LATE on RX1, then settles sent rx2', async () => {
    const { gw, tx } = await uplinkWithDownlink();
    gw.txAckAnswers.push('TOO_LATE');
    gw.uplink(FRAME, { tmst: 5_000 });
    await settled(tx);
    const resps = gw.of(ID.PULL_RESP);
    expect(resps).toHaveLength(2);
    expect(resps[0]!.token).not.toBe(resps[1]!.token);
    expect(resps[1]!.json!.txpk).toMatchObject({
      tmst: 2_005_000,
      freq: 869.525,
      datr: 'SF12BW125',
      powe: 27,
    });
    expect(tx().outcomes).toEqual([{ sent: 'rx2' }]);
    expect(h.gs.connection(gw.eui)!.txAcks).toEqual({ TOO_LATE: 1, NONE: 1 });
  });

  it('settles failed with the error of the last window', async () => {
    const { gw, tx } = await uplinkWithDownlink();
    gw.txAckAnswers.push('TOO_LATE', 'COLLISION_PACKET');
    gw.uplink(FRAME);
    await settled(tx);
    await sleep(100);
    expect(gw.of(ID.PULL_RESP)).toHaveLength(2);
    expect(tx().outcomes).toEqual([{ failed: 'COLLISION_PACKET' }]);
  });

  it('settles failed on TOO_EARLY when RX1 is the only window', async () => {
    const { gw, tx } = await uplinkWithDownlink(['rx1']);
    gw.txAckAnswers.push('TOO_EARLY');
    gw.uplink(FRAME);
    await settled(tx);
    expect(tx().outcomes).toEqual([{ failed: 'TOO_EARLY' }]);
  });

  it('takes a missing TX_ACK (a v1 forwarder) as sent after the timeout', async () => {
    const { gw, tx } = await uplinkWithDownlink(['rx1', 'rx2'], { txAckTimeoutMs: 300 });
    gw.defaultTxAck = 'silent';
    gw.uplink(FRAME);
    const resp = await gw.waitFor((d) => d.id === ID.PULL_RESP);
    await settled(tx);
    expect(Date.now() - resp.at).toBeGreaterThanOrEqual(250);
    expect(tx().outcomes).toEqual([{ sent: 'rx1' }]);
    expect(gw.of(ID.PULL_RESP)).toHaveLength(1);
    expect(h.gs.stats().txAckTimeouts).toBe(1);
    // A late TX_ACK after that changes nothing.
    gw.txAck(resp.token, 'TOO_LATE');
    await sleep(100);
    expect(tx().outcomes).toHaveLength(1);
  });

  it('fails with no_gateway_path when the gateway never pulled', async () => {
    h = await startGatewayServer();
    let tx: Recorded | undefined;
    h.respond = ({ radios }) => {
      tx = transmission(radios[0]!, DOWN);
      return tx;
    };
    const gw = await h.gateway('AA555A0000000001');
    gw.uplink(FRAME);
    await settled(() => tx!);
    expect(h.calls[0]!.radios[0]!.downlinkPath).toBe(false);
    expect(tx!.outcomes).toEqual([{ failed: 'no_gateway_path' }]);
    expect(gw.of(ID.PULL_RESP)).toHaveLength(0);
  });

  it('fails with no_gateway_path once the last PULL_DATA is older than three keepalives', async () => {
    const { gw, tx } = await uplinkWithDownlink(['rx1'], { keepaliveSeconds: 0.1 });
    await sleep(400);
    expect(h.gs.connection(gw.eui)!.connected).toBe(false);
    gw.uplink(FRAME);
    await settled(tx);
    expect(h.calls[0]!.radios[0]!.downlinkPath).toBe(false);
    expect(tx().outcomes).toEqual([{ failed: 'no_gateway_path' }]);
  });

  it('finds the gateway by its registered ID when the request names no EUI', async () => {
    const { gw, tx } = await uplinkWithDownlink(['rx1']);
    const respond = h.respond;
    // The same transmission (its settle records into tx()), its windows naming only the ID.
    h.respond = (call) => {
      const t = respond(call)!;
      return { ...t, windows: t.windows.map((w) => ({ ...w, gateway: { gateway_id: 'gw-0001' } })) };
    };
    gw.uplink(FRAME);
    await gw.waitFor((d) => d.id === ID.PULL_RESP);
    await settled(tx);
    expect(tx().outcomes).toEqual([{ sent: 'rx1' }]);
  });

  it('goes on to the next window when the gateway of the first has no path', async () => {
    const { gw, tx } = await uplinkWithDownlink();
    const respond = h.respond;
    h.respond = (call) => {
      const t = respond(call)!;
      const gone = { gateway_id: 'gone', eui: 'FFFFFFFFFFFFFFFF' };
      return { ...t, windows: t.windows.map((w, i) => (i === 0 ? { ...w, gateway: gone } : w)) };
    };
    gw.uplink(FRAME);
    await settled(tx);
    expect(gw.of(ID.PULL_RESP).map((d) => d.json!.txpk)).toMatchObject([{ freq: 869.525 }]);
    expect(tx().outcomes).toEqual([{ sent: 'rx2' }]);
  });

  it('settles what waits for a TX_ACK as failed when the server closes', async () => {
    const { gw, tx } = await uplinkWithDownlink(['rx1'], { txAckTimeoutMs: 5000 });
    gw.defaultTxAck = 'silent';
    gw.uplink(FRAME);
    await gw.waitFor((d) => d.id === ID.PULL_RESP);
    await h.gs.close();
    await settled(tx);
    expect(tx().outcomes).toEqual([{ failed: 'gateway_server_closed' }]);
  });
});
