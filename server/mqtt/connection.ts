/**
 * One client connection and its (clean) session: parses what arrives, hands each packet to the
 * dispatcher in order, and writes what the fan-out delivers within a bounded buffer.
 */
import { parser as createParser, type Packet, type Parser } from 'mqtt-packet';
import type { MqttContext } from './context';
import { CONNACK_V5_UNSUPPORTED, ConnackCode, encodeConnack, withPacketId } from './encode';
import { dispatch } from './handlers';
import type { MqttPrincipal } from './ports';
import { TokenBucket } from './rate-limit';
import { Subscriptions } from './subscriptions';
import type { Transport, TransportEvents } from './transport';

export type SessionState = 'awaiting-connect' | 'authenticating' | 'open' | 'closed';

export class Connection {
  state: SessionState = 'awaiting-connect';
  protocolVersion = 4;
  clientId = '';
  principal: MqttPrincipal | undefined;
  /** Rights resolved once at CONNECT, not per message. */
  canRead = false;
  canWriteDownlinks = false;
  keepaliveMs = 0;
  /** Inbound PUBLISHes dropped on this connection, so the log says it once per burst. */
  rejectedPublishes = 0;
  readonly subscriptions = new Subscriptions();
  /** Packet identifiers of server→client QoS 1 messages not yet acknowledged. */
  readonly inflight = new Set<number>();
  /** Inbound QoS 2 packet identifiers between PUBREC and PUBREL [MQTT-4.3.3-2]. */
  readonly awaitingRelease = new Set<number>();
  readonly publishBucket: TokenBucket;
  readonly acceptedAt: number;
  readonly transport: Transport;
  log: MqttContext['log'];
  private lastRxAt: number;
  private rxSinceSweep = false;
  private nextMessageId = 0;
  private droppedInBurst = 0;
  private readonly parser: Parser;
  private queue: Packet[] = [];
  private queueHead = 0;
  private busy = false;
  private paused = false;
  private closeReason = '';

  constructor(
    readonly ctx: MqttContext,
    openTransport: (events: TransportEvents) => Transport,
  ) {
    this.acceptedAt = this.lastRxAt = ctx.now();
    this.publishBucket = new TokenBucket(ctx.options.publishRate, this.acceptedAt);
    this.parser = createParser();
    this.parser.on('packet', (packet: Packet) => this.onPacket(packet));
    this.parser.on('error', (e: Error) => this.onParseError(e));
    this.transport = openTransport({
      data: (chunk) => this.onData(chunk),
      close: () => this.onTransportClose(),
    });
    this.log = ctx.log.child({ remote: this.transport.remoteAddress });
    ctx.connections.add(this);
  }

  /** A method, not a field read, so TypeScript does not narrow it away across an await. */
  isClosed(): boolean {
    return this.state === 'closed';
  }

  get applicationId(): string {
    return this.principal?.applicationId ?? '';
  }

  send(packet: Buffer) {
    this.transport.write(packet);
  }

  /** QoS 0: dropped, not queued, when the subscriber's buffer is full — it never stalls others. */
  deliverQos0(publish: Buffer) {
    if (this.transport.bufferedBytes() > this.ctx.options.maxOutboundBytes) {
      this.ctx.counters.dropped++;
      if (this.droppedInBurst++ === 0) this.log.warn('subscriber not reading; dropping QoS 0 messages');
      return;
    }
    if (this.droppedInBurst > 0) {
      this.log.warn({ dropped: this.droppedInBurst }, 'subscriber caught up');
      this.droppedInBurst = 0;
    }
    this.ctx.counters.messagesSent++;
    this.transport.write(publish);
  }

  /** QoS 1 cannot be dropped, so a subscriber that cannot take it any more is disconnected. */
  deliverQos1(head: Buffer, payload: Buffer) {
    const { maxOutboundBytes, maxInflight } = this.ctx.options;
    if (this.transport.bufferedBytes() > maxOutboundBytes || this.inflight.size >= maxInflight) {
      this.ctx.counters.slowDisconnects++;
      this.close('subscriber not keeping up with QoS 1');
      return;
    }
    let id = this.nextMessageId;
    do id = (id % 0xffff) + 1;
    while (this.inflight.has(id));
    this.nextMessageId = id;
    this.inflight.add(id);
    this.ctx.counters.messagesSent++;
    this.transport.write(withPacketId(head, id));
    this.transport.write(payload);
  }

  /** Refuse a CONNECT [MQTT-3.2.2-5]: CONNACK with the code, then close. */
  refuse(code: number, reason: string) {
    this.ctx.counters.refused++;
    this.send(this.protocolVersion === 5 ? CONNACK_V5_UNSUPPORTED : encodeConnack(code));
    this.close(reason, true);
  }

  protocolError(reason: string) {
    this.ctx.counters.protocolErrors++;
    this.close(reason);
  }

  close(reason: string, flush = false) {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.closeReason = reason;
    this.queue = [];
    this.queueHead = 0;
    if (wasOpen) this.ctx.sessions.remove(this);
    this.transport.close(flush);
    this.log.debug({ reason }, 'mqtt connection closed');
  }

  /** Called by the server's sweep: CONNECT timeout, keepalive ×1.5, credential expiry. */
  checkTimers(now: number) {
    if (this.rxSinceSweep) {
      this.rxSinceSweep = false;
      this.lastRxAt = now;
    }
    if (this.state === 'awaiting-connect' || this.state === 'authenticating') {
      // A server may close a connection that sends no CONNECT in reasonable time (§3.1.4).
      if (now - this.acceptedAt > this.ctx.options.connectTimeoutMs) this.close('no CONNECT in time');
      return;
    }
    if (this.state !== 'open') return;
    // [MQTT-3.1.2-24] nothing received for 1.5 × keepalive: disconnect.
    if (this.keepaliveMs > 0 && now - this.lastRxAt > this.keepaliveMs * 1.5) this.close('keepalive timeout');
    const expiresAt = this.principal?.expiresAt;
    if (expiresAt && now >= expiresAt.getTime()) this.close('credential expired');
  }

  private onData(chunk: Buffer) {
    this.rxSinceSweep = true;
    try {
      const pending = this.parser.parse(chunk);
      if (pending > this.ctx.options.maxPacketSize) this.protocolError('packet too large');
    } catch (e) {
      this.log.warn({ err: e }, 'mqtt parse failure');
      this.protocolError('parse failure');
    }
  }

  private onParseError(e: Error) {
    if (this.state === 'closed') return;
    // [MQTT-3.1.2-2] a protocol level we do not speak gets 0x01, then the connection closes.
    if (this.state === 'awaiting-connect' && /protocol ?(version|id)/i.test(e.message)) {
      this.refuse(ConnackCode.unacceptableProtocolVersion, e.message);
      return;
    }
    this.log.debug({ err: e.message }, 'malformed mqtt packet');
    this.protocolError(`malformed packet: ${e.message}`);
  }

  private onPacket(packet: Packet) {
    if (this.state === 'closed') return;
    if ((packet.length ?? 0) > this.ctx.options.maxPacketSize) {
      this.protocolError('packet too large');
      return;
    }
    if (this.busy) {
      this.queue.push(packet);
      if (!this.paused && this.queue.length - this.queueHead >= this.ctx.options.maxQueuedPackets) {
        this.paused = true;
        this.transport.pause();
      }
      return;
    }
    this.run(packet);
  }

  /** Packets are handled strictly in order, so PUBACKs go out in PUBLISH order [MQTT-4.6.0-2]. */
  private run(packet: Packet) {
    let pending: Promise<void> | undefined;
    try {
      pending = dispatch(this, packet);
    } catch (e) {
      this.log.error({ err: e, cmd: packet.cmd }, 'mqtt handler failed');
      this.close('handler failure');
      return;
    }
    if (!pending) return;
    this.busy = true;
    pending.then(this.resumeAfterAsync, (e: unknown) => {
      this.log.error({ err: e, cmd: packet.cmd }, 'mqtt handler failed');
      this.busy = false;
      this.close('handler failure');
    });
  }

  private readonly resumeAfterAsync = () => {
    this.busy = false;
    while (!this.busy && this.state !== 'closed' && this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead++];
      this.run(next);
    }
    if (this.queueHead >= this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
    if (this.paused && !this.busy && this.state !== 'closed') {
      this.paused = false;
      this.transport.resume();
    }
  };

  private onTransportClose() {
    this.close(this.closeReason || 'peer closed');
    this.ctx.connections.delete(this);
  }
}
