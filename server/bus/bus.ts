/**
 * The event bus: every ApplicationUp is published once, and each live consumer (the MQTT
 * frontend, and through it the console) subscribes per application. History is not a consumer:
 * the core records what it publishes (docs/adr/0005). In-process here; a Redis or NATS bus
 * would implement the same interface so several instances can share traffic.
 */

import type { UpEvent } from '../../lib/topics';

/**
 * Topic suffix after `v3/{app}/devices/{dev}/` (docs/behaviour.md §3): an ApplicationUp body's, or a
 * console-only event's (`up/decode/failed`). Declared in lib/topics.ts (UP_MESSAGES).
 */
export type { UpEvent };

export interface BusMessage {
  applicationId: string;
  deviceId: string;
  event: UpEvent;
  /** Full MQTT topic, `v3/{app}/devices/{dev}/{event}`. */
  topic: string;
  /** The ApplicationUp serialized once as proto-JSON; every consumer shares this Buffer. */
  payload: Buffer;
  /** Body field name of the ApplicationUp (`uplink_message`, …) for history and filters. */
  type: string;
  receivedAt: string;
  correlationIds: readonly string[];
  /**
   * `console`: only the console's own MQTT sessions receive it — TTS events that are not
   * ApplicationUp messages, which TTS clients never see on MQTT.
   */
  audience?: 'console';
}

export type BusListener = (message: BusMessage) => void;

export interface EventBus {
  publish(message: BusMessage): void;
  /** `applicationId` `'*'` receives every application's traffic. */
  subscribe(applicationId: string, listener: BusListener): () => void;
}

/** Hands `message` to each listener of `set`; one failing consumer must not keep it from the others. */
export function deliverTo(
  set: Set<BusListener> | undefined,
  message: BusMessage,
  onListenerError: (e: unknown) => void,
) {
  if (!set) return;
  for (const listener of set) {
    try {
      listener(message);
    } catch (e) {
      onListenerError(e);
    }
  }
}

export function createLocalBus(onListenerError: (e: unknown) => void = () => {}): EventBus {
  const byApp = new Map<string, Set<BusListener>>();
  const listenersOf = (app: string) => {
    let set = byApp.get(app);
    if (!set) {
      set = new Set();
      byApp.set(app, set);
    }
    return set;
  };
  const deliver = (set: Set<BusListener> | undefined, message: BusMessage) =>
    deliverTo(set, message, onListenerError);
  return {
    publish(message) {
      deliver(byApp.get(message.applicationId), message);
      deliver(byApp.get('*'), message);
    },
    subscribe(applicationId, listener) {
      const set = listenersOf(applicationId);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) byApp.delete(applicationId);
      };
    },
  };
}
