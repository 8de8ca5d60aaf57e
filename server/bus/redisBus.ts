/**
 * The event bus across instances (docs/adr/0008): each message is delivered to this instance's
 * listeners at once, as the local bus does, and PUBLISHed once to Redis on its application's
 * channel, `{prefix}up:{app}`; every other instance subscribed to that channel hands it to its
 * listeners. An instance subscribes to an application's channel only while it has listeners for
 * it, so it receives only the traffic its sessions want.
 *
 * Exactly once per listener: an instance skips its own echo (the frame's origin), and a
 * `'*'` listener hears the pattern subscription only, an application's listeners the channel
 * only, though Redis sends both to a connection holding both.
 *
 * Order per device: messages from one instance reach every other in the order published (one
 * connection each way, and Redis keeps Pub/Sub order per connection). A device's traffic comes
 * from one instance at a time (the one its gateway or simulator lease is on).
 *
 * Redis away: local delivery goes on; what is published meanwhile is dropped for the other
 * instances and counted (`dropped`); ioredis reconnects and resubscribes, and the bus resumes.
 * Pub/Sub keeps nothing for a subscriber that is away, as MQTT QoS 0 does not.
 */

import type { RedisLink } from '../cluster/redis';
import type { Logger } from '../log';
import { type BusListener, type BusMessage, deliverTo, type EventBus } from './bus';
import { decodeBusMessage, encodeBusMessage, sentBy } from './codec';

export interface RedisBus extends EventBus {
  /** Messages not handed to Redis (it was away), since start. */
  readonly dropped: number;
  /** Resolves once Redis has confirmed every subscription asked for so far (tests wait on it). */
  settled(): Promise<void>;
  /** Leaves every channel; the link itself is closed by its owner. */
  close(): Promise<void>;
}

export function createRedisBus(
  link: RedisLink,
  log: Logger,
  onListenerError: (e: unknown) => void = () => {},
) {
  const { cmd, sub, origin, prefix } = link;
  const channelPrefix = `${prefix}up:`;
  const pattern = `${channelPrefix}*`;
  const byApp = new Map<string, Set<BusListener>>();
  let dropped = 0;
  let warned = false;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const settled = p.catch(subscribed).finally(() => pending.delete(settled));
    pending.add(settled);
  };

  const deliver = (set: Set<BusListener> | undefined, message: BusMessage) =>
    deliverTo(set, message, onListenerError);
  const fromOthers = (frame: Buffer, listeners: Set<BusListener> | undefined) => {
    if (!listeners || sentBy(frame, origin)) return;
    const message = decodeBusMessage(frame);
    if (message) deliver(listeners, message);
  };
  const subscribed = (err: unknown) => {
    if (err) log.warn({ err }, 'redis bus: subscription change failed; ioredis retries on reconnect');
  };

  const onMessage = (channel: Buffer, frame: Buffer) => {
    if (!channel.toString('latin1').startsWith(channelPrefix)) return;
    fromOthers(frame, byApp.get(channel.toString('latin1', channelPrefix.length)));
  };
  const onPattern = (matched: string, _channel: Buffer, frame: Buffer) => {
    if (matched === pattern) fromOthers(frame, byApp.get('*'));
  };
  sub.on('messageBuffer', onMessage);
  sub.on('pmessageBuffer', onPattern);

  const bus: RedisBus = {
    get dropped() {
      return dropped;
    },
    publish(message) {
      deliver(byApp.get(message.applicationId), message);
      deliver(byApp.get('*'), message);
      cmd.publish(`${channelPrefix}${message.applicationId}`, encodeBusMessage(origin, message)).then(
        () => {
          warned = false;
        },
        (err: unknown) => {
          dropped++;
          if (!warned)
            log.warn({ err }, 'redis bus: publish failed; other instances miss messages until Redis is back');
          warned = true;
        },
      );
    },
    subscribe(applicationId, listener) {
      let set = byApp.get(applicationId);
      if (!set) {
        set = new Set();
        byApp.set(applicationId, set);
        track(
          applicationId === '*' ? sub.psubscribe(pattern) : sub.subscribe(`${channelPrefix}${applicationId}`),
        );
      }
      const listeners = set;
      listeners.add(listener);
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0 || byApp.get(applicationId) !== listeners)
          return;
        byApp.delete(applicationId);
        track(
          applicationId === '*'
            ? sub.punsubscribe(pattern)
            : sub.unsubscribe(`${channelPrefix}${applicationId}`),
        );
      };
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
    async close() {
      sub.off('messageBuffer', onMessage);
      sub.off('pmessageBuffer', onPattern);
      byApp.clear();
    },
  };
  return bus;
}
