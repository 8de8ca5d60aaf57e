/**
 * Downlink traffic whose every acknowledgement is written down: pushes over HTTP (200 = taken)
 * and over MQTT at QoS 1 (PUBACK = taken), each item carrying its own correlation ID, and the
 * user-visible ways to find out later what became of them (queue list, stored history).
 */
import { connect as tcpConnect } from 'node:net';
import { parser as createParser, generate, type Packet } from 'mqtt-packet';
import type { RunningMote } from './mote';
import type { Rng } from './prng';

export interface Acked {
  cid: string;
  device: string;
}

export interface Pusher {
  acked: Acked[];
  /** Requests answered with anything but success, or that failed in flight. */
  refused: number;
  stop(): Promise<void>;
}

const downlink = (rng: Rng, cid: string) => ({
  f_port: rng.range(1, 200),
  frm_payload: rng.bytes(rng.range(1, 8)).toString('base64'),
  priority: rng.pick(['NORMAL', 'HIGH', 'LOW']),
  confirmed: rng.chance(0.3),
  correlation_ids: [cid] satisfies [string],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `POST …/down/push` in `concurrency` loops, 1–3 items a request, `gapMs` apart, until stopped. */
export function httpPusher(
  mote: RunningMote,
  key: string,
  appId: string,
  devices: readonly string[],
  rng: Rng,
  options: { tag: string; concurrency?: number; gapMs?: number },
): Pusher {
  const p: Pusher = { acked: [], refused: 0, stop: async () => {} };
  let n = 0;
  let running = true;
  const loop = async () => {
    while (running) {
      const device = rng.pick(devices);
      const items = Array.from({ length: rng.range(1, 3) }, () => downlink(rng, `${options.tag}:h${n++}`));
      try {
        const res = await fetch(`${mote.url}/api/v3/as/applications/${appId}/devices/${device}/down/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ downlinks: items }),
        });
        await res.arrayBuffer();
        if (res.status === 200) for (const d of items) p.acked.push({ cid: d.correlation_ids[0], device });
        else p.refused++;
      } catch {
        p.refused++;
        return;
      }
      if (options.gapMs) await sleep(options.gapMs);
    }
  };
  const loops = Promise.all(Array.from({ length: options.concurrency ?? 2 }, loop));
  p.stop = async () => {
    running = false;
    await loops;
  };
  return p;
}

/**
 * `down/push` at QoS 1 on a raw MQTT 3.1.1 connection, `window` unacknowledged at a time, the
 * next `gapMs` after a PUBACK. An item counts once its PUBACK arrived; the run ends when stopped
 * or the connection closes.
 */
export function mqttPusher(
  port: number,
  appId: string,
  key: string,
  devices: readonly string[],
  rng: Rng,
  options: { tag: string; window?: number; gapMs?: number },
): Pusher {
  const p: Pusher = { acked: [], refused: 0, stop: async () => {} };
  const socket = tcpConnect(port, '127.0.0.1');
  const parser = createParser({ protocolVersion: 4 });
  const inflight = new Map<number, Acked>();
  let n = 0;
  let nextId = 0;
  let running = true;
  const send = (packet: Packet) => socket.write(generate(packet));
  const fill = () => {
    while (running && !socket.destroyed && inflight.size < (options.window ?? 8)) {
      const device = rng.pick(devices);
      const cid = `${options.tag}:m${n++}`;
      nextId = (nextId % 0xffff) + 1;
      inflight.set(nextId, { cid, device });
      send({
        cmd: 'publish',
        topic: `v3/${appId}/devices/${device}/down/push`,
        payload: JSON.stringify({ downlinks: [downlink(rng, cid)] }),
        qos: 1,
        messageId: nextId,
        dup: false,
        retain: false,
      });
    }
  };
  parser.on('packet', (packet: Packet) => {
    if (packet.cmd === 'connack') {
      if (packet.returnCode === 0) fill();
      else p.refused++;
    }
    if (packet.cmd === 'puback' && packet.messageId !== undefined) {
      const item = inflight.get(packet.messageId);
      inflight.delete(packet.messageId);
      if (item) p.acked.push(item);
      if (options.gapMs) setTimeout(fill, options.gapMs);
      else fill();
    }
  });
  socket.on('data', (d) => parser.parse(d));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.once('connect', () =>
    send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: `pusher-${options.tag}`,
      keepalive: 30,
      username: appId,
      password: Buffer.from(key),
    }),
  );
  p.stop = async () => {
    running = false;
    socket.destroy();
    await closed;
    p.refused += inflight.size;
  };
  return p;
}

/** What became of downlinks, as a user sees it: still in a queue, or stored as sent or failed. */
export interface Fates {
  queued: Set<string>;
  sent: Set<string>;
}

const cidsOf = (items: Array<{ correlation_ids?: string[] }>) =>
  items.flatMap((d) => d.correlation_ids ?? []);

/** `since` (RFC 3339) limits the history read to what was stored after it. */
export async function downlinkFates(
  mote: RunningMote,
  key: string,
  appId: string,
  devices: readonly string[],
  since?: string,
): Promise<Fates> {
  const get = async (path: string) => {
    const res = await fetch(`${mote.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.text();
  };
  const queued = new Set<string>();
  for (const device of devices) {
    const list = JSON.parse(await get(`/api/v3/as/applications/${appId}/devices/${device}/down`)) as {
      downlinks: Array<{ correlation_ids?: string[] }>;
    };
    for (const cid of cidsOf(list.downlinks)) queued.add(cid);
  }
  // Stored history (docs/behaviour.md §6): a downlink that went out is `downlink_sent`; one that gave up
  // after its retries is `downlink_failed` (which also means it was sent).
  const sent = new Set<string>();
  for (const type of ['downlink_sent', 'downlink_failed']) {
    const after = since ? `&after=${encodeURIComponent(since)}` : '';
    const path = `/api/v3/as/applications/${appId}/packages/storage/${type}?limit=10000${after}`;
    const lines = (await get(path)).split('\n');
    for (const line of lines.filter(Boolean)) {
      const up = (JSON.parse(line) as { result: { correlation_ids?: string[] } }).result;
      for (const cid of up.correlation_ids ?? []) sent.add(cid);
    }
  }
  return { queued, sent };
}
