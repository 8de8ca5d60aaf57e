/**
 * A Transmission through a UDP gateway: PULL_RESP for the first window, then the TX_ACK with the
 * same token decides (PROTOCOL.TXT §5.4, §6). `NONE` (or no error field): sent. An error
 * (`TOO_LATE`, `TOO_EARLY`, `COLLISION_*`, `TX_FREQ`, …): the next window (RX2) if there is one,
 * else failed with that error. No TX_ACK in time: sent, since forwarders before protocol v2
 * never answer. `settle` is called exactly once per Transmission.
 *
 * In a cluster, a gateway whose latest PULL_DATA reached another instance is reached through it
 * (server/gs/cluster.ts): that instance sends the PULL_RESP and reads the TX_ACK (`relayed`), this
 * one decides and settles as it would have, so the downlink's events are produced once, here.
 */
import { randomInt } from 'node:crypto';
import type { Transmission, TxOutcome, TxRequest } from '../../ns/ports';
import { type RelayedTx, type RelayResult, within } from '../cluster';
import type { Remote } from '../connections';
import type { UdpContext } from './context';
import { encodePullResp } from './packets';
import { type Txpk, toTxpk } from './txpk';

export const DEFAULT_TX_ACK_TIMEOUT_MS = 2000;
/** Two Pub/Sub hops on top of the holder's own wait for the TX_ACK. */
const RELAY_MARGIN_MS = 1000;

interface Waiting {
  window: TxRequest['window'];
  timer: NodeJS.Timeout;
  onAck(error: string): void;
  abandon(): void;
}

type Expect = Omit<Waiting, 'timer'> & { onTimeout(): void };

export class UdpDownlinks {
  private readonly waiting = new Map<string, Waiting>();
  private closed = false;

  constructor(
    private readonly ctx: UdpContext,
    private readonly txAckTimeoutMs = DEFAULT_TX_ACK_TIMEOUT_MS,
  ) {}

  transmit(tx: Transmission): void {
    let settled = false;
    const settle = (outcome: TxOutcome) => {
      if (settled) return;
      settled = true;
      tx.settle(outcome).catch((err: unknown) => {
        this.ctx.stats.errors++;
        this.ctx.log.warn({ err, outcome }, 'settling a transmission failed');
      });
    };
    if (this.closed) settle({ failed: 'gateway_server_closed' });
    else this.attempt(tx.windows, 0, settle);
  }

  /** A TX_ACK: true when it answered a PULL_RESP still waiting. */
  acknowledged(eui: string, token: number, error: string): boolean {
    const key = `${eui}:${token}`;
    const waiting = this.waiting.get(key);
    this.ctx.connections.txAck(eui, error);
    this.ctx.connections.record(eui, {
      kind: 'tx_ack',
      result: error,
      ...(waiting ? { window: waiting.window } : {}),
    });
    if (!waiting) return false;
    this.waiting.delete(key);
    clearTimeout(waiting.timer);
    waiting.onAck(error);
    return true;
  }

  /** Shutdown: what still waits for its TX_ACK fails, so the downlink stays queued. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.abandon();
    }
    this.waiting.clear();
  }

  /** Another instance asks for a PULL_RESP through a gateway pulling here: the TX_ACK's answer. */
  relayed(tx: RelayedTx): Promise<RelayResult> {
    const to = this.ctx.connections.downlinkAddress(tx.eui);
    if (!to || this.closed) return Promise.resolve('NO_PATH');
    return new Promise((resolve) => {
      this.send(tx.eui, to, tx.txpk, {
        window: tx.window,
        onTimeout: () => resolve('TIMEOUT'),
        onAck: resolve,
        abandon: () => resolve('NO_PATH'),
      });
    });
  }

  private attempt(windows: readonly TxRequest[], index: number, settle: (o: TxOutcome) => void): void {
    const request = windows[index];
    const eui = request && this.euiOf(request);
    const to = eui && this.ctx.connections.downlinkAddress(eui);
    // A later window may name another gateway that can still be reached.
    const next = (failed: string) => {
      if (index + 1 < windows.length) this.attempt(windows, index + 1, settle);
      else settle({ failed });
    };
    if (request && eui && !to && this.ctx.cluster) {
      this.attemptElsewhere(request, eui, next, settle);
      return;
    }
    if (!request || !eui || !to) {
      next('no_gateway_path');
      return;
    }
    this.send(eui, to, toTxpk(request), {
      window: request.window,
      onTimeout: () => settle({ sent: request.window }),
      onAck: (error) => {
        if (error === 'NONE') settle({ sent: request.window });
        else next(error);
      },
      abandon: () => settle({ failed: 'gateway_server_closed' }),
    });
  }

  /** The gateway pulls on another instance, or nowhere: that instance transmits, this one settles. */
  private attemptElsewhere(
    request: TxRequest,
    eui: string,
    next: (failed: string) => void,
    settle: (o: TxOutcome) => void,
  ): void {
    const cluster = this.ctx.cluster;
    if (!cluster) {
      next('no_gateway_path');
      return;
    }
    const relay = async () => {
      const holder = await within(cluster.pullHolder(eui), RELAY_MARGIN_MS);
      if (!holder) return next('no_gateway_path');
      if (this.closed) return settle({ failed: 'gateway_server_closed' });
      const tx = { eui, txpk: toTxpk(request), window: request.window };
      const result = await cluster.relay(holder, tx, this.txAckTimeoutMs + RELAY_MARGIN_MS);
      if (result !== 'NO_PATH') this.ctx.stats.downlinksRelayed++;
      // As here: no TX_ACK is a v1 forwarder's silence, taken as sent.
      if (result === 'NONE' || result === 'TIMEOUT') settle({ sent: request.window });
      else if (result === 'NO_PATH') next('no_gateway_path');
      // No answer from the holder: whether the gateway sent is unknown; the downlink stays queued.
      else if (result === 'RELAY_TIMEOUT') settle({ failed: 'gateway_relay_timeout' });
      else next(result);
    };
    relay().catch(() => next('no_gateway_path'));
  }

  /** PULL_RESP to the gateway; `expect` says what its TX_ACK, or its absence, means. */
  private send(eui: string, to: Remote, txpk: Txpk, expect: Expect): void {
    const token = this.freeToken(eui);
    const key = `${eui}:${token}`;
    this.waiting.set(key, {
      window: expect.window,
      timer: setTimeout(() => {
        this.waiting.delete(key);
        this.ctx.stats.txAckTimeouts++;
        expect.onTimeout();
      }, this.txAckTimeoutMs),
      onAck: expect.onAck,
      abandon: expect.abandon,
    });
    this.ctx.send(encodePullResp(token, txpk), to);
    this.ctx.stats.downlinks++;
    this.ctx.connections.count(eui, 'downlinks');
    this.ctx.connections.record(eui, {
      kind: 'down',
      window: expect.window,
      // MHz with six decimals in the txpk: back to whole Hz.
      frequency: Math.round(txpk.freq * 1e6),
      size: txpk.size,
    });
  }
  private euiOf(request: TxRequest): string | undefined {
    const eui = request.gateway.eui?.toUpperCase();
    return eui ?? this.ctx.connections.euiOf(request.gateway.gateway_id);
  }

  /** A random token (PROTOCOL.TXT: "random token"), not one this gateway is still answering. */
  private freeToken(eui: string): number {
    for (;;) {
      const token = randomInt(0, 0x10000);
      if (!this.waiting.has(`${eui}:${token}`)) return token;
    }
  }
}
