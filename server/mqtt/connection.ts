/**
 * One client connection and its (clean) session: frames and parses what arrives and hands each
 * packet to the dispatcher in order; what the fan-out delivers goes through its bounded `outbound`.
 */
import { generate, type Packet } from 'mqtt-packet';
import type { MqttPrincipal } from '../auth/principal';
import type { MqttContext } from './context';
import { DownlinkPipeline } from './downlinkPipeline';
import { encodeConnack, encodeDisconnectV5 } from './encode';
import { type FrameError, Framer } from './framer';
import { dispatch } from './handlers';
import { Outbound } from './outbound';
import { type ParseTarget, parsePacket } from './packetParser';
import { TokenBucket } from './rate-limit';
import { connackCode, type DisconnectCode, DisconnectReason, type Refusal } from './reason-codes';
import { Subscriptions } from './subscriptions';
import type { Transport, TransportEvents } from './transport';
import { withinTurnBudget } from './turnBudget';

export type SessionState = 'awaiting-connect' | 'authenticating' | 'open' | 'closed';

export class Connection implements ParseTarget {
  private currentState: SessionState = 'awaiting-connect';
  protocolVersion = 4;
  /** The level packets are parsed at, from the CONNECT as it is parsed (packetParser.ts). */
  parseLevel: number | undefined;
  clientId = '';
  principal: MqttPrincipal | undefined;
  /** Set when the session logged in as `{app}@{tenant}`: its topics name the application so. */
  tenant: string | undefined;
  /** Rights resolved once at CONNECT, not per message. */
  canRead = false;
  canWriteDownlinks = false;
  keepaliveMs = 0;
  /** Inbound PUBLISHes dropped on this connection, so the log says it once per burst. */
  rejectedPublishes = 0;
  readonly subscriptions = new Subscriptions();
  readonly outbound: Outbound;
  private released: Set<number> | undefined;
  readonly publishBucket: TokenBucket;
  readonly acceptedAt: number;
  readonly transport: Transport;
  /** Made at the first log line: a child logger per idle connection is memory for nothing. */
  private logger: MqttContext['log'] | undefined;
  private lastRxAt: number;
  private rxSinceSweep = false;
  private readonly framer: Framer;
  private queue: Packet[] = [];
  private queueHead = 0;
  private busy = false;
  private paused = false;
  private pipeline: DownlinkPipeline | undefined;
  private closeReason = '';

  constructor(
    readonly ctx: MqttContext,
    openTransport: (events: TransportEvents) => Transport,
  ) {
    this.acceptedAt = this.lastRxAt = ctx.now();
    this.publishBucket = new TokenBucket(ctx.options.publishRate, this.acceptedAt);
    this.outbound = new Outbound(this);
    this.framer = new Framer(ctx.options.maxPacketSize, (packet) => {
      parsePacket(packet, this);
      return this.state !== 'closed';
    });
    this.transport = openTransport({
      data: (chunk) => this.onData(chunk),
      close: () => this.onTransportClose(),
    });
    ctx.connections.add(this);
    ctx.pending.track(this);
  }

  /** This connection's downlink operations in flight (downlinkPipeline.ts). */
  get downlinks(): DownlinkPipeline {
    this.pipeline ??= new DownlinkPipeline(this.ctx.options.maxDownlinksInFlight, (e) => {
      this.log.error({ err: e }, 'downlink operation failed');
      this.close('handler failure');
    });
    return this.pipeline;
  }

  /** An acknowledgement, sent after those of the downlinks still in flight [MQTT-4.6.0-2]. */
  acknowledgeInOrder(send: () => void) {
    if (this.pipeline) this.pipeline.acknowledge(send);
    else send();
  }

  /** Inbound QoS 2 packet identifiers between PUBREC and PUBREL [MQTT-4.3.3-2]. */
  get awaitingRelease(): Set<number> {
    this.released ??= new Set();
    return this.released;
  }

  /** This connection's logger: its address, and once CONNECT was accepted, who it is. */
  get log(): MqttContext['log'] {
    if (this.logger) return this.logger;
    const remote = this.transport.remoteAddress;
    const who = this.principal
      ? { app: this.applicationId, tenant: this.tenant, clientId: this.clientId }
      : {};
    this.logger = this.ctx.log.child({ remote, ...who });
    return this.logger;
  }

  /** A debug line, without making the logger when debug lines are off (the usual case). */
  debug(fields: Record<string, unknown>, message: string) {
    if (this.ctx.log.isLevelEnabled('debug')) this.log.debug(fields, message);
  }

  /** CONNECT accepted: later lines name the session (a logger made before did not). */
  identified() {
    this.logger = undefined;
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** Leaving the CONNECT phase, open or closed, frees the address's pending place. */
  set state(next: SessionState) {
    this.currentState = next;
    if (next === 'open' || next === 'closed') this.ctx.pending.settle(this);
  }

  get remoteAddress(): string {
    return this.transport.remoteAddress;
  }

  /** Dropped to make room for a connection from an address with none pending. */
  evict() {
    this.close('evicted: too many pending connections');
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

  /** For a packet nothing else goes out with (transport.ts `writeNow`). */
  sendNow(packet: Buffer) {
    this.transport.writeNow(packet);
  }

  /**
   * Refuse a CONNECT: CONNACK with the version's code, then close [MQTT-3.2.2-5]. MQTT 5 clients
   * also hear `reasonString` when given (§3.2.2.3.7).
   */
  refuse(refusal: Refusal, reason: string, reasonString?: string) {
    this.ctx.counters.refused++;
    const v5 = this.protocolVersion === 5;
    const code = connackCode(refusal, v5);
    const properties = reasonString === undefined ? undefined : { reasonString };
    this.send(
      v5
        ? generate(
            { cmd: 'connack', reasonCode: code, sessionPresent: false, properties },
            { protocolVersion: 5 },
          )
        : encodeConnack(code),
    );
    this.close(reason, true);
  }

  protocolError(reason: string, v5Reason: DisconnectCode = DisconnectReason.protocolError) {
    this.ctx.counters.protocolErrors++;
    this.close(reason, false, v5Reason);
  }

  /**
   * `graceful` lets written bytes out first. An MQTT 5 session is told why with a DISCONNECT
   * reason code first (§3.14), unless its buffer is full anyway.
   */
  close(reason: string, graceful = false, v5Reason?: DisconnectCode) {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.closeReason = reason;
    this.queue = [];
    this.queueHead = 0;
    if (wasOpen) this.ctx.sessions.remove(this);
    const tell = wasOpen && v5Reason !== undefined && this.protocolVersion === 5;
    if (tell && this.transport.bufferedBytes() <= this.ctx.options.maxOutboundBytes) {
      this.send(encodeDisconnectV5(v5Reason));
      this.transport.close(true);
    } else {
      this.transport.close(graceful);
    }
    this.debug({ reason }, 'mqtt connection closed');
  }

  /** Called by the server's sweep: CONNECT timeout, keepalive ×1.5, credential expiry. */
  checkTimers(now: number) {
    if (this.rxSinceSweep) {
      this.rxSinceSweep = false;
      this.lastRxAt = now;
    }
    if (this.state === 'awaiting-connect' || this.state === 'authenticating') {
      // A server may close a connection that sends no CONNECT in reasonable time (§3.1.4).
      if (now - this.acceptedAt > this.ctx.pending.connectDeadlineMs()) this.close('no CONNECT in time');
      return;
    }
    if (this.state !== 'open') return;
    // [MQTT-3.1.2-24] nothing received for 1.5 × keepalive: disconnect.
    if (this.keepaliveMs > 0 && now - this.lastRxAt > this.keepaliveMs * 1.5) {
      this.close('keepalive timeout', false, DisconnectReason.keepAliveTimeout);
    }
    const expiresAt = this.principal?.expiresAt;
    if (expiresAt && now >= expiresAt.getTime())
      this.close('credential expired', false, DisconnectReason.notAuthorized);
  }

  private onData(chunk: Buffer) {
    if (this.state === 'closed') return;
    this.rxSinceSweep = true;
    let error: FrameError | undefined;
    try {
      error = this.framer.push(chunk);
    } catch (e) {
      this.log.warn({ err: e }, 'mqtt parse failure');
      this.protocolError('parse failure');
      return;
    }
    // A packet announced larger than the limit is refused before its body is buffered.
    if (error === 'too-large') this.protocolError('packet too large', DisconnectReason.packetTooLarge);
    if (error === 'malformed-length')
      this.protocolError('malformed remaining length', DisconnectReason.malformedPacket);
  }

  onParseError(e: Error) {
    if (this.state === 'closed') return;
    // [MQTT-3.1.2-2] a protocol level we do not speak gets 0x01, then the connection closes.
    // mqtt-packet's parser says so only in its message ("Invalid protocol version", "Invalid
    // protocolId"): it has no error code, so its text is matched here.
    if (this.state === 'awaiting-connect' && /protocol ?(version|id)/i.test(e.message)) {
      this.refuse('protocol', e.message);
      return;
    }
    this.debug({ err: e.message }, 'malformed mqtt packet');
    this.protocolError(`malformed packet: ${e.message}`, DisconnectReason.malformedPacket);
  }

  onPacket(packet: Packet) {
    if (this.state === 'closed') return;
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

  /**
   * Packets are handled in order. QoS 0 and 1 PUBLISHes may overlap while the downlink queue
   * stores them (downlinkPipeline.ts); any other packet waits until they are done.
   */
  private run(packet: Packet) {
    let pending: Promise<void> | undefined;
    try {
      const overlaps = packet.cmd === 'publish' && packet.qos < 2;
      pending =
        this.pipeline && !this.pipeline.idle && !overlaps
          ? this.pipeline.drained().then(() => (this.isClosed() ? undefined : dispatch(this, packet)))
          : dispatch(this, packet);
    } catch (e) {
      this.log.error({ err: e, cmd: packet.cmd }, 'mqtt handler failed');
      this.close('handler failure');
      return;
    }
    if (!pending) return;
    this.busy = true;
    pending.then(this.yieldThenResume, (e: unknown) => {
      this.log.error({ err: e, cmd: packet.cmd }, 'mqtt handler failed');
      this.busy = false;
      this.close('handler failure');
    });
  }

  /** Past the turn's budget, the next queued packet waits for the event loop's next turn. */
  private readonly yieldThenResume = () => {
    if (this.queueHead < this.queue.length && !withinTurnBudget()) setImmediate(this.resumeAfterAsync);
    else this.resumeAfterAsync();
  };

  private readonly resumeAfterAsync = () => {
    this.busy = false;
    while (!this.busy && this.state !== 'closed') {
      const next = this.queue[this.queueHead];
      if (next === undefined) break;
      this.queueHead++;
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
