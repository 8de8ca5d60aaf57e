/**
 * MQTT fuzzing (issue 7): at least 50 000 mutated and out-of-order packets against a real Mote,
 * over a few raw sockets. The server never crashes, never answers after a malformed packet,
 * never hangs a connection; a well-behaved subscriber gets every uplink injected meanwhile; the
 * sockets are all reaped and memory comes back near where it started.
 * Replay a run with FUZZ_SEED=<seed printed>; FUZZ_CASES sets the count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, appWithKey, call } from './helpers/api';
import { generateCase } from './helpers/fuzz/cases';
import type { Target } from './helpers/fuzz/packets';
import { newStats, runFuzz } from './helpers/fuzz/runner';
import { INSPECT, type Inspector, inspect } from './helpers/inspector';
import { mosquittoSub, type Subscriber } from './helpers/mosquitto';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';
import { seededRng, seedFrom } from './helpers/prng';
import { establishedOnPort, eventually, mb, openFds, rssBytes } from './helpers/proc';
import { startUplinks, type Watcher, watchUplinks } from './helpers/traffic';

const SEED = seedFrom('FUZZ_SEED');
const CASES = Number(process.env.FUZZ_CASES ?? 50_000);
const WARMUP = 3_000;
const SOCKETS = 24;
/** The fuzzers' source address; the well-behaved subscribers connect from 127.0.0.1. */
const ATTACKER = '127.0.0.2';
/**
 * "Near baseline", measured after a forced full GC: the JS heap within a few MB (code compiled
 * for paths first taken after the warm-up), RSS within what the allocator keeps of its peak.
 */
const HEAP_SLACK = 16 * 1024 * 1024;
const RSS_SLACK = 64 * 1024 * 1024;

let mote: RunningMote;
let inspector: Inspector;
let target: Target;
const watchers: Watcher[] = [];
/** Debian's mosquitto_sub on `#`: libmosquitto drops a connection on any malformed PUBLISH. */
let mosquitto: Subscriber;

beforeAll(async () => {
  // Brute-force slowing has its own suite: here it would hold back every refused CONNECT after
  // the tenth for up to 4 s and leave the rest of the protocol less fuzzed.
  mote = await startMote({ nodeArgs: INSPECT, env: { MOTE_MQTT_MAX_FAILURES: '100000000' } });
  inspector = await inspect(mote);
  const key = await appWithKey(mote, 'fuzz', ['RIGHT_APPLICATION_ALL']);
  const admin = await adminSession(mote);
  const dev = await call(mote, admin, 'POST', '/api/v3/applications/fuzz/devices', {
    end_device: { ids: { device_id: 'dev1' } },
  });
  expect(dev.status).toBe(200);
  target = { appId: 'fuzz', deviceId: 'dev1', key };
  watchers.push(
    await watchUplinks(mote, 'fuzz', key, { qos: 0, filter: '#' }),
    await watchUplinks(mote, 'fuzz', key, { qos: 1, filter: '#' }),
  );
  mosquitto = await mosquittoSub(mote.mqttPort, 'fuzz', key);
});

/** `n:<k>` uplink numbers mosquitto_sub printed. */
const mosquittoNumbers = () =>
  new Set(
    mosquitto.messages
      .filter((m) => m.topic.endsWith('/up'))
      .map((m) => {
        const up = m.json.uplink_message as { frm_payload?: string } | undefined;
        const text = Buffer.from(up?.frm_payload ?? '', 'base64').toString();
        return text.startsWith('n:') ? Number(text.slice(2)) : -1;
      }),
  );
const mosquittoConnects = () => mosquitto.output().split('sending CONNECT').length - 1;

afterAll(async () => {
  inspector?.close();
  mosquitto?.stop();
  await Promise.all(watchers.map((w) => w.end()));
  await mote?.stop();
  if (mote) removeDataDir(mote);
});

describe('MQTT fuzzing', () => {
  it(`survives ${CASES} mutated packets; other sessions keep receiving; memory returns`, {
    timeout: 300_000,
  }, async () => {
    console.log(
      `mqtt fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${CASES} cases, ${SOCKETS} sockets`,
    );
    const rng = seededRng(SEED);
    const stats = newStats();
    let generated = 0;
    const nextCase = (limit: number) => () =>
      generated < limit ? generateCase(rng, target, generated++) : undefined;
    // The MQTT.js watchers and mosquitto_sub stay connected; every other connection must go.
    const steady = watchers.length + 1;
    const uplinks = startUplinks(mote, target.key, 'fuzz', 'dev1', { gapMs: 10 });
    const rssStart = rssBytes(mote.pid);

    // A warm-up first, so the baseline includes what any busy server keeps (JIT, pools).
    await runFuzz({
      port: mote.mqttPort,
      localAddress: ATTACKER,
      target,
      sockets: SOCKETS,
      nextCase: nextCase(WARMUP),
      stats,
    });
    await eventually(() => establishedOnPort(mote.mqttPort) <= steady, 30_000);
    const heapBaseline = await inspector.heapAfterGc();
    const rssBaseline = rssBytes(mote.pid);
    const fdBaseline = openFds(mote.pid);

    const started = Date.now();
    await runFuzz({
      port: mote.mqttPort,
      localAddress: ATTACKER,
      target,
      sockets: SOCKETS,
      nextCase: nextCase(CASES),
      stats,
    });
    const seconds = (Date.now() - started) / 1000;
    const rssPeak = rssBytes(mote.pid);
    await uplinks.stop();

    const alive = mote.alive();
    const health = (await fetch(`${mote.url}/healthz`)).status;
    const caughtUp = await Promise.all(watchers.map((w) => w.caughtUp(uplinks)));
    await eventually(() => mosquittoNumbers().size >= uplinks.accepted.length, 30_000);
    const mosquittoMissing = uplinks.accepted.filter((n) => !mosquittoNumbers().has(n)).length;
    // Every fuzz connection is reaped: the server's end of each is gone (CONNECT timeout 10 s).
    const reapStarted = Date.now();
    const reaped = await eventually(() => establishedOnPort(mote.mqttPort) <= steady, 60_000);
    const reapSeconds = (Date.now() - reapStarted) / 1000;
    const fdsBack = await eventually(() => openFds(mote.pid) <= fdBaseline + 2, 30_000);
    const heapEnd = await inspector.heapAfterGc();
    const rssEnd = rssBytes(mote.pid);

    console.log(
      [
        `mqtt fuzz: ${stats.cases} cases in ${seconds.toFixed(1)} s (${Math.round((stats.cases - WARMUP) / seconds)}/s), ${mb(stats.bytes)} sent, ${stats.connections} connections`,
        `  survived ${stats.survived}, closed by server ${stats.closed}, malformed ${stats.malformed}, incomplete ${stats.incomplete}, mutated CONNECTs accepted ${stats.connectsAccepted}`,
        `  crashes ${alive ? 0 : 1}, hung ${stats.hung}, malformed answered ${stats.malformedAnswered}, good CONNECTs refused ${stats.connectFailures}`,
        `  uplinks injected ${uplinks.accepted.length} (failed ${uplinks.failed}), lost ${watchers.map((w) => w.missing(uplinks).length).join('/')}/${mosquittoMissing} (MQTT.js QoS 0/MQTT.js QoS 1/mosquitto_sub)`,
        `  invalid topics delivered ${watchers.map((w) => w.invalidTopics.length).join('/')}, mosquitto_sub connects ${mosquittoConnects()}`,
        `  fuzz connections all closed by the server ${reapSeconds.toFixed(1)} s after the last case`,
        `  server RSS start ${mb(rssStart)}, baseline ${mb(rssBaseline)}, peak ${mb(rssPeak)}, after ${mb(rssEnd)}; JS heap after GC baseline ${mb(heapBaseline)}, after ${mb(heapEnd)}; fds baseline ${fdBaseline}, after ${openFds(mote.pid)}`,
        `  by kind: ${Object.entries(stats.byKind)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        ...stats.violations.map((v) => `  ${v}`),
      ].join('\n'),
    );

    expect(alive, mote.output().slice(-3000)).toBe(true);
    expect(health).toBe(200);
    expect(stats.cases).toBeGreaterThanOrEqual(CASES);
    expect(stats.hung).toBe(0);
    expect(stats.malformedAnswered).toBe(0);
    expect(stats.connectFailures).toBe(0);
    expect(uplinks.failed, uplinks.failures.join('; ')).toBe(0);
    expect(uplinks.accepted.length).toBeGreaterThan(0);
    expect(caughtUp).toEqual([true, true]);
    expect(watchers.map((w) => w.invalidTopics)).toEqual([[], []]);
    expect(mosquittoMissing).toBe(0);
    expect(mosquittoConnects(), mosquitto.output().slice(-2000)).toBe(1);
    expect(reaped).toBe(true);
    expect(fdsBack).toBe(true);
    expect(heapEnd, `JS heap ${mb(heapEnd)} vs baseline ${mb(heapBaseline)}`).toBeLessThan(
      heapBaseline + HEAP_SLACK,
    );
    expect(rssEnd, `RSS ${mb(rssEnd)} vs baseline ${mb(rssBaseline)}`).toBeLessThan(rssBaseline + RSS_SLACK);
  });
});
