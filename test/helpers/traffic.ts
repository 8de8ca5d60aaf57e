/**
 * Traffic that the reliability suites watch while they attack the server: uplinks injected one
 * by one through the simulate-uplink API, each carrying `<tag>:<number>`, and well-behaved MQTT.js
 * subscribers that record which ones reached them. "Nothing lost" is then a set comparison.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { isValidTopicName } from '../../lib/topics';
import type { RunningMote } from './mote';

export interface UplinkSource {
  tag: string;
  /** Numbers whose simulate call answered 200: the server took them. */
  accepted: number[];
  /** Calls answered otherwise, or that failed (counted, not retried). */
  failed: number;
  /** What went wrong with each call (status and body, or the fetch error), for the test's message. */
  failures: string[];
  stop(): Promise<void>;
}

/**
 * Posts uplinks for `deviceId`, one at a time with `gapMs` between them, until stopped. `bytes`
 * pads the payload (the API takes any size; the MQTT message grows with it).
 */
export function startUplinks(
  mote: RunningMote,
  key: string,
  appId: string,
  deviceId: string,
  options: { tag?: string; gapMs?: number; bytes?: number } = {},
): UplinkSource {
  const tag = options.tag ?? 'n';
  const gapMs = options.gapMs ?? 20;
  const pad = options.bytes ? `:${'x'.repeat(options.bytes)}` : '';
  const source: UplinkSource = {
    tag,
    accepted: [],
    failed: 0,
    failures: [],
    stop: async () => {},
  };
  let running = true;
  const post = () =>
    fetch(`${mote.url}/api/v3/as/applications/${appId}/devices/${deviceId}/up/simulate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        uplink_message: { f_port: 1, frm_payload: Buffer.from(`${tag}:${n}${pad}`).toString('base64') },
      }),
    });
  let n = 0;
  const loop = (async () => {
    for (; running; n++) {
      try {
        // Not retried: a request lost without an answer is a failure the test must see (the
        // server keeps idle connections long enough for clients to reuse them, webServer.ts).
        const res = await post();
        const text = await res.text();
        if (res.status === 200) source.accepted.push(n);
        else {
          source.failed++;
          source.failures.push(`${n}: ${res.status} ${text.slice(0, 200)}`);
        }
      } catch (err) {
        source.failed++;
        source.failures.push(`${n}: ${describe(err)}`);
      }
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  source.stop = async () => {
    running = false;
    await loop;
  };
  return source;
}

const describe = (err: unknown): string =>
  err instanceof Error ? `${err.message} ${String(err.cause ?? '')}`.trim() : String(err);

export interface Watcher {
  client: MqttClient;
  /** Uplinks received, as `<tag>:<number>`. */
  received: Set<string>;
  /** Topics received that no MQTT client should ever get (wildcards, NUL, another app). */
  invalidTopics: string[];
  /** Numbers `source` had accepted that this watcher has not received. */
  missing(source: UplinkSource): number[];
  /** Resolves true once every accepted uplink arrived, false if `timeoutMs` passes first. */
  caughtUp(source: UplinkSource, timeoutMs?: number): Promise<boolean>;
  end(): Promise<void>;
}

/** A well-behaved MQTT.js subscriber (`filter` defaults to all uplinks of the application). */
export async function watchUplinks(
  mote: RunningMote,
  appId: string,
  key: string,
  options: { qos?: 0 | 1; filter?: string } = {},
): Promise<Watcher> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
    username: appId,
    password: key,
    reconnectPeriod: 0,
    keepalive: 30,
  });
  const received = new Set<string>();
  const invalidTopics: string[] = [];
  const own = `v3/${appId}/devices/`;
  client.on('message', (topic, payload) => {
    if (!topic.startsWith(own) || !isValidTopicName(topic)) invalidTopics.push(topic);
    if (!topic.endsWith('/up')) return;
    const body = JSON.parse(payload.toString()) as { uplink_message?: { frm_payload?: string } };
    const text = Buffer.from(body.uplink_message?.frm_payload ?? '', 'base64').toString();
    received.add(text.split(':', 2).join(':'));
  });
  await client.subscribeAsync(options.filter ?? `v3/${appId}/devices/+/up`, { qos: options.qos ?? 0 });
  const missing = (source: UplinkSource) =>
    source.accepted.filter((n) => !received.has(`${source.tag}:${n}`));
  return {
    client,
    received,
    invalidTopics,
    missing,
    async caughtUp(source, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (missing(source).length > 0) {
        if (Date.now() > until) return false;
        await new Promise((r) => setTimeout(r, 50));
      }
      return true;
    },
    end: () => client.endAsync(true),
  };
}
