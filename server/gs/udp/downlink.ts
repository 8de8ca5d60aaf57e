/**
 * A Transmission through a UDP gateway: PULL_RESP for the first window, then the TX_ACK with the
 * same token decides (PROTOCOL.TXT §5.4, §6). `NONE` (or no error field): sent. An error
 * (`TOO_LATE`, `TOO_EARLY`, `COLLISION_*`, `TX_FREQ`, …): the next window (RX2) if there is one,
 * else failed with that error. No TX_ACK in time: sent, since forwarders before protocol v2
 * never answer. `settle` is called exactly once per Transmission.
 */
import { randomInt } from 'node:crypto';
import type { Transmission, TxOutcome, TxRequest } from '../../ns/ports';
import type { UdpContext } from './context';
import { encodePullResp } from './packets';
import { toTxpk } from './txpk';

export const DEFAULT_TX_ACK_TIMEOUT_MS = 2000;

interface Waiting {
  window: TxRequest['window'];
  timer: NodeJS.Timeout;
  onAck(error: string): void;
  abandon(): void;
}

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

  private attempt(windows: readonly TxRequest[], index: number, settle: (o: TxOutcome) => void): void {
    const request = windows[index];
    const eui = request && this.euiOf(request);
    const to = eui && this.ctx.connections.downlinkAddress(eui);
    if (!request || !eui || !to) {
      // A later window may name another gateway that can still be reached.
      if (index + 1 < windows.length) this.attempt(windows, index + 1, settle);
      else settle({ failed: 'no_gateway_path' });
      return;
    }
    const token = this.freeToken(eui);
    const key = `${eui}:${token}`;
    this.waiting.set(key, {
      window: request.window,
      timer: setTimeout(() => {
        this.waiting.delete(key);
        this.ctx.stats.txAckTimeouts++;
        settle({ sent: request.window });
      }, this.txAckTimeoutMs),
      onAck: (error) => {
        if (error === 'NONE') settle({ sent: request.window });
        else if (index + 1 < windows.length) this.attempt(windows, index + 1, settle);
        else settle({ failed: error });
      },
      abandon: () => settle({ failed: 'gateway_server_closed' }),
    });
    this.ctx.send(encodePullResp(token, toTxpk(request)), to);
    this.ctx.stats.downlinks++;
    this.ctx.connections.count(eui, 'downlinks');
    this.ctx.connections.record(eui, {
      kind: 'down',
      window: request.window,
      frequency: request.frequency,
      size: request.phyPayload.length,
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
