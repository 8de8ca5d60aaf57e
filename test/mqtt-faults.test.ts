/**
 * Load and faults against a real Mote (issue 7): publish floods at QoS 0 and 1, a thousand
 * clients connecting and dropping in a loop, many subscribers that never read, sessions that go
 * silent, sockets that never send CONNECT. Throughout, a well-behaved MQTT.js subscriber gets
 * every uplink injected meanwhile, and after each the server's connections, descriptors and JS
 * heap come back. mqtt-load.test.ts covers the same limits in-process; this is the whole server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churn, flood, type Raw, raw, session } from './helpers/abuse';
import { adminSession, appWithKey, call } from './helpers/api';
import { at } from './helpers/at';
import { closeReason } from './helpers/closed';
import { INSPECT, type Inspector, inspect } from './helpers/inspector';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { establishedOnPort, eventually, mb, openFds, tcpKeepaliveArmed } from './helpers/proc';
import { startUplinks, type UplinkSource, type Watcher, watchUplinks } from './helpers/traffic';

const APP = 'faults';
const DEVICES = ['dev-1', 'dev-2', 'dev-3', 'dev-4'];
const HEAP_SLACK = 16 * 1024 * 1024;

let mote: RunningMote;
let inspector: Inspector;
let key: string;
let watcher: Watcher;

beforeAll(async () => {
  // Queues far larger than a flood can fill, so every acknowledged push must be in one.
  mote = await startMote({ nodeArgs: INSPECT, env: { MOTE_QUEUE_CAPACITY: '1000000' } });
  inspector = await inspect(mote);
  key = await appWithKey(mote, APP, ['RIGHT_APPLICATION_ALL']);
  const admin = await adminSession(mote);
  for (const device of DEVICES) {
    const r = await call(mote, admin, 'POST', `/api/v3/applications/${APP}/devices`, {
      end_device: { ids: { device_id: device } },
    });
    expect(r.status).toBe(200);
  }
  watcher = await watchUplinks(mote, APP, key, { qos: 1 });
});

afterAll(async () => {
  inspector?.close();
  await watcher?.end();
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

/**
 * Runs `attack` while uplinks tagged `tag` flow; then the watcher must have every one, the
 * attack's connections must be gone and the JS heap back within `heapSlack` of where it was.
 */
async function underAttack<T>(
  tag: string,
  attack: (uplinks: UplinkSource) => Promise<T>,
  heapSlack = HEAP_SLACK,
): Promise<T> {
  const heapBefore = await inspector.heapAfterGc();
  const fdsBefore = openFds(mote.pid);
  const uplinks = startUplinks(mote, key, APP, at(DEVICES, 0), { tag, gapMs: 20 });
  const result = await attack(uplinks);
  await uplinks.stop();
  const caughtUp = await watcher.caughtUp(uplinks);
  // Only the watcher stays connected once the attack's sockets are closed or reaped.
  const reaped = await eventually(() => establishedOnPort(mote.mqttPort) <= 1, 30_000);
  const fdsBack = await eventually(() => openFds(mote.pid) <= fdsBefore + 2, 30_000);
  // What the server read before the attack ended is still being handled on a slow machine
  // (a QoS 0 flood's backlog): the heap must come back once that is done, not at one instant.
  let heapAfter = await inspector.heapAfterGc();
  for (let i = 0; i < 15 && heapAfter >= heapBefore + heapSlack; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    heapAfter = await inspector.heapAfterGc();
  }
  console.log(
    `  ${tag}: uplinks ${uplinks.accepted.length} (failed ${uplinks.failed}), lost ${watcher.missing(uplinks).length}; JS heap after GC ${mb(heapBefore)} → ${mb(heapAfter)}; fds ${fdsBefore} → ${openFds(mote.pid)}; server alive ${mote.alive()}`,
  );
  expect(mote.alive()).toBe(true);
  expect((await fetch(`${mote.url}/healthz`)).status).toBe(200);
  expect(uplinks.failed, uplinks.failures.join('; ')).toBe(0);
  expect(uplinks.accepted.length).toBeGreaterThan(0);
  expect(caughtUp, `missing ${watcher.missing(uplinks).join(',')}`).toBe(true);
  expect(reaped).toBe(true);
  expect(fdsBack).toBe(true);
  expect(heapAfter, `JS heap ${mb(heapBefore)} → ${mb(heapAfter)}`).toBeLessThan(heapBefore + heapSlack);
  return result;
}

const queued = async (): Promise<Set<string>> => {
  const cids = new Set<string>();
  for (const device of DEVICES) {
    const r = await call<{ downlinks: Array<{ correlation_ids?: string[] }> }>(
      mote,
      { key },
      'GET',
      `/api/v3/as/applications/${APP}/devices/${device}/down`,
    );
    for (const d of r.body.downlinks) for (const c of d.correlation_ids ?? []) cids.add(c);
  }
  return cids;
};

// Each waits on the server (reaping, timeouts, a busy machine): bounds, not expectations.
const BOUND = { timeout: 180_000 };

describe('load and faults', () => {
  it(
    'publish floods at QoS 0 and QoS 1: throttled, every PUBACKed push stored, others unaffected',
    BOUND,
    async () => {
      const { q0, q1 } = await underAttack('flood', async () => {
        const q0 = await flood(mote.mqttPort, APP, key, DEVICES, { qos: 0, tag: 'q0' });
        const q1 = await flood(mote.mqttPort, APP, key, DEVICES, { qos: 1, tag: 'q1' });
        await new Promise((r) => setTimeout(r, 8000));
        await Promise.all([q0.stop(), q1.stop()]);
        return { q0, q1 };
      });
      const stored = await queued();
      const q0Stored = [...stored].filter((c) => c.startsWith('q0:')).length;
      const lost = q1.ackedTags.filter((t) => !stored.has(t));
      console.log(
        `  flood: for ${q0.stats.seconds.toFixed(1)} s, QoS 0 sent ${q0.stats.sent}, stored ${q0Stored} (what the server had read before the reset is still handled); QoS 1 sent ${q1.stats.sent}, PUBACKed ${q1.stats.acked} (${Math.round(q1.stats.acked / q1.stats.seconds)}/s; limit 1 000/s per connection), PUBACKed but not stored ${lost.length}`,
      );
      expect(q1.stats.acked).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      // The per-connection rate limit slows a flood through TCP rather than taking it all.
      expect(q0Stored).toBeLessThan(q0.stats.sent);
    },
  );

  it('1 000 clients connecting and dropping in a loop', BOUND, async () => {
    // Measured as soon as the last one left: a closed session still held (a pending timer, a
    // registry entry) costs ~4 KB, so 3 000 of them show; 2 KB each leaves room for warm-up.
    const stats = await underAttack(
      'churn',
      async () => {
        const started = Date.now();
        const s = await churn(mote.mqttPort, APP, key, { clients: 1000, rounds: 3, concurrency: 50 });
        console.log(
          `  churn: ${s.connects} sessions opened (${Math.round(s.connects / ((Date.now() - started) / 1000))}/s), ${s.disconnected} left with DISCONNECT, ${s.dropped} dropped, ${s.refused} refused`,
        );
        return s;
      },
      3000 * 2048,
    );
    expect(stats.connects).toBe(3000);
    expect(stats.refused).toBe(0);
  });

  it(
    'subscribers that never read: bounded memory, QoS 1 ones disconnected, others get everything',
    BOUND,
    async () => {
      const before = await inspector.memoryAfterGc();
      let stalledMemory = before;
      const stalled = await underAttack('stalled', async (uplinks) => {
        const subs = [];
        for (let i = 0; i < 24; i++) {
          const qos = i % 4 === 0 ? 1 : 0;
          const s = await session(mote.mqttPort, APP, key, `stalled-${i}`);
          s.socket.write(Buffer.from([0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x23, qos]));
          await s.next('suback');
          s.socket.pause();
          subs.push({ s, qos });
        }
        // Big uplinks, so each stalled subscriber has far more waiting than socket buffers hold.
        const big = startUplinks(mote, key, APP, at(DEVICES, 1), { tag: 'big', gapMs: 0, bytes: 96 * 1024 });
        await eventually(() => big.accepted.length >= 200, 120_000);
        await big.stop();
        stalledMemory = await inspector.memoryAfterGc();
        expect(await watcher.caughtUp(uplinks)).toBe(true);
        for (const { s } of subs) s.socket.resume();
        const closes = await Promise.all(subs.filter(({ qos }) => qos === 1).map(({ s }) => closeReason(s)));
        const open = subs.filter(({ s }) => !s.isClosed()).length;
        for (const { s } of subs) s.socket.destroy();
        return { subs, open, closes, big: big.accepted.length };
      });
      const held = stalledMemory.arrayBuffers - before.arrayBuffers;
      console.log(
        `  stalled: 24 subscribers stopped reading (18 QoS 0, 6 QoS 1) during ${stalled.big} uplinks of ~128 KB; QoS 0 ones still open ${stalled.open}/18, QoS 1 ones disconnected 6/6; server buffers held for them ${mb(held)}, RSS ${mb(before.rss)} → ${mb(stalledMemory.rss)}`,
      );
      expect(stalled.open).toBe(18);
      // Ended by the server; MQTT 3.1.1 has no way to say why.
      expect(stalled.closes).toEqual(new Array(6).fill({ closed: 'by server' }));
      // Each stalled reader may hold 4 MB of messages; they are the same messages, so the server
      // holds them once: 24 copies would be ~100 MB.
      expect(held).toBeLessThan(24 * 1024 * 1024);
    },
  );

  it(
    'sessions that go silent are reaped by keepalive; keepalive 0 ones are left to TCP keepalive',
    BOUND,
    async () => {
      const reaped = await underAttack('silent', async () => {
        // Keepalive 0 turns MQTT's check off [MQTT-3.1.2-22]: were the peer gone without a FIN
        // or RST, only the kernel's TCP keepalive would ever notice.
        const unwatched: Raw[] = [];
        for (let i = 0; i < 20; i++)
          unwatched.push(await session(mote.mqttPort, APP, key, `no-keepalive-${i}`, 0));
        const probed = unwatched.filter((s) =>
          tcpKeepaliveArmed(mote.mqttPort, s.socket.localPort ?? 0),
        ).length;
        const silent: Raw[] = [];
        for (let i = 0; i < 100; i++) {
          // Keepalive 1–2 s, then neither a byte sent nor read: a peer that vanished.
          const s = await session(mote.mqttPort, APP, key, `silent-${i}`, 1 + (i % 2));
          s.socket.pause();
          silent.push(s);
        }
        const started = Date.now();
        // The server's ends of the silent ones close; the watcher's and the keepalive 0 ones stay.
        const gone = await eventually(() => establishedOnPort(mote.mqttPort) <= 1 + unwatched.length, 30_000);
        const ms = Date.now() - started;
        for (const s of [...silent, ...unwatched]) s.socket.destroy();
        return { gone, ms, probed };
      });
      console.log(
        `  silent: 100 sessions with keepalive 1–2 s went silent, all reaped after ${reaped.ms} ms; 20 with keepalive 0 under TCP keepalive: ${reaped.probed}`,
      );
      expect(reaped.gone).toBe(true);
      expect(reaped.probed).toBe(20);
    },
  );

  it(
    'sockets that never send CONNECT, or only part of it, are closed after the CONNECT timeout',
    BOUND,
    async () => {
      const result = await underAttack('no-connect', async () => {
        const sockets: Raw[] = [];
        for (let i = 0; i < 200; i++) {
          const r = await raw(mote.mqttPort);
          // Half send nothing, half the first bytes of a CONNECT and then one byte now and then.
          if (i % 2 === 1) r.socket.write(Buffer.from([0x10, 0x30, 0x00, 0x04]));
          sockets.push(r);
        }
        const trickle = setInterval(() => {
          for (const [i, r] of sockets.entries())
            if (i % 2 === 1 && !r.isClosed()) r.socket.write(Buffer.from('M'));
        }, 1000);
        // Meanwhile a real client still gets in.
        const good = await session(mote.mqttPort, APP, key, 'good-while-idle');
        good.socket.write(Buffer.from([0xc0, 0x00]));
        const ping = await good.next('pingresp');
        good.socket.destroy();
        const started = Date.now();
        const closes = await Promise.all(sockets.map((r) => closeReason(r)));
        clearInterval(trickle);
        const answered = sockets.filter((r) => r.packets.length > 0).length;
        return { ping, closes, answered, ms: Date.now() - started };
      });
      console.log(
        `  no-connect: 200 sockets without a whole CONNECT, all closed by the server ${result.ms} ms later`,
      );
      expect(result.ping).toBe(true);
      // Closed by the server, without a word: there was no CONNECT to answer.
      expect(result.closes).toEqual(new Array(200).fill({ closed: 'by server' }));
      expect(result.answered).toBe(0);
    },
  );
});
