/**
 * The Semtech UDP socket: rate-limits each source, decodes, and dispatches to one handler per
 * packet type. Nothing a datagram holds can throw out of here or get a reply unless it decodes.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import { nowMs } from '../../clock';
import { KeyedRateLimiter, type Rate } from '../../mqtt/rate-limit';
import type { Transmission } from '../../ns/ports';
import type { RelayedTx, RelayResult } from '../cluster';
import type { Remote } from '../connections';
import type { UdpContext } from './context';
import { UdpDownlinks } from './downlink';
import { decodeUpstream } from './packets';
import { handlePullData } from './pullData';
import { handlePushData } from './pushData';

const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** A forwarder sends a few datagrams a second; this leaves room for a busy one and its bursts. */
export const DEFAULT_PER_SOURCE_RATE: Rate = { perSecond: 200, burst: 400 };

export interface UdpFrontendOptions {
  host: string;
  port: number;
  txAckTimeoutMs?: number;
  /** Per source address and port: one flooding sender cannot starve the others. */
  perSourceRate?: Rate;
}

export class UdpFrontend {
  private readonly socket: Socket;
  private readonly limiter: KeyedRateLimiter;
  private readonly downlinks: UdpDownlinks;
  private pruner?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly ctx: Omit<UdpContext, 'send'>,
    private readonly options: UdpFrontendOptions,
  ) {
    // Datagrams that arrive while the event loop is busy wait in the kernel's receive buffer;
    // the default (~208 KB, a few hundred datagrams) overflowed in a 200 ms stall at 1 000
    // uplinks/s. Linux caps it at net.core.rmem_max: raise that for more (docs/behaviour.md §9).
    this.socket = createSocket({
      type: isIPv6(options.host) ? 'udp6' : 'udp4',
      recvBufferSize: RECEIVE_BUFFER_BYTES,
    });
    this.limiter = new KeyedRateLimiter(options.perSourceRate ?? DEFAULT_PER_SOURCE_RATE);
    const full: UdpContext = { ...ctx, send: (datagram, to) => this.send(datagram, to) };
    this.downlinks = new UdpDownlinks(full, options.txAckTimeoutMs);
    this.socket.on('message', (msg, rinfo) => this.receive(full, msg, rinfo));
    this.socket.on('error', (err) => ctx.log.warn({ err }, 'udp socket error'));
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.options.port, this.options.host, () => {
        this.socket.off('error', reject);
        this.pruner = setInterval(() => this.limiter.prune(nowMs()), 10_000).unref();
        resolve(this.socket.address());
      });
    });
  }

  address(): AddressInfo {
    return this.socket.address();
  }

  transmit(tx: Transmission): void {
    this.downlinks.transmit(tx);
  }

  /** A PULL_RESP another instance asks for, through a gateway pulling here. */
  relayed(tx: RelayedTx): Promise<RelayResult> {
    return this.downlinks.relayed(tx);
  }

  close(): Promise<void> {
    clearInterval(this.pruner);
    this.closed = true;
    this.downlinks.close();
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  private send(datagram: Buffer, to: Remote): void {
    if (this.closed) return;
    this.socket.send(datagram, to.port, to.address, (err) => {
      if (err) this.ctx.log.debug({ err, to }, 'udp send failed');
    });
  }

  private receive(ctx: UdpContext, msg: Buffer, rinfo: RemoteInfo): void {
    const from: Remote = { address: rinfo.address, port: rinfo.port };
    if (!this.limiter.take(`${from.address}:${from.port}`, nowMs())) {
      ctx.stats.rateLimited++;
      return;
    }
    const decoded = decodeUpstream(msg);
    if (!decoded.ok) {
      ctx.stats.malformed++;
      ctx.log.debug({ from, reason: decoded.reason, size: msg.length }, 'malformed udp datagram dropped');
      return;
    }
    ctx.stats.datagrams++;
    const packet = decoded.packet;
    const done = (p: Promise<void>) =>
      p.catch((err: unknown) => {
        ctx.stats.errors++;
        ctx.log.warn({ err, eui: packet.eui }, 'udp datagram handling failed');
      });
    switch (packet.kind) {
      case 'push_data':
        done(handlePushData(ctx, packet, from));
        break;
      case 'pull_data':
        done(handlePullData(ctx, packet, from));
        break;
      case 'tx_ack':
        this.downlinks.acknowledged(packet.eui, packet.token, packet.error);
        break;
    }
  }
}
