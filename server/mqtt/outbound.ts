/**
 * Server → client delivery for one session, within a bounded buffer: a reader that stops loses
 * QoS 0 messages (counted, logged once per burst); QoS 1 waits for a free in-flight slot in a
 * queue that shares the same byte bound, and past it the subscriber is disconnected. Either
 * way it never stalls other sessions or grows memory without limit.
 */
import type { Connection } from './connection';
import { type EncodedPublish, withPacketId } from './encode';

interface WaitingQos1 {
  head: Buffer;
  payload: Buffer;
}

export class Outbound {
  /** Packet identifiers of QoS 1 messages sent and not yet acknowledged; made at the first. */
  private inflight: Set<number> | undefined;
  /** The client's Receive Maximum (MQTT 5) or the server's own cap. */
  inflightLimit: number;
  /** The client's Maximum Packet Size (MQTT 5); larger messages are not sent to it. */
  maxPacketSize = Number.POSITIVE_INFINITY;
  private nextMessageId = 0;
  private droppedInBurst = 0;
  private waiting: WaitingQos1[] = [];
  private waitingHead = 0;
  private waitingBytes = 0;

  constructor(private readonly conn: Connection) {
    this.inflightLimit = conn.ctx.options.maxInflight;
  }

  private get buffered(): number {
    return this.conn.transport.bufferedBytes() + this.waitingBytes;
  }

  deliver(message: EncodedPublish, qos: 0 | 1) {
    const v5 = this.conn.protocolVersion === 5;
    if (message.payload.length + message.topic.length + 16 > this.maxPacketSize) {
      // [MQTT-3.1.2-25] (MQTT 5) Never send a packet over the client's maximum: drop it.
      this.conn.ctx.counters.dropped++;
      return;
    }
    if (qos === 0) this.qos0(message.qos0(v5));
    else this.qos1(message.qos1Head(v5), message.payload);
  }

  private qos0(publish: Buffer) {
    const { ctx, log } = this.conn;
    if (this.buffered > ctx.options.maxOutboundBytes) {
      ctx.counters.dropped++;
      if (this.droppedInBurst++ === 0) log.warn('subscriber not reading; dropping QoS 0 messages');
      return;
    }
    if (this.droppedInBurst > 0) {
      log.warn({ dropped: this.droppedInBurst }, 'subscriber caught up');
      this.droppedInBurst = 0;
    }
    ctx.counters.messagesSent++;
    this.conn.transport.write(publish);
  }

  private qos1(head: Buffer, payload: Buffer) {
    const { ctx } = this.conn;
    if (this.buffered > ctx.options.maxOutboundBytes) {
      ctx.counters.slowDisconnects++;
      this.conn.close('subscriber not keeping up with QoS 1');
      return;
    }
    if ((this.inflight?.size ?? 0) >= this.inflightLimit) {
      this.waiting.push({ head, payload });
      this.waitingBytes += head.length + payload.length;
      return;
    }
    this.send(head, payload);
  }

  private send(head: Buffer, payload: Buffer) {
    this.inflight ??= new Set();
    const inflight = this.inflight;
    let id = this.nextMessageId;
    do id = (id % 0xffff) + 1;
    while (inflight.has(id));
    this.nextMessageId = id;
    inflight.add(id);
    this.conn.ctx.counters.messagesSent++;
    this.conn.transport.write(withPacketId(head, id, this.conn.protocolVersion === 5));
    this.conn.transport.write(payload);
  }

  /** PUBACK: the identifier is free again [MQTT-2.3.1-6], and a waiting message may go. */
  acknowledged(messageId: number) {
    if (!this.inflight?.delete(messageId)) return;
    const next = this.waiting[this.waitingHead];
    if (next === undefined) return;
    this.waitingHead++;
    this.waitingBytes -= next.head.length + next.payload.length;
    if (this.waitingHead === this.waiting.length) {
      this.waiting = [];
      this.waitingHead = 0;
    }
    this.send(next.head, next.payload);
  }
}
