/**
 * `npm run soak [-- --minutes=10] [-- --seed=N]`: the reliability suites' generators (issue 7),
 * together and for longer than `npm test` can afford. In rounds of about a minute, against one
 * long-running Mote: MQTT fuzzing, connection churn, a QoS 1 flood, subscribers that stop
 * reading, sessions that go silent, the unauthenticated edge attacks of issue 17 (sockets that
 * never send CONNECT, 300 MB bodies, slowloris, parallel login guessing) and its isolation
 * attacks (a looping decoder in one application, history reads beyond a key's share, another key
 * reusing a client ID) — while uplinks flow to well-behaved subscribers; and on a second Mote,
 * kill -9 cycles under downlink traffic. Prints figures every 15 s and after each
 * round; exits 1 if anything was lost, hung, crashed or kept growing. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { churn, flood, session } from '../test/helpers/abuse';
import { adminSession, appWithKey, call } from '../test/helpers/api';
import { crashCycle, crashRig } from '../test/helpers/crash';
import {
  bigBody,
  getFrom,
  loginFrom,
  mqttConnectFrom,
  silentMqttFlood,
  slowloris,
} from '../test/helpers/edges';
import { generateCase } from '../test/helpers/fuzz/cases';
import { newStats, runFuzz } from '../test/helpers/fuzz/runner';
import { INSPECT, inspect } from '../test/helpers/inspector';
import { isolationRig } from '../test/helpers/isolation';
import { removeDataDir, startMote } from '../test/helpers/mote';
import { seededRng, seedFrom } from '../test/helpers/prng';
import { establishedOnPort, eventually, mb, openFds, rssBytes } from '../test/helpers/proc';
import { startUplinks, watchUplinks } from '../test/helpers/traffic';

const arg = (name: string) =>
  process.argv
    .slice(2)
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')[1];
const minutes = Number(arg('minutes') ?? process.env.SOAK_MINUTES ?? 10);
if (arg('seed')) process.env.SOAK_SEED = arg('seed');
const seed = seedFrom('SOAK_SEED');
const ROUND_MS = 60_000;
/** A JS heap (after GC) growing more than this from the first round to the last is a leak. */
const HEAP_GROWTH_LIMIT = 32 * 1024 * 1024;
const log = (s: string) => process.stdout.write(`${s}\n`);

if (!existsSync('.next/BUILD_ID')) {
  log('soak: no Next build yet, running next build');
  if (
    spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit' }).status !==
    0
  )
    process.exit(1);
}

const rng = seededRng(seed);
const deadline = Date.now() + minutes * 60_000;
log(`soak: ${minutes} min, seed ${seed} (replay with --seed=${seed})`);

// As in mqtt-fuzz.test.ts: brute-force throttling would stop the fuzzing at the tenth bad key.
const mote = await startMote({
  nodeArgs: INSPECT,
  env: { MOTE_QUEUE_CAPACITY: '1000000', MOTE_MQTT_MAX_FAILURES: '100000000' },
});
const inspector = await inspect(mote);
const appId = 'soak';
const key = await appWithKey(mote, appId, ['RIGHT_APPLICATION_ALL']);
const admin = await adminSession(mote);
for (const device of ['dev-1', 'flood']) {
  await call(mote, admin, 'POST', `/api/v3/applications/${appId}/devices`, {
    end_device: { ids: { device_id: device } },
  });
}
const target = { appId, deviceId: 'dev-1', key };
const watchers = [
  await watchUplinks(mote, appId, key, { qos: 0, filter: '#' }),
  await watchUplinks(mote, appId, key, { qos: 1 }),
];
const rig = await crashRig();
const isolation = await isolationRig(mote);

const totals = { churn: 0, floodAcked: 0, floodLost: 0 };
const edges = {
  silentOpened: 0,
  slowOpened: 0,
  bodiesRefused: 0,
  loginsChecked: 0,
  userChecks: 0,
  slowestUserMs: 0,
};

/**
 * Issue 17's edge attacks, each from its own address, until `until`: silent MQTT sockets and
 * half-sent HTTP requests the whole time, three 300 MB bodies and 200 parallel wrong logins once;
 * every two seconds the user on 127.0.0.1 must still reach /healthz and connect over MQTT.
 */
async function edgeAttacks(round: number, until: number) {
  const stop = new AbortController();
  const silent = silentMqttFlood(mote, '127.0.0.8', { sockets: 300, perSecond: 100, signal: stop.signal });
  const slow = (async () => {
    while (Date.now() < until - 12_000) {
      const attack = await slowloris(mote.httpPort, ['127.0.0.9', '127.0.0.10'], {
        sockets: 150,
        everyMs: 1_000,
      });
      edges.slowOpened += attack.attempted;
      await eventually(() => attack.open() === 0, 12_000);
      attack.stop();
    }
  })();
  const user = (async () => {
    for (let i = 0; Date.now() < until - 2_000; i++) {
      edges.userChecks++;
      const started = Date.now();
      const health = await getFrom(mote.httpPort, '127.0.0.1', '/healthz');
      if (health.status !== 200)
        violations.push(`round ${round}: /healthz answered ${health.status} under attack`);
      const code = await mqttConnectFrom(mote.mqttPort, '127.0.0.1', appId, key, `edge-user-${round}-${i}`);
      if (code !== 0) violations.push(`round ${round}: the user's MQTT connect got ${code} under attack`);
      edges.slowestUserMs = Math.max(edges.slowestUserMs, Date.now() - started);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  })();
  const rssBefore = rssBytes(mote.pid);
  const bodies = await Promise.all(
    [0, 1, 2].map(() => bigBody(mote.httpPort, '/api/auth/login', 300 * 1024 * 1024, { chunked: true })),
  );
  const grown = rssBytes(mote.pid) - rssBefore;
  edges.bodiesRefused += bodies.filter((b) => b.status === 413).length;
  if (bodies.some((b) => b.status !== 413))
    violations.push(`round ${round}: a 300 MB body was not refused with 413`);
  if (grown > 200 * 1024 * 1024)
    violations.push(`round ${round}: three 300 MB bodies grew RSS by ${mb(grown)}`);
  const guesses = await Promise.all(
    Array.from({ length: 200 }, () => loginFrom(mote.httpPort, '127.0.0.11', 'wrong password')),
  );
  const checked = guesses.filter((g) => g.status === 401).length;
  edges.loginsChecked += checked;
  if (checked > 5) violations.push(`round ${round}: ${checked} of 200 parallel wrong logins were checked`);
  await user;
  stop.abort();
  edges.silentOpened += (await silent).opened;
  await slow;
}
const crash = { cycles: 0, acked: 0, lost: 0, problems: [] as string[] };
const violations: string[] = [];
const heaps: number[] = [];
const fuzz = newStats();
let cases = 0;

const ticker = setInterval(() => {
  log(
    `  … fuzz ${fuzz.cases} cases (hung ${fuzz.hung}, malformed answered ${fuzz.malformedAnswered}), churn ${totals.churn}, flood PUBACKs ${totals.floodAcked}, crash cycles ${crash.cycles}, server RSS ${mb(rssBytes(mote.pid))}`,
  );
}, 15_000);

for (let round = 0; Date.now() < deadline; round++) {
  const roundEnd = Math.min(deadline, Date.now() + ROUND_MS);
  const uplinks = startUplinks(mote, key, appId, 'dev-1', { tag: `r${round}`, gapMs: 20 });
  const stalled = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      const s = await session(mote.mqttPort, appId, key, `stalled-${round}-${i}`);
      s.socket.write(Buffer.from([0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x23, i % 2]));
      await s.next('suback');
      s.socket.pause();
      return s;
    }),
  );
  const silent = await Promise.all(
    Array.from({ length: 50 }, (_, i) => session(mote.mqttPort, appId, key, `silent-${round}-${i}`, 1)),
  );
  for (const s of silent) s.socket.pause();

  const fuzzing = runFuzz({
    port: mote.mqttPort,
    localAddress: '127.0.0.2',
    target,
    sockets: 16,
    stats: fuzz,
    nextCase: () => (Date.now() < roundEnd - 10_000 ? generateCase(rng, target, cases++) : undefined),
  });
  const churning = churn(mote.mqttPort, appId, key, { clients: 1000, rounds: 1, concurrency: 25 }).then(
    (s) => {
      totals.churn += s.connects;
      if (s.refused > 0) violations.push(`round ${round}: ${s.refused} churn connects refused`);
    },
  );
  const flooding = (async () => {
    const f = await flood(mote.mqttPort, appId, key, ['flood'], { qos: 1, tag: `f${round}` });
    await new Promise((r) => setTimeout(r, 5_000));
    await f.stop();
    const list = await call<{ downlinks: Array<{ correlation_ids?: string[] }> }>(
      mote,
      { key },
      'GET',
      `/api/v3/as/applications/${appId}/devices/flood/down`,
    );
    const stored = new Set(list.body.downlinks.flatMap((d) => d.correlation_ids ?? []));
    const lost = f.ackedTags.filter((t) => !stored.has(t)).length;
    totals.floodAcked += f.stats.acked;
    totals.floodLost += lost;
    if (lost > 0) violations.push(`round ${round}: ${lost} PUBACKed pushes not stored`);
    await call(mote, { key }, 'DELETE', `/api/v3/as/applications/${appId}/devices/flood/down`);
  })();
  const crashing = (async () => {
    while (Date.now() < roundEnd - 8_000) {
      const r = await crashCycle(rig, rng, crash.cycles++);
      crash.acked += r.acked.length;
      crash.lost += r.missing.length;
      crash.problems.push(...r.problems);
    }
  })();
  const isolating = isolation.round(`r${round}`).then((problems) => {
    for (const p of problems) violations.push(`round ${round}: ${p}`);
  });
  await Promise.all([fuzzing, churning, flooding, crashing, isolating, edgeAttacks(round, roundEnd)]);
  await new Promise((r) => setTimeout(r, Math.max(0, roundEnd - Date.now())));

  await uplinks.stop();
  for (const s of [...stalled, ...silent]) s.socket.destroy();
  const caughtUp = await Promise.all(watchers.map((w) => w.caughtUp(uplinks)));
  const reaped = await eventually(() => establishedOnPort(mote.mqttPort) <= watchers.length, 30_000);
  const heap = await inspector.heapAfterGc();
  heaps.push(heap);
  const lostUplinks = watchers.map((w) => w.missing(uplinks).length);
  if (!mote.alive()) violations.push(`round ${round}: server died`);
  if (caughtUp.includes(false)) violations.push(`round ${round}: uplinks lost ${lostUplinks.join('/')}`);
  if (!reaped) violations.push(`round ${round}: connections not reaped`);
  if (watchers.some((w) => w.invalidTopics.length > 0))
    violations.push(`round ${round}: invalid topics delivered`);
  log(
    `round ${round}: fuzz ${fuzz.cases} cases in all (hung ${fuzz.hung}, malformed answered ${fuzz.malformedAnswered}); uplinks ${uplinks.accepted.length}, lost ${lostUplinks.join('/')}; churn ${totals.churn}; flood PUBACKed ${totals.floodAcked}, not stored ${totals.floodLost}; crash cycles ${crash.cycles}, acked ${crash.acked}, lost ${crash.lost}, problems ${crash.problems.length}; edges: ${edges.silentOpened} silent MQTT sockets, ${edges.slowOpened} half-sent requests, ${edges.bodiesRefused} big bodies refused, ${edges.loginsChecked} parallel guesses checked, ${edges.userChecks} user checks (slowest ${edges.slowestUserMs} ms); server RSS ${mb(rssBytes(mote.pid))}, JS heap after GC ${mb(heap)}, fds ${openFds(mote.pid)}`,
  );
  if (!mote.alive()) break;
}
clearInterval(ticker);

if (fuzz.hung > 0) violations.push(`${fuzz.hung} fuzz cases hung`);
if (fuzz.malformedAnswered > 0) violations.push(`${fuzz.malformedAnswered} malformed packets answered`);
if (crash.lost > 0) violations.push(`${crash.lost} acknowledged downlinks lost across kills`);
violations.push(...crash.problems);
const [firstHeap] = heaps;
const lastHeap = heaps.at(-1);
if (
  heaps.length > 1 &&
  firstHeap !== undefined &&
  lastHeap !== undefined &&
  lastHeap - firstHeap > HEAP_GROWTH_LIMIT
)
  violations.push(`JS heap grew from ${mb(firstHeap)} to ${mb(lastHeap)}`);
log(
  `soak: ${minutes} min, ${fuzz.cases} fuzz cases, ${totals.churn} churn sessions, ${totals.floodAcked} flood PUBACKs, ${crash.cycles} kill -9 cycles (${crash.acked} downlinks acknowledged); crashes ${mote.alive() ? 0 : 1}, lost ${totals.floodLost + crash.lost}; JS heap after GC per round ${heaps.map(mb).join(', ')}`,
);
for (const v of violations) log(`  ✗ ${v}`);

inspector.close();
await isolation.close();
await Promise.all(watchers.map((w) => w.end()));
await mote.stop();
removeDataDir(mote);
await rig.close();
process.exit(violations.length > 0 ? 1 : 0);
